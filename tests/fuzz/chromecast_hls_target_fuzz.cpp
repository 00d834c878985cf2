// The HLS server's request target parser (a player's GET line is input): any bytes
// parse to ok, not_found or bad_request without crashing, an ok target has a valid
// token, and a blocking part always comes with its msn.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hls/hls_target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto parsed = switchboard::hls::parse_hls_target(text);
    if (parsed.status == switchboard::hls::TargetParse::Status::ok) {
        if (!switchboard::hls::valid_token(parsed.target.token)) std::abort();
        if (parsed.target.block_part && !parsed.target.block_msn) std::abort();
    }
    return 0;
}
