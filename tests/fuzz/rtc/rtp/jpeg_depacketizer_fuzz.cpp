// Fuzzes JpegDepacketizer (RFC 2435 main, restart and quantization table headers,
// reassembly by fragment offset, the rebuilt JPEG header): every frame it outputs must
// be a JPEG from SOI to EOI.
#include "depacketizer_fuzz_input.hpp"
#include "rtc/rtp/jpeg_depacketizer.hpp"

using namespace switchboard;
using namespace switchboard::rtc::rtp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    JpegDepacketizer d;
    fuzz::run({data, size}, d, [](const Frame& f) {
        const auto* p = f.payload();
        const std::size_t n = f.payload_size();
        if (n < 4 || p[0] != 0xff || p[1] != 0xd8 || p[n - 2] != 0xff || p[n - 1] != 0xd9) __builtin_trap();
    });
    return 0;
}
