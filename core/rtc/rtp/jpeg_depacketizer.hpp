/// \file jpeg_depacketizer.hpp
/// \brief Motion JPEG over RTP (RFC 2435), what many IP cameras send on payload type 26:
/// each frame's fragments are joined by fragment offset and given back the JPEG header
/// the payload leaves out (jpeg_header.hpp), so every frame is a complete JFIF image.
///
/// Read: types 0 and 1 (4:2:2, 4:2:0) and the same with restart markers (64, 65, §3.1.7);
/// Q 1..99 (the Appendix A tables scaled by Q) and Q 128..255 with the tables in-band
/// (§3.1.8). A Q 128..254 frame that leaves its tables out (length 0) reuses the last
/// ones sent for that Q; Q 255 must always send them (§4.2). Dropped: other types
/// (dynamic 128..255, reserved 2..63), Q 0 and 100..127 (reserved), a frame whose first
/// fragment is not at offset 0 or whose offsets leave a hole or overlap, headers that
/// change within a frame, a size of 0, and scan data too short for the picture size
/// (jpeg::minimum_scan_size()) so a huge size cannot come with a few bytes.
///
/// Every frame is a keyframe; a loss drops only the frame it hit. The type-specific
/// field (interlacing, §3.1.1) is not interpreted: each field comes out as a picture.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "rtc/rtp/depacketizer.hpp"

namespace switchboard::rtc::rtp {

class JpegDepacketizer final : public Depacketizer {
public:
    explicit JpegDepacketizer(int clock_rate = 90000) noexcept;

private:
    Units assemble(std::span<const RtpPacket> packets) override;

    /// The in-band tables last sent with a Q of 128..254, for frames that omit them.
    struct CachedTables {
        int q = -1;
        std::uint8_t precision = 0;
        std::vector<std::uint8_t> tables;
    };
    CachedTables m_cached;
};

}  // namespace switchboard::rtc::rtp
