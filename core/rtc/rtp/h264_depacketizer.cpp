#include "rtc/rtp/h264_depacketizer.hpp"

#include "rtc/rtp/byte_io.hpp"
#include "rtc/rtp/gather_list.hpp"

namespace switchboard::rtc::rtp {

namespace {

constexpr std::uint8_t nal_idr = 5, nal_sps = 7, nal_pps = 8, stap_a = 24, fu_a = 28;

struct Pieces {
    GatherList frame;
    GatherList config;  // SPS/PPS NAL units
    bool keyframe = false;

    void nal_start() { frame.add(annex_b_start_code); }
    void add(std::span<const std::uint8_t> s) { frame.add(s); }
    void whole_nal(std::span<const std::uint8_t> nal) {
        frame.add_nal(nal);
        note(nal[0] & 0x1f, nal);
    }
    void note(std::uint8_t type, std::span<const std::uint8_t> nal) {
        if (type == nal_idr) keyframe = true;
        if (type == nal_sps || type == nal_pps) config.add_nal(nal);
    }
};

}  // namespace

H264Depacketizer::H264Depacketizer(int clock_rate) noexcept
    : Depacketizer(Format{MediaKind::video, Codec::h264, 0, 0, {}, 0, 0, clock_rate}, true, false) {}

Depacketizer::Units H264Depacketizer::assemble(std::span<const RtpPacket> packets) {
    Pieces p;
    p.frame.reserve(packets.size() * 2 + 8);
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
    if (in_fu || p.frame.empty()) return {};

    Assembled a;
    a.keyframe = p.keyframe;
    a.data = p.frame.join();
    if (a.data.empty()) return {};
    if (!p.config.empty()) a.codec_config = p.config.join();
    return one(std::move(a));
}

}  // namespace switchboard::rtc::rtp
