#include "matrix_client/txn_ids.hpp"

#include <openssl/rand.h>

#include <chrono>
#include <stdexcept>

namespace switchboard::matrix {

TxnIds::TxnIds() {
    unsigned char bytes[8];
    if (RAND_bytes(bytes, sizeof bytes) != 1) {
        // No entropy is a broken system; the clock still separates runs.
        auto now = std::chrono::system_clock::now().time_since_epoch().count();
        for (unsigned i = 0; i < sizeof bytes; ++i) bytes[i] = static_cast<unsigned char>(now >> (8 * i));
    }
    static constexpr char hex[] = "0123456789abcdef";
    m_prefix = "sb";
    for (auto b : bytes) {
        m_prefix += hex[b >> 4];
        m_prefix += hex[b & 15];
    }
}

std::string TxnIds::next() {
    return m_prefix + "." + std::to_string(++m_counter);
}

}  // namespace switchboard::matrix
