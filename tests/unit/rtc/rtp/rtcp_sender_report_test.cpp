#include "rtc/rtp/rtcp_sender_report.hpp"

#include <gtest/gtest.h>

#include "rtc/rtp/rtcp_receiver_report.hpp"

namespace switchboard::rtc::rtp {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(RtcpSenderReport, ParsesKnownBytes) {
    // SR from SSRC 0x11223344 with one report block about 0xaabbccdd.
    const Bytes b = {0x81, 200,  0x00, 0x0c, 0x11, 0x22, 0x33, 0x44, 0xe8, 0x00, 0x00, 0x01, 0x80,
                     0x00, 0x00, 0x00, 0x00, 0x01, 0x5f, 0x90, 0x00, 0x00, 0x00, 0x0a, 0x00, 0x00,
                     0x27, 0x10, 0xaa, 0xbb, 0xcc, 0xdd, 0x40, 0xff, 0xff, 0xfe, 0x00, 0x01, 0x00,
                     0x05, 0x00, 0x00, 0x00, 0x20, 0x00, 0x01, 0x80, 0x00, 0x00, 0x00, 0x80, 0x00};
    auto all = RtcpReader::read_all(b);
    ASSERT_TRUE(all);
    auto sr = RtcpSenderReport::parse(all->front());
    ASSERT_TRUE(sr);
    EXPECT_EQ(sr->sender_ssrc, 0x11223344u);
    EXPECT_EQ(sr->ntp_timestamp, 0xe800000180000000ull);
    EXPECT_EQ(sr->compact_ntp(), 0x00018000u);
    EXPECT_EQ(sr->rtp_timestamp, 90000u);
    EXPECT_EQ(sr->packet_count, 10u);
    EXPECT_EQ(sr->octet_count, 10000u);
    ASSERT_EQ(sr->report_blocks.size(), 1u);
    const auto& rb = sr->report_blocks[0];
    EXPECT_EQ(rb.ssrc, 0xaabbccddu);
    EXPECT_EQ(rb.fraction_lost, 0x40);  // 25%
    EXPECT_EQ(rb.cumulative_lost, -2);  // 24-bit signed
    EXPECT_EQ(rb.extended_highest_seq, 0x00010005u);
    EXPECT_EQ(rb.jitter, 32u);
    EXPECT_EQ(rb.last_sr, 0x00018000u);
    EXPECT_EQ(rb.delay_since_last_sr, 0x8000u);  // half a second
    Bytes out;
    sr->write(out);
    EXPECT_EQ(out, b);
}

TEST(RtcpSenderReport, RejectsShortBodyAndWrongType) {
    Bytes b;
    RtcpSenderReport sr;
    sr.report_blocks.resize(2);
    sr.write(b);
    auto v = RtcpReader::read_all(b)->front();
    EXPECT_TRUE(RtcpSenderReport::parse(v));
    EXPECT_FALSE(RtcpReceiverReport::parse(v));
    v.body = v.body.first(v.body.size() - 1);
    EXPECT_FALSE(RtcpSenderReport::parse(v));
}

TEST(RtcpReceiverReport, RoundTripWithBlocksAndClampedLoss) {
    RtcpReceiverReport rr;
    rr.sender_ssrc = 5;
    RtcpReportBlock a;
    a.ssrc = 1;
    a.cumulative_lost = 0x7fffff;
    RtcpReportBlock b = a;
    b.ssrc = 2;
    b.cumulative_lost = -0x800000;
    rr.report_blocks = {a, b};
    Bytes out;
    rr.write(out);
    EXPECT_EQ(out.size(), 8u + 48);
    auto back = RtcpReceiverReport::parse(RtcpReader::read_all(out)->front());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->report_blocks, rr.report_blocks);
    rr.report_blocks[0].cumulative_lost = 0x1000000;  // beyond 24 bits: clamped
    out.clear();
    rr.write(out);
    EXPECT_EQ(RtcpReceiverReport::parse(RtcpReader::read_all(out)->front())->report_blocks[0].cumulative_lost,
              0x7fffff);
}

}  // namespace
}  // namespace switchboard::rtc::rtp
