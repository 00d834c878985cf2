// Fingerprints of H264 slices; see h264_slices.hpp.
#include "support/h264_slices.hpp"

#include <openssl/sha.h>

#include <algorithm>

namespace switchboard::test {

std::vector<std::string> h264_slice_hashes(const std::string& annexb) {
    std::vector<std::size_t> starts;  // first byte after each start code
    for (std::size_t i = 0; i + 2 < annexb.size(); ++i)
        if (annexb[i] == 0 && annexb[i + 1] == 0 && annexb[i + 2] == 1) {
            starts.push_back(i + 3);
            i += 2;
        }
    std::vector<std::string> out;
    for (std::size_t k = 0; k < starts.size(); ++k) {
        std::size_t end = k + 1 < starts.size() ? starts[k + 1] - 3 : annexb.size();
        while (end > starts[k] && annexb[end - 1] == 0) --end;  // the zero of a 4-byte start code
        const int type = annexb[starts[k]] & 0x1f;
        if (type != 1 && type != 5) continue;
        unsigned char md[SHA256_DIGEST_LENGTH];
        SHA256(reinterpret_cast<const unsigned char*>(annexb.data() + starts[k]), end - starts[k], md);
        out.emplace_back(reinterpret_cast<const char*>(md), sizeof md);
    }
    return out;
}

bool is_run_of(const std::vector<std::string>& sent, const std::vector<std::string>& received) {
    if (received.empty() || received.size() > sent.size()) return false;
    for (std::size_t start = 0; start + received.size() <= sent.size(); ++start)
        if (std::equal(received.begin(), received.end(), sent.begin() + std::ptrdiff_t(start))) return true;
    return false;
}

}  // namespace switchboard::test
