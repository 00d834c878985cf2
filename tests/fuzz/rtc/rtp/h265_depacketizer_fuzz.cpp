// Fuzzes H265Depacketizer (single NAL unit packets, aggregation packets, fragmentation
// units, loss handling): every frame it outputs must be Annex B, and so must its
// codec_config, made of the frame's own parameter sets.
#include <cstring>

#include "depacketizer_fuzz_input.hpp"
#include "rtc/rtp/h265_depacketizer.hpp"

using namespace switchboard;
using namespace switchboard::rtc::rtp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    H265Depacketizer d;
    fuzz::run({data, size}, d, [](const Frame& f) {
        static constexpr std::uint8_t start_code[4] = {0, 0, 0, 1};
        if (f.payload_size() < 6 || std::memcmp(f.payload(), start_code, 4) != 0) __builtin_trap();
        const auto& c = f.codec_config;
        if (!c.empty() && (c.size() < 6 || c.size() > f.payload_size() || std::memcmp(c.data(), start_code, 4) != 0))
            __builtin_trap();
    });
    return 0;
}
