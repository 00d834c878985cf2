// Fuzzes Vp8Depacketizer (payload descriptor, partition starts, loss handling) and the
// Vp8Packetizer on what it outputs.
#include "depacketizer_fuzz_input.hpp"
#include "rtc/rtp/vp8_depacketizer.hpp"
#include "rtc/rtp/vp8_packetizer.hpp"

using namespace switchboard::rtc::rtp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    Vp8Depacketizer d, again;
    PacketizerConfig cfg;
    cfg.max_payload_size = 300;
    Vp8Packetizer p(cfg);
    fuzz::run({data, size}, d, p, again);
    return 0;
}
