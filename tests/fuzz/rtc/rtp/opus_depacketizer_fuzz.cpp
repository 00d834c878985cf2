// Fuzzes AudioDepacketizer for Opus (one Opus packet per RTP packet, loss counting) and the
// OpusPacketizer on what it outputs.
#include "depacketizer_fuzz_input.hpp"
#include "rtc/rtp/audio_depacketizer.hpp"
#include "rtc/rtp/opus_packetizer.hpp"

using namespace switchboard;
using namespace switchboard::rtc::rtp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    AudioDepacketizer d(Codec::opus), again(Codec::opus);
    PacketizerConfig cfg;
    cfg.max_payload_size = 300;
    OpusPacketizer p(cfg);
    fuzz::run({data, size}, d, p, again);
    return 0;
}
