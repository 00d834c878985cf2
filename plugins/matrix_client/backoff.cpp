#include "matrix_client/backoff.hpp"

#include <algorithm>

namespace switchboard::matrix {

std::chrono::milliseconds Backoff::next(const Error& error) {
    using std::chrono::milliseconds;
    unsigned exponent = std::min(m_failures, 20u);
    ++m_failures;
    if (error.retry_after) return std::clamp(*error.retry_after, milliseconds(0), milliseconds(600'000));
    auto delay = std::chrono::duration_cast<milliseconds>(m_min * (1LL << exponent));
    return std::min(delay, m_max);
}

}  // namespace switchboard::matrix
