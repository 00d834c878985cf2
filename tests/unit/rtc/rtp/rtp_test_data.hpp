/// \file rtp_test_data.hpp
/// \brief Fixtures for the RTP tests: RTP captures from ffmpeg's packetizers and the
/// elementary streams they were made from (data/README.md says how), plus helpers.
#pragma once

#include <cstdint>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "rtc/rtp/h264_packetizer.hpp"
#include "rtc/rtp/rtp_packet.hpp"

namespace switchboard::rtc::rtp::test {

using Bytes = std::vector<std::uint8_t>;

inline Bytes read_file(const std::string& name) {
    std::ifstream f(std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/unit/rtc/rtp/data/" + name, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(f), {});
}

/// A capture: each datagram as a 16-bit big-endian length and its bytes.
inline std::vector<Bytes> read_capture(const std::string& name) {
    const Bytes d = read_file(name);
    std::vector<Bytes> out;
    for (std::size_t i = 0; i + 2 <= d.size();) {
        const std::size_t n = (std::size_t(d[i]) << 8) | d[i + 1];
        if (i + 2 + n > d.size()) break;
        out.emplace_back(d.begin() + std::ptrdiff_t(i + 2), d.begin() + std::ptrdiff_t(i + 2 + n));
        i += 2 + n;
    }
    return out;
}

inline std::vector<RtpPacket> parse_all(const std::vector<Bytes>& datagrams) {
    std::vector<RtpPacket> out;
    for (const auto& d : datagrams)
        if (auto r = RtpPacket::parse(std::span<const std::uint8_t>(d))) out.push_back(*r.packet);
    return out;
}

/// IVF (the libvpx container): 32-byte file header, then 12-byte frame headers
/// (size LE32, pts LE64) each followed by one frame.
inline std::vector<Bytes> read_ivf(const std::string& name) {
    const Bytes d = read_file(name);
    std::vector<Bytes> frames;
    std::size_t i = 32;
    while (i + 12 <= d.size()) {
        const std::size_t n = d[i] | (d[i + 1] << 8) | (d[i + 2] << 16) | (std::size_t(d[i + 3]) << 24);
        i += 12;
        if (i + n > d.size()) break;
        frames.emplace_back(d.begin() + std::ptrdiff_t(i), d.begin() + std::ptrdiff_t(i + n));
        i += n;
    }
    return frames;
}

/// Annex B with every start code rewritten to 4 bytes (what H264Depacketizer emits).
inline Bytes normalise_annex_b(std::span<const std::uint8_t> data) {
    Bytes out;
    for (auto nal : H264Packetizer::split_annex_b(data)) {
        out.insert(out.end(), {0, 0, 0, 1});
        out.insert(out.end(), nal.begin(), nal.end());
    }
    return out;
}

inline Bytes bytes_of(const Buffer& b) {
    return Bytes(b.data(), b.data() + b.size());
}

}  // namespace switchboard::rtc::rtp::test
