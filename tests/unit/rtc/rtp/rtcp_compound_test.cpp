#include "rtc/rtp/rtcp_compound.hpp"

#include <gtest/gtest.h>

#include "rtc/rtp/rtcp_feedback.hpp"
#include "rtc/rtp/rtcp_reader.hpp"
#include "rtc/rtp/rtcp_receiver_report.hpp"
#include "rtc/rtp/rtcp_sdes.hpp"

namespace switchboard::rtc::rtp {
namespace {

TEST(RtcpCompound, SendersGetSrsWithTheBlocksInTheFirstAndSdesForEach) {
    RtcpReport r;
    RtcpSenderReport first_sr;
    first_sr.sender_ssrc = 10;
    first_sr.ntp_timestamp = 1;
    first_sr.rtp_timestamp = 2;
    first_sr.packet_count = 3;
    r.sender_reports.push_back(first_sr);
    RtcpSenderReport second_sr;
    second_sr.sender_ssrc = 11;
    r.sender_reports.push_back(second_sr);
    r.blocks.push_back({.ssrc = 99, .fraction_lost = 5});
    r.cname = "gw";
    const auto bytes = write_report(r);
    const auto packets = RtcpReader::read_all(bytes);
    ASSERT_TRUE(packets);
    ASSERT_EQ(packets->size(), 3u);
    EXPECT_EQ((*packets)[0].type, rtcp_type::sr);
    EXPECT_EQ((*packets)[1].type, rtcp_type::sr);
    EXPECT_EQ((*packets)[2].type, rtcp_type::sdes);
    const auto first = RtcpSenderReport::parse((*packets)[0]);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->packet_count, 3u);
    ASSERT_EQ(first->report_blocks.size(), 1u);
    EXPECT_EQ(first->report_blocks[0].ssrc, 99u);
    EXPECT_TRUE(RtcpSenderReport::parse((*packets)[1])->report_blocks.empty());
    const auto sdes = RtcpSdes::parse((*packets)[2]);
    ASSERT_TRUE(sdes);
    ASSERT_EQ(sdes->chunks.size(), 2u);
    EXPECT_EQ(sdes->chunks[1].ssrc, 11u);
    EXPECT_EQ(sdes->chunks[1].cname(), "gw");
}

TEST(RtcpCompound, AReceiverOnlySendsAnRr) {
    RtcpReport r;
    r.receiver_ssrc = 5;
    r.blocks.push_back({.ssrc = 99, .cumulative_lost = 3});
    r.cname = "gw";
    const auto bytes = write_report(r);
    const auto packets = RtcpReader::read_all(bytes);
    ASSERT_TRUE(packets);
    ASSERT_EQ(packets->size(), 2u);
    const auto rr = RtcpReceiverReport::parse((*packets)[0]);
    ASSERT_TRUE(rr);
    EXPECT_EQ(rr->sender_ssrc, 5u);
    EXPECT_EQ(rr->report_blocks.at(0).cumulative_lost, 3);
}

TEST(RtcpFeedbackSummary, ReadsEveryKindOfACompound) {
    std::vector<std::uint8_t> bytes;
    RtcpReport r;
    RtcpSenderReport sr;
    sr.sender_ssrc = 10;
    sr.ntp_timestamp = 0x0000123456780000ull;
    r.sender_reports.push_back(sr);
    r.blocks.push_back({.ssrc = 42, .fraction_lost = 9});
    r.cname = "peer";
    bytes = write_report(r);
    RtcpNack{10, 42, {100, 101, 105}}.write(bytes);
    RtcpRemb{10, 600000, {42}}.write(bytes);
    bytes.insert(bytes.end(), {0x81, 206, 0, 2, 0, 0, 0, 10, 0, 0, 0, 42});  // PLI
    const auto fb = read_rtcp_feedback(bytes);
    EXPECT_TRUE(fb.keyframe_request);
    ASSERT_EQ(fb.nacks.size(), 1u);
    EXPECT_EQ(fb.nacks[0].media_ssrc, 42u);
    EXPECT_EQ(fb.nacks[0].sequence_numbers, (std::vector<std::uint16_t>{100, 101, 105}));
    ASSERT_TRUE(fb.remb);
    EXPECT_EQ(fb.remb->bitrate_bps, 600000u);
    ASSERT_EQ(fb.sender_reports.size(), 1u);
    EXPECT_EQ(fb.sender_reports[0].compact_ntp(), 0x12345678u);
    ASSERT_EQ(fb.report_blocks.size(), 1u);
    EXPECT_EQ(fb.report_blocks[0].fraction_lost, 9);
}

TEST(RtcpFeedbackSummary, StopsQuietlyAtGarbage) {
    const std::vector<std::uint8_t> junk = {0x80, 201, 0, 40, 1, 2};
    const auto fb = read_rtcp_feedback(junk);
    EXPECT_FALSE(fb.keyframe_request);
    EXPECT_TRUE(fb.nacks.empty());
    EXPECT_FALSE(fb.remb);
}

}  // namespace
}  // namespace switchboard::rtc::rtp
