// The text readers whep.server runs on untrusted request values: Content-Type and
// Authorization (http/http_util.hpp), trickle-ice-sdpfrag bodies and session ids
// (whep/whep_text.hpp). The first byte picks one.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http/http_util.hpp"
#include "whep/whep_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace switchboard::http;
    using namespace switchboard::whep;
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0] % 4) {
        case 0:
            (void)media_type_is(text, "application/sdp");
            break;
        case 1:
            if (auto token = bearer_token(text)) (void)constant_time_equal(*token, "s3cret");
            break;
        case 2:
            for (const auto& line : trickle_candidates(text))
                if (!line.empty() && line.rfind("a=candidate:", 0) != 0) __builtin_trap();
            break;
        default:
            (void)is_session_id(text);
            (void)constant_time_equal(text, text.substr(text.size() / 2));
            break;
    }
    return 0;
}
