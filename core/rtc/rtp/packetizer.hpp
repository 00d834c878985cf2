/// \file packetizer.hpp
/// \brief Turns encoded Frames into serialized RTP packets; the codec subclasses
/// (H264Packetizer, Vp8Packetizer, OpusPacketizer) only split a frame into payloads.
///
/// The base owns the RTP header state: SSRC, payload type, the sequence counter (which
/// wraps), the timestamp (frame pts rescaled from its time_base to the clock rate, plus
/// a random-looking offset the caller picks, RFC 3550 §5.1), the marker on a frame's
/// last packet for video, and extensions stamped on every packet (e.g. the BUNDLE mid).
/// Each payload is at most max_payload_size bytes (default 1200: fits a 1280-byte IPv6
/// minimum MTU with SRTP, extensions and TURN overhead, as browsers do).
/// Not thread-safe: one per outgoing stream.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include <switchboard/frame.hpp>

#include "rtc/rtp/rtp_packet_writer.hpp"

namespace switchboard::rtc::rtp {

struct PacketizerConfig {
    std::uint32_t ssrc = 0;
    std::uint8_t payload_type = 96;
    std::uint16_t first_sequence_number = 0;
    std::uint32_t timestamp_offset = 0;
    int clock_rate = 90000;
    std::size_t max_payload_size = 1200;
};

class Packetizer {
public:
    explicit Packetizer(const PacketizerConfig& config) noexcept;
    virtual ~Packetizer() = default;
    Packetizer(const Packetizer&) = delete;
    Packetizer& operator=(const Packetizer&) = delete;

    /// The frame's RTP packets in send order; empty if it cannot be packetized (empty,
    /// malformed, or an Opus frame over the budget).
    std::vector<Buffer> packetize(const Frame& frame);

    /// Stamps element `id` on every following packet (false: see RtpPacketWriter).
    bool set_extension(std::uint8_t id, std::span<const std::uint8_t> value) {
        return m_template.set_extension(id, value);
    }

    std::uint16_t next_sequence_number() const noexcept { return m_template.sequence_number; }
    const PacketizerConfig& config() const noexcept { return m_config; }
    /// The RTP timestamp a frame with this pts/time_base gets.
    std::uint32_t rtp_timestamp(std::int64_t pts, Rational time_base) const noexcept;

protected:
    /// Appends one RTP payload per packet for `frame`; false if it cannot be sent.
    virtual bool payloads(std::span<const std::uint8_t> frame, bool keyframe,
                          std::vector<std::vector<std::uint8_t>>& out) = 0;
    /// Video marks a frame's last packet (RFC 6184 §5.1, RFC 7741 §4.1); audio leaves
    /// the marker for talkspurt starts (RFC 7587 §4.1), which we do not track.
    virtual bool marks_frame_end() const noexcept { return true; }

    std::size_t max_payload() const noexcept { return m_config.max_payload_size; }

private:
    PacketizerConfig m_config;
    RtpPacketWriter m_template;
};

/// Splits `size` bytes into chunks of `max` bytes and a last one with the rest; returns
/// each chunk's size. Full chunks rather than equal ones: a frame's datagrams then share
/// one size but the last, which is what lets UdpBatchSender hand them to the kernel as one
/// GSO message. With two sizes it takes two, and a receiver on the same host, woken by
/// the first, may run before the second is sent (a frame's last packet late by the
/// receiver's time slice, measured at up to 2 ms by benchmarks/latency).
std::vector<std::size_t> full_chunks(std::size_t size, std::size_t max);

}  // namespace switchboard::rtc::rtp
