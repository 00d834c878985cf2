/// \file capture_clock.hpp
/// \brief A remote sender's media put on our monotonic clock through its RTCP sender
/// reports, so the audio and video it sends keep the alignment it gave them (lip sync).
///
/// Each RTP stream starts its timestamps anywhere (RFC 3550 §5.1), so two streams' RTP
/// times say nothing about each other. A sender report pairs one stream's RTP timestamp
/// with the sender's wall clock (§6.4.1); SenderClock keeps the last one per stream, and
/// with it every frame gets a sender time. CaptureClock turns sender time into our
/// monotonic time with one offset shared by the streams of a sender: the smallest
/// "arrival minus sender time" seen, i.e. the path of the fastest stream, so a stream that
/// took longer (an audio encoder's delay) comes out captured earlier than it arrived, as
/// it was. The offset creeps up by 100 ppm so a sender clock slower than ours does not
/// leave it behind. Before a stream's first report, its frames are stamped with their
/// arrival. Header-only, not thread-safe.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>

#include "rtc/rtp/ntp_time.hpp"

namespace switchboard::rtc::rtp {

/// One stream's last sender report.
class SenderClock {
public:
    void on_sender_report(std::uint64_t ntp, std::uint32_t rtp_timestamp) noexcept {
        m_report = Report{ntp_to_ns(ntp), rtp_timestamp};
    }
    /// Another SSRC, or a new session: the old report says nothing about what follows.
    void reset() noexcept { m_report.reset(); }

    /// The sender's wall clock (ns) at RTP timestamp `rtp_timestamp` (its low 32 bits are
    /// what counts: the signed distance to the report's, across a wrap); nullopt before a
    /// report or without a clock rate.
    std::optional<std::int64_t> sender_ns(std::int64_t rtp_timestamp, int clock_rate) const noexcept {
        if (!m_report || clock_rate <= 0) return std::nullopt;
        const auto ticks = std::int64_t(std::int32_t(std::uint32_t(rtp_timestamp) - m_report->rtp_timestamp));
        return m_report->ntp_ns + ticks * 1'000'000'000 / clock_rate;
    }

private:
    struct Report {
        std::int64_t ntp_ns = 0;
        std::uint32_t rtp_timestamp = 0;
    };
    std::optional<Report> m_report;
};

/// The offset from one sender's wall clock to our monotonic clock, shared by its streams.
class CaptureClock {
public:
    /// A new session: the sender's clock may have been reset.
    void new_session() noexcept { m_offset.reset(); }

    /// The capture time on our monotonic clock of media the sender stamped `sender_ns`
    /// that arrived at `arrival_ns`. Never after the arrival.
    std::int64_t capture_ns(std::int64_t sender_ns, std::int64_t arrival_ns) noexcept {
        const std::int64_t sample = arrival_ns - sender_ns;
        if (!m_offset)
            m_offset = sample;
        else
            m_offset = std::min(*m_offset + (arrival_ns - m_last_arrival_ns) / 10'000, sample);
        m_last_arrival_ns = arrival_ns;
        return sender_ns + *m_offset;
    }

    /// The capture time of a frame with RTP timestamp `rtp_timestamp` of the stream whose
    /// reports `stream` holds: through them, or its arrival before the first.
    std::int64_t capture_ns(const SenderClock& stream, std::int64_t rtp_timestamp, int clock_rate,
                            std::int64_t arrival_ns) noexcept {
        const auto sender = stream.sender_ns(rtp_timestamp, clock_rate);
        return sender ? capture_ns(*sender, arrival_ns) : arrival_ns;
    }

private:
    std::optional<std::int64_t> m_offset;
    std::int64_t m_last_arrival_ns = 0;
};

}  // namespace switchboard::rtc::rtp
