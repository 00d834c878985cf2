/// \file backoff.hpp
/// \brief How long to wait before trying a request again: what the server asked for on a
/// rate limit (Retry-After / retry_after_ms), else the SDK's doubling back-off.
#pragma once

#include <chrono>

#include <switchboard/backoff.hpp>

#include "matrix_client/error.hpp"

namespace switchboard::matrix {

class Backoff {
public:
    Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max) : m_doubling(min, max) {}

    /// The wait before the next attempt after `error`, and counts the attempt. A server's
    /// own hint is honoured as given (capped at 10 minutes against a broken server).
    std::chrono::milliseconds next(const Error& error);
    /// After a success: the next failure starts from the minimum again.
    void reset() noexcept { m_doubling.reset(); }
    unsigned failures() const noexcept { return m_doubling.failures(); }

private:
    switchboard::Backoff m_doubling;
};

}  // namespace switchboard::matrix
