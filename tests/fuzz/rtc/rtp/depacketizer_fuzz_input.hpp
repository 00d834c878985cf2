// Shared by the depacketizer fuzzers: the input is a sequence of datagrams, each a
// 16-bit big-endian length and the bytes (the format of tests/unit/rtc/rtp/data/*.rtp,
// so real captures are the seeds). Each is parsed as RTP and pushed; frames that come out
// are packetized again and fed to a second depacketizer, or, for formats we only
// receive, handed to a check of their own.
#pragma once

#include <cstdint>
#include <functional>
#include <span>

#include "rtc/rtp/depacketizer.hpp"
#include "rtc/rtp/packetizer.hpp"

namespace switchboard::rtc::rtp::fuzz {

inline void run(std::span<const std::uint8_t> in, Depacketizer& d, Packetizer& p, Depacketizer& again) {
    std::size_t i = 0;
    while (i + 2 <= in.size()) {
        const std::size_t n = (std::size_t(in[i]) << 8) | in[i + 1];
        i += 2;
        if (n > in.size() - i) break;
        auto r = RtpPacket::parse(in.subspan(i, n));
        i += n;
        if (!r) continue;
        for (const auto& f : d.push(*r.packet).frames)
            for (const auto& b : p.packetize(f))
                if (auto q = RtpPacket::parse(b)) (void)again.push(*q.packet);
    }
    (void)d.flush();
}

/// For formats without a packetizer: `check` sees every frame that comes out (it traps
/// on a broken invariant, which libFuzzer reports as a crash).
inline void run(std::span<const std::uint8_t> in, Depacketizer& d, const std::function<void(const Frame&)>& check) {
    std::size_t i = 0;
    const auto check_all = [&](const DepacketizerResult& r) {
        for (const auto& f : r.frames) check(f);
    };
    while (i + 2 <= in.size()) {
        const std::size_t n = (std::size_t(in[i]) << 8) | in[i + 1];
        i += 2;
        if (n > in.size() - i) break;
        auto r = RtpPacket::parse(in.subspan(i, n));
        i += n;
        if (r) check_all(d.push(*r.packet));
    }
    check_all(d.flush());
}

}  // namespace switchboard::rtc::rtp::fuzz
