#include "rtc/rtp/rtp_send_stream.hpp"

#include <gtest/gtest.h>

#include "rtc/rtp/abs_send_time.hpp"
#include "rtc/rtp/rtx.hpp"
#include "rtc/rtp/vp8_packetizer.hpp"

namespace switchboard::rtc::rtp {
namespace {

constexpr std::uint32_t media_ssrc = 0x1000;
constexpr std::uint32_t rtx_ssrc = 0x2000;

RtpSendStream make_stream(std::optional<RtxConfig> rtx, std::optional<std::uint8_t> abs_id = std::nullopt) {
    PacketizerConfig cfg;
    cfg.ssrc = media_ssrc;
    cfg.payload_type = 96;
    cfg.first_sequence_number = 65534;
    cfg.max_payload_size = 100;
    SendStreamOptions o;
    o.rtx = rtx;
    o.abs_send_time_id = abs_id;
    o.max_resend_ratio = 2;  // these tests resend most of what they sent
    return RtpSendStream(Format{.kind = MediaKind::video, .codec = Codec::vp8, .clock_rate = 90000},
                         std::make_unique<Vp8Packetizer>(cfg), o);
}

/// A VP8 "frame" of `size` bytes (a keyframe header, then filler).
Frame vp8_frame(std::int64_t pts, std::size_t size = 250) {
    std::vector<std::uint8_t> b = {0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a};
    b.resize(size, 0x55);
    Frame f;
    f.format = Format{.kind = MediaKind::video, .codec = Codec::vp8};
    f.buffer = Buffer::copy_of(b.data(), b.size());
    f.pts = pts;
    f.time_base = {1, 30};
    f.keyframe = true;
    return f;
}

TEST(RtpSendStream, ANackIsAnsweredOverRtxWithTheOriginalInside) {
    auto s = make_stream(RtxConfig{97, rtx_ssrc, 500});
    const auto sent = s.send(vp8_frame(0), 0);
    ASSERT_EQ(sent.size(), 3u);                  // 65534, 65535, 0
    const std::uint16_t nack[] = {65535, 0, 4};  // 4 was never sent
    const auto again = s.retransmit(nack, 20'000);
    ASSERT_EQ(again.size(), 2u);
    EXPECT_EQ(s.retransmissions(), 2u);
    auto first = RtpPacket::parse(again[0]);
    EXPECT_EQ(first.packet->ssrc(), rtx_ssrc);
    EXPECT_EQ(first.packet->payload_type(), 97);
    EXPECT_EQ(first.packet->sequence_number(), 500);
    EXPECT_EQ(RtpPacket::parse(again[1]).packet->sequence_number(), 501);
    auto original = unwrap_rtx(*first.packet, 96, media_ssrc);
    ASSERT_TRUE(original);
    EXPECT_TRUE(std::equal(original->bytes().begin(), original->bytes().end(), sent[1].data()));
    // The SR counts the media SSRC's packets only.
    const auto sr = s.sender_report(1, 30'000);
    ASSERT_TRUE(sr);
    EXPECT_EQ(sr->sender_ssrc, media_ssrc);
    EXPECT_EQ(sr->packet_count, 3u);
}

TEST(RtpSendStream, WithoutRtxTheSamePacketIsResent) {
    auto s = make_stream(std::nullopt);
    const auto sent = s.send(vp8_frame(0), 0);
    const std::uint16_t nack[] = {65534};
    const auto again = s.retransmit(nack, 1000);
    ASSERT_EQ(again.size(), 1u);
    ASSERT_EQ(again[0].size(), sent[0].size());
    EXPECT_TRUE(std::equal(sent[0].data(), sent[0].data() + sent[0].size(), again[0].data()));
    EXPECT_EQ(s.sender_report(1, 1000)->packet_count, 3u);  // resends are not counted
}

TEST(RtpSendStream, PacketsOlderThanTheHistoryAreNotResent) {
    auto s = make_stream(std::nullopt);
    s.send(vp8_frame(0), 0);
    const std::uint16_t nack[] = {65534};
    EXPECT_TRUE(s.retransmit(nack, 5'000'000).empty());
}

TEST(RtpSendStream, ResendsAreLimitedPerPacketAndByBudget) {
    auto s = make_stream(std::nullopt);
    s.send(vp8_frame(0), 0);  // 3 packets
    const std::uint16_t one[] = {65534};
    EXPECT_EQ(s.retransmit(one, 10'000).size(), 1u);
    EXPECT_TRUE(s.retransmit(one, 50'000).empty());  // asked again within the interval
    EXPECT_EQ(s.retransmit(one, 120'000).size(), 1u);
    EXPECT_EQ(s.resends_limited(), 1u);
    // The budget: twice the media bytes of the last second; the third and later resends of
    // this burst exceed it.
    const std::uint16_t all[] = {65534, 65535, 0, 65534};
    const auto again = s.retransmit(all, 300'000);
    EXPECT_LT(again.size(), 4u);
    EXPECT_GT(s.resends_limited(), 1u);
}

TEST(RtpSendStream, ResendsStayWithinWhatTheMediaLeavesOfThePeersEstimate) {
    auto s = make_stream(std::nullopt);
    const auto sent = s.send(vp8_frame(0), 0);
    std::size_t media = 0;
    for (const auto& p : sent) media += p.size();
    const std::uint16_t first[] = {65534};
    // An estimate the media alone fills: nothing is resent (a tenth of 3 packets is not one).
    s.set_bandwidth_estimate(media * 8);
    EXPECT_TRUE(s.retransmit(first, 10'000).empty());
    EXPECT_EQ(s.resends_limited(), 1u);
    // Room for one packet more: that one is.
    s.set_bandwidth_estimate((media + sent[0].size()) * 8);
    EXPECT_EQ(s.retransmit(first, 20'000).size(), 1u);
    // Repair keeps a tenth of the media however full the estimate.
    for (int i = 1; i < 10; ++i)
        for (const auto& p : s.send(vp8_frame(i), 30'000 + i * 1000)) media += p.size();
    s.set_bandwidth_estimate(8);
    const std::uint16_t later[] = {1, 4, 7, 10, 13, 16};  // each a frame's first packet
    const auto again = s.retransmit(later, 150'000);
    const std::size_t fit = (media / 10 - sent[0].size()) / sent[0].size();
    ASSERT_GE(fit, 1u);
    EXPECT_EQ(again.size(), fit);
}

TEST(RtpSendStream, StampsAbsSendTimeWhenEachPacketLeaves) {
    auto s = make_stream(RtxConfig{97, rtx_ssrc, 0}, 2);
    const auto sent = s.send(vp8_frame(0), 1'500'000);
    const auto e = RtpPacket::parse(sent[0]).packet->extension(2);
    ASSERT_TRUE(e);
    EXPECT_EQ((*e)[0], 0x06);  // 1.5 s
    const std::uint16_t nack[] = {65534};
    const auto again = s.retransmit(nack, 2'000'000);
    EXPECT_EQ((*RtpPacket::parse(again[0]).packet->extension(2))[0], 0x08);  // 2 s: stamped anew
}

TEST(RtpSendStream, SequenceAndTimestampStayContinuousWhenTheSourceRestarts) {
    auto s = make_stream(std::nullopt);
    std::vector<RtpPacket> packets;
    auto send = [&](std::int64_t pts) {
        for (const auto& b : s.send(vp8_frame(pts, 50), 0)) packets.push_back(*RtpPacket::parse(b).packet);
    };
    send(100);
    send(101);
    send(102);
    send(0);  // the source restarted
    send(1);
    send(5000);  // and jumped
    ASSERT_EQ(packets.size(), 6u);
    for (std::size_t i = 1; i < packets.size(); ++i) {
        EXPECT_EQ(std::uint16_t(packets[i - 1].sequence_number() + 1), packets[i].sequence_number());
        EXPECT_EQ(packets[i].timestamp() - packets[i - 1].timestamp(), 3000u) << i;
    }
    EXPECT_EQ(s.timeline().discontinuities(), 2u);
}

}  // namespace
}  // namespace switchboard::rtc::rtp
