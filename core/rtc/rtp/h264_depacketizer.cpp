#include "rtc/rtp/h264_depacketizer.hpp"

#include <cstring>

#include "rtc/rtp/byte_io.hpp"

namespace switchboard::rtc::rtp {

namespace {

constexpr std::uint8_t start_code[4] = {0, 0, 0, 1};
constexpr std::uint8_t nal_idr = 5, nal_sps = 7, nal_pps = 8, stap_a = 24, fu_a = 28;

/// The frame as a list of byte ranges to concatenate, so the output is allocated and
/// copied once.
struct Pieces {
    std::vector<std::span<const std::uint8_t>> spans;
    std::size_t size = 0;
    bool keyframe = false;
    std::vector<std::span<const std::uint8_t>> config;  // SPS/PPS NAL units
    std::size_t config_size = 0;

    void nal_start() { add({start_code, 4}); }
    void add(std::span<const std::uint8_t> s) {
        spans.push_back(s);
        size += s.size();
    }
    void whole_nal(std::span<const std::uint8_t> nal) {
        nal_start();
        add(nal);
        note(nal[0] & 0x1f, nal);
    }
    void note(std::uint8_t type, std::span<const std::uint8_t> nal) {
        if (type == nal_idr) keyframe = true;
        if (type == nal_sps || type == nal_pps) {
            config.push_back(nal);
            config_size += 4 + nal.size();
        }
    }
};

Buffer join(const std::vector<std::span<const std::uint8_t>>& spans, std::size_t size, bool with_start_codes) {
    Buffer b = Buffer::allocate(size);
    std::uint8_t* w = b.mutable_data();
    if (!w) return b;
    for (const auto& s : spans) {
        if (with_start_codes) {
            std::memcpy(w, start_code, 4);
            w += 4;
        }
        if (!s.empty()) std::memcpy(w, s.data(), s.size());
        w += s.size();
    }
    return b;
}

}  // namespace

H264Depacketizer::H264Depacketizer(int clock_rate) noexcept
    : Depacketizer(Format{MediaKind::video, Codec::h264, 0, 0, {}, 0, 0, clock_rate}, true, false) {}

Depacketizer::Units H264Depacketizer::assemble(std::span<const RtpPacket> packets) {
    Pieces p;
    p.spans.reserve(packets.size() * 2 + 8);
    // FU-A: the reconstructed NAL header bytes, one per fragmented NAL; reserved up front
    // so spans into it stay valid.
    std::vector<std::uint8_t> fu_headers;
    fu_headers.reserve(packets.size());
    bool in_fu = false;
    std::uint8_t fu_type = 0;
    for (const auto& pk : packets) {
        const auto pl = pk.payload();
        if (pl.empty()) return {};
        const std::uint8_t type = pl[0] & 0x1f;
        if (type >= 1 && type <= 23) {  // single NAL unit packet (§5.6)
            if (in_fu) return {};
            p.whole_nal(pl);
        } else if (type == stap_a) {  // §5.7.1: [hdr] { size16 NAL }+
            if (in_fu) return {};
            std::size_t off = 1;
            if (off >= pl.size()) return {};
            while (off < pl.size()) {
                if (off + 2 > pl.size()) return {};
                const std::size_t n = load_be16(pl.data() + off);
                off += 2;
                if (n == 0 || off + n > pl.size()) return {};
                p.whole_nal(pl.subspan(off, n));
                off += n;
            }
        } else if (type == fu_a) {  // §5.8: [indicator] [S E R type] fragment
            if (pl.size() < 3) return {};
            const bool s = pl[1] & 0x80, e = pl[1] & 0x40;
            const std::uint8_t nal_type = pl[1] & 0x1f;
            if (s && e) return {};  // §5.8: not both in one fragment
            if (s) {
                if (in_fu) return {};  // the previous NAL lost its end
                in_fu = true;
                fu_type = nal_type;
                fu_headers.push_back(std::uint8_t((pl[0] & 0xe0) | nal_type));
                p.nal_start();
                p.add({&fu_headers.back(), 1});
            } else if (!in_fu || nal_type != fu_type) {
                return {};  // a start fragment was lost
            }
            p.add(pl.subspan(2));
            if (e) {
                in_fu = false;
                // A fragmented SPS/PPS (odd but legal) is not contiguous: it is left
                // out of codec_config rather than copied twice.
                if (fu_type == nal_idr) p.keyframe = true;
            }
        } else {
            return {};  // 0, 25..27, 29..31: reserved or interleaved mode only
        }
    }
    if (in_fu || p.size == 0) return {};

    Assembled a;
    a.keyframe = p.keyframe;
    a.data = Buffer::allocate(p.size);
    std::uint8_t* w = a.data.mutable_data();
    if (!w) return {};
    for (const auto& s : p.spans) {
        std::memcpy(w, s.data(), s.size());
        w += s.size();
    }
    if (!p.config.empty()) a.codec_config = join(p.config, p.config_size, true);
    return one(std::move(a));
}

}  // namespace switchboard::rtc::rtp
