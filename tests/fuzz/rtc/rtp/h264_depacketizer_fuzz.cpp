// Fuzzes H264Depacketizer (single NAL, STAP-A, FU-A, loss handling) and, on what it
// outputs, H264Packetizer's Annex B split and STAP-A/FU-A packing.
#include "depacketizer_fuzz_input.hpp"
#include "rtc/rtp/h264_depacketizer.hpp"
#include "rtc/rtp/h264_packetizer.hpp"

using namespace switchboard::rtc::rtp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    H264Depacketizer d, again;
    PacketizerConfig cfg;
    cfg.max_payload_size = 300;
    H264Packetizer p(cfg);
    fuzz::run({data, size}, d, p, again);
    return 0;
}
