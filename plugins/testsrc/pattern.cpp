// The moving picture behind the stamp; see pattern.hpp.
#include "pattern.hpp"

#include <algorithm>

namespace switchboard::testsrc {

namespace {
/// Luma stays in video range [16, 235] so encoders see what a camera would give them.
constexpr std::uint8_t to_video_range(int v) noexcept {
    return std::uint8_t(16 + (v & 0xff) * 219 / 255);
}
}  // namespace

void paint_pattern(const Plane& y, const Plane& u, const Plane& v, int width, int height, std::int64_t index) noexcept {
    const int shift = int(index % 256);  // scroll speed: 1 grey level per frame
    const int bar_width = std::max(2, width / 16);
    const int bar_x = int((index * std::max(1, width / 90)) % width);  // crosses in about 3 s at 30 fps

    std::uint8_t ramp[256];
    for (int i = 0; i < 256; ++i) ramp[i] = to_video_range(i);

    auto* luma = const_cast<std::uint8_t*>(y.data);
    for (int row = 0; row < height; ++row) {
        std::uint8_t* line = luma + std::ptrdiff_t(row) * y.stride;
        for (int x = 0; x < width; ++x) line[x] = ramp[((x + row) / 2 + shift) & 0xff];
        const int bar_end = std::min(width, bar_x + bar_width);
        std::fill(line + bar_x, line + bar_end, std::uint8_t(220));
    }

    auto* cb = const_cast<std::uint8_t*>(u.data);
    auto* cr = const_cast<std::uint8_t*>(v.data);
    const int cw = width / 2;
    const int ch = height / 2;
    for (int row = 0; row < ch; ++row) {
        std::uint8_t* line_u = cb + std::ptrdiff_t(row) * u.stride;
        std::uint8_t* line_v = cr + std::ptrdiff_t(row) * v.stride;
        for (int x = 0; x < cw; ++x) {
            line_u[x] = std::uint8_t(64 + ((x * 2 + shift) & 0x7f));
            line_v[x] = std::uint8_t(64 + ((row * 2 - shift) & 0x7f));
        }
    }
}

}  // namespace switchboard::testsrc
