#include "matrix_client/txn_ids.hpp"

#include <openssl/rand.h>

#include <chrono>

namespace switchboard::matrix {

std::string random_hex(std::size_t bytes) {
    std::string raw(bytes, '\0');
    auto* data = reinterpret_cast<unsigned char*>(raw.data());
    if (RAND_bytes(data, int(bytes)) != 1) {
        // No entropy is a broken system; the clock still separates runs.
        auto now = std::chrono::system_clock::now().time_since_epoch().count();
        for (std::size_t i = 0; i < bytes; ++i) data[i] = static_cast<unsigned char>(now >> (8 * (i % 8)));
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (auto b : raw) {
        out += hex[static_cast<unsigned char>(b) >> 4];
        out += hex[static_cast<unsigned char>(b) & 15];
    }
    return out;
}

TxnIds::TxnIds() : m_prefix("sb" + random_hex(8)) {}

std::string TxnIds::next() {
    return m_prefix + "." + std::to_string(++m_counter);
}

}  // namespace switchboard::matrix
