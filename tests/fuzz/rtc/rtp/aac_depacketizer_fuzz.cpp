// Fuzzes AacDepacketizer (RFC 3640 AU header and auxiliary sections, several access
// units per packet, fragmented units, loss) under fmtp field lengths the input picks.
// Input: 4 bytes of config (all zero = AAC-hbr, the captures' mode), then datagrams as
// depacketizer_fuzz_input.hpp reads them. Every frame must hold bytes.
#include "depacketizer_fuzz_input.hpp"
#include "rtc/rtp/aac_depacketizer.hpp"

using namespace switchboard;
using namespace switchboard::rtc::rtp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 4) return 0;
    AacPayloadConfig c;
    // XOR with the AAC-hbr lengths, so zero bytes mean the common case; lengths past
    // 32 make an invalid config, which must drop everything without harm.
    c.size_length = (data[0] & 0x3fu) ^ 13u;
    c.constant_size = (data[0] >> 6) * 2u;
    c.index_length = (data[1] & 0x0fu) ^ 3u;
    c.index_delta_length = (data[1] >> 4) ^ 3u;
    c.cts_delta_length = data[2] & 0x0fu;
    c.dts_delta_length = data[2] >> 4;
    c.random_access_indication = data[3] & 1u;
    c.stream_state_indication = (data[3] >> 1) & 7u;
    c.auxiliary_data_size_length = data[3] >> 4;
    c.audio_specific_config = {0x11, 0x90};
    AacDepacketizer d(c, 48000, 2);
    fuzz::run({data + 4, size - 4}, d, [](const Frame& f) {
        if (f.payload_size() == 0 || !f.payload()) __builtin_trap();
    });
    return 0;
}
