/// \file txn_ids.hpp
/// \brief Transaction ids for sends: unique per device across restarts (a random prefix
/// per run, then a counter), so the server never mistakes a new event for a retry of an
/// old one; a retry reuses the id it was given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace switchboard::matrix {

/// `bytes` random bytes (OpenSSL's RNG) as lower-case hex: ids that must not repeat
/// across runs (transaction ids, call ids).
std::string random_hex(std::size_t bytes);

class TxnIds {
public:
    /// A fresh random prefix (OpenSSL's RNG).
    TxnIds();
    /// A fixed prefix (tests).
    explicit TxnIds(std::string prefix) : m_prefix(std::move(prefix)) {}

    std::string next();

private:
    std::string m_prefix;
    std::uint64_t m_counter = 0;
};

}  // namespace switchboard::matrix
