#include "matrix_client/backoff.hpp"

#include <algorithm>

namespace switchboard::matrix {

std::chrono::milliseconds Backoff::next(const Error& error) {
    using std::chrono::milliseconds;
    const auto doubled = m_doubling.next();
    if (error.retry_after) return std::clamp(*error.retry_after, milliseconds(0), milliseconds(600'000));
    return doubled;
}

}  // namespace switchboard::matrix
