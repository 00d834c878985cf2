#include "rtsp/source/track_receiver.hpp"

#include "rtc/rtp/rtcp_compound.hpp"
#include "rtc/rtp/rtcp_reader.hpp"
#include "rtc/rtp/rtcp_sender_report.hpp"
#include "rtc/rtp/rtp_packet.hpp"
#include "rtc/sdp/codec_config.hpp"
#include "rtc/sdp/depacketizer_factory.hpp"

namespace switchboard::rtsp {

namespace rtp = rtc::rtp;

TrackReceiver::TrackReceiver(const CameraTrack& track)
    : m_track(track), m_depacketizer(rtc::sdp::make_depacketizer(track.codec)) {
    if (!m_depacketizer) throw std::invalid_argument("no depacketizer for " + to_string(track.format));
    std::vector<std::uint8_t> sets;
    if (track.format.codec == Codec::h264) sets = rtc::sdp::h264_parameter_sets(track.codec);
    if (track.format.codec == Codec::h265) sets = rtc::sdp::h265_parameter_sets(track.codec);
    if (!sets.empty()) m_parameter_sets = Buffer::copy_of(sets.data(), sets.size());
}

void TrackReceiver::complete_keyframe(Frame& frame) {
    if (!frame.codec_config.empty()) {
        m_parameter_sets = frame.codec_config;  // in-band sets are the newest
        return;
    }
    if (m_parameter_sets.empty()) return;
    // A camera that gives its parameter sets only in the SDP: a decoder that joins at this
    // keyframe (a browser, after passthrough) needs them in front of it.
    Buffer joined = Buffer::allocate(m_parameter_sets.size() + frame.payload_size());
    std::copy_n(m_parameter_sets.data(), m_parameter_sets.size(), joined.mutable_data());
    std::copy_n(frame.payload(), frame.payload_size(), joined.mutable_data() + m_parameter_sets.size());
    frame.buffer = std::move(joined);
    frame.codec_config = m_parameter_sets;
}

void TrackReceiver::on_rtp(std::span<const std::uint8_t> bytes, std::int64_t now_ns, rtc::rtp::CaptureClock& clock,
                           std::vector<Frame>& out) {
    auto parsed = rtp::RtpPacket::parse(bytes);
    if (!parsed.packet || parsed.packet->payload_type() != m_track.codec.payload_type) {
        ++m_counters.malformed;
        return;
    }
    const auto& packet = *parsed.packet;
    ++m_counters.packets;
    if (!m_stats || m_stats->ssrc() != packet.ssrc()) {
        m_stats.emplace(packet.ssrc(), m_track.format.clock_rate);
        m_sender_clock.reset();  // a report of another SSRC says nothing about this one
    }
    m_stats->on_packet(packet.sequence_number(), packet.timestamp(), now_ns / 1'000'000);
    auto result = m_depacketizer->push(packet);
    m_counters.packets_lost += result.packets_lost;
    m_counters.frames_dropped += result.frames_dropped;
    for (auto& frame : result.frames) {
        if (frame.keyframe && (m_track.format.codec == Codec::h264 || m_track.format.codec == Codec::h265))
            complete_keyframe(frame);
        frame.timing.capture_ns = clock.capture_ns(m_sender_clock, frame.pts, m_track.format.clock_rate, now_ns);
        ++m_counters.frames;
        out.push_back(std::move(frame));
    }
}

void TrackReceiver::on_rtcp(std::span<const std::uint8_t> bytes, std::int64_t now_ms) {
    rtp::RtcpReader reader(bytes);
    while (auto view = reader.next()) {
        if (view->type != rtp::rtcp_type::sr) continue;
        auto sr = rtp::RtcpSenderReport::parse(*view);
        if (!sr || !m_stats || sr->sender_ssrc != m_stats->ssrc()) continue;
        ++m_counters.sender_reports;
        m_stats->on_sender_report(sr->compact_ntp(), now_ms);
        m_sender_clock.on_sender_report(sr->ntp_timestamp, sr->rtp_timestamp);
    }
}

std::optional<std::vector<std::uint8_t>> TrackReceiver::receiver_report(std::uint32_t our_ssrc, std::int64_t now_ms) {
    if (!m_stats || !m_stats->has_packets()) return std::nullopt;
    rtp::RtcpReport report;
    report.receiver_ssrc = our_ssrc;
    report.blocks.push_back(m_stats->report_block(now_ms));
    report.cname = "switchboard";
    return rtp::write_report(report);
}

}  // namespace switchboard::rtsp
