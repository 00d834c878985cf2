#include "rtc/rtp/h265_depacketizer.hpp"

#include <array>
#include <cstring>

#include "rtc/rtp/byte_io.hpp"
#include "rtc/rtp/gather_list.hpp"

namespace switchboard::rtc::rtp {

namespace {

constexpr std::uint8_t aggregation_packet = 48, fragmentation_unit = 49;
constexpr std::size_t nal_header_size = 2;  // F, type, LayerId, TID (H.265 §7.3.1.2)

std::uint8_t nal_type(const std::uint8_t* header) noexcept {
    return (header[0] >> 1) & 0x3f;
}
bool is_irap(std::uint8_t type) noexcept {
    return type >= 16 && type <= 21;
}
bool is_parameter_set(std::uint8_t type) noexcept {
    return type >= 32 && type <= 34;  // VPS, SPS, PPS
}

/// The frame's byte ranges. Each parameter set also remembers where it will start in the
/// output, so it can be copied out afterwards even when it came fragmented.
struct Pieces {
    GatherList frame;
    bool keyframe = false;
    struct Range {
        std::size_t offset, size;  // in the output, start code included
    };
    std::vector<Range> config;

    void add(std::span<const std::uint8_t> s) { frame.add(s); }
    /// Starts a NAL unit of `type`; its header and body follow through add().
    void nal_start(std::uint8_t type) {
        if (is_irap(type)) keyframe = true;
        if (is_parameter_set(type)) config.push_back({frame.size(), 0});
        add(annex_b_start_code);
    }
    /// Ends the NAL unit started last (its size is known only now for an FU).
    void nal_end(std::uint8_t type) {
        if (is_parameter_set(type)) config.back().size = frame.size() - config.back().offset;
    }
    void whole_nal(std::span<const std::uint8_t> nal) {
        const std::uint8_t type = nal_type(nal.data());
        nal_start(type);
        add(nal);
        nal_end(type);
    }
};

}  // namespace

H265Depacketizer::H265Depacketizer(int clock_rate) noexcept
    : Depacketizer(Format{MediaKind::video, Codec::h265, 0, 0, {}, 0, 0, clock_rate}, true, false) {}

Depacketizer::Units H265Depacketizer::assemble(std::span<const RtpPacket> packets) {
    Pieces p;
    p.frame.reserve(packets.size() * 2 + 8);
    // FU: the rebuilt NAL unit headers, two bytes per fragmented NAL unit; reserved up
    // front so spans into it stay valid.
    std::vector<std::array<std::uint8_t, nal_header_size>> fu_headers;
    fu_headers.reserve(packets.size());
    bool in_fu = false;
    std::uint8_t fu_type = 0;
    for (const auto& pk : packets) {
        const auto pl = pk.payload();
        if (pl.size() < nal_header_size) return {};
        const std::uint8_t type = nal_type(pl.data());
        if (type < aggregation_packet) {  // §4.4.1: the payload is the NAL unit
            if (in_fu) return {};
            p.whole_nal(pl);
        } else if (type == aggregation_packet) {  // §4.4.2: [hdr] { size16 NAL }+
            if (in_fu || pl.size() == nal_header_size) return {};
            std::size_t off = nal_header_size;
            while (off < pl.size()) {
                if (off + 2 > pl.size()) return {};
                const std::size_t n = load_be16(pl.data() + off);
                off += 2;
                if (n < nal_header_size || n > pl.size() - off) return {};
                p.whole_nal(pl.subspan(off, n));
                off += n;
            }
        } else if (type == fragmentation_unit) {  // §4.4.3: [hdr] [S E type] fragment
            if (pl.size() < nal_header_size + 2) return {};
            const std::uint8_t fu = pl[2];
            const bool s = fu & 0x80, e = fu & 0x40;
            const std::uint8_t t = fu & 0x3f;
            if (s && e) return {};  // §4.4.3: a whole NAL unit is not fragmented
            if (s) {
                if (in_fu) return {};  // the previous NAL unit lost its end
                in_fu = true;
                fu_type = t;
                // The payload header with the type replaced: F, LayerId and TID are the
                // fragmented NAL unit's own (§4.4.3).
                fu_headers.push_back({std::uint8_t((pl[0] & 0x81) | (t << 1)), pl[1]});
                p.nal_start(t);
                p.add(fu_headers.back());
            } else if (!in_fu || t != fu_type) {
                return {};  // a start fragment was lost
            }
            p.add(pl.subspan(nal_header_size + 1));
            if (e) {
                in_fu = false;
                p.nal_end(fu_type);
            }
        } else {
            return {};  // 50 PACI, 51..63 unspecified
        }
    }
    if (in_fu || p.frame.empty()) return {};

    Assembled a;
    a.keyframe = p.keyframe;
    a.data = p.frame.join();
    if (a.data.empty()) return {};
    if (!p.config.empty()) {
        std::size_t n = 0;
        for (const auto& r : p.config) n += r.size;
        a.codec_config = Buffer::allocate(n);
        std::uint8_t* c = a.codec_config.mutable_data();
        if (!c) return {};
        for (const auto& r : p.config) {
            std::memcpy(c, a.data.data() + r.offset, r.size);
            c += r.size;
        }
    }
    return one(std::move(a));
}

}  // namespace switchboard::rtc::rtp
