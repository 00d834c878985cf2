#include "rtc/sdp/attributes.hpp"

#include <gtest/gtest.h>

namespace switchboard::rtc::sdp {
namespace {

TEST(Attributes, Directions) {
    EXPECT_EQ(parse_direction("recvonly"), Direction::recvonly);
    EXPECT_FALSE(parse_direction("sendrecv "));
    EXPECT_EQ(reverse(Direction::sendonly), Direction::recvonly);
    EXPECT_EQ(reverse(Direction::recvonly), Direction::sendonly);
    EXPECT_EQ(reverse(Direction::sendrecv), Direction::sendrecv);
    EXPECT_EQ(reverse(Direction::inactive), Direction::inactive);
    EXPECT_EQ(parse_setup("passive"), Setup::passive);
    EXPECT_FALSE(parse_setup("Passive"));
}

TEST(Attributes, RtpMap) {
    auto m = RtpMap::parse("111 opus/48000/2");
    ASSERT_TRUE(m);
    EXPECT_EQ(m->payload_type, 111);
    EXPECT_EQ(m->encoding, "opus");
    EXPECT_EQ(m->clock_rate, 48000u);
    EXPECT_EQ(m->channels, 2);
    EXPECT_EQ(m->to_string(), "111 opus/48000/2");
    EXPECT_EQ(RtpMap::parse("96 VP8/90000")->to_string(), "96 VP8/90000");
    for (const char* bad : {"", "96", "96 VP8", "96 /90000", "96 VP8/0", "96 VP8/x", "96 VP8/90000/0", "x VP8/90000",
                            "96 VP8/90000 extra"})
        EXPECT_FALSE(RtpMap::parse(bad)) << bad;
}

TEST(Attributes, FmtpParameters) {
    auto f = Fmtp::parse("102 level-asymmetry-allowed=1;packetization-mode=1; profile-level-id=42e01f");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->payload_type, 102);
    EXPECT_EQ(parameter(f->parameters, "profile-level-id"), "42e01f");
    EXPECT_EQ(parameter(f->parameters, "PACKETIZATION-MODE"), "1");
    EXPECT_FALSE(parameter(f->parameters, "apt"));
    auto params = parse_parameters("0-15");
    ASSERT_EQ(params.size(), 1u);
    EXPECT_EQ(params[0].first, "0-15");
    EXPECT_EQ(Fmtp::parse("101 0-15")->to_string(), "101 0-15");
}

TEST(Attributes, RtcpFeedback) {
    auto fb = RtcpFeedback::parse("96 nack pli");
    ASSERT_TRUE(fb);
    EXPECT_EQ(fb->payload_type, 96);
    EXPECT_EQ(fb->type, "nack");
    EXPECT_EQ(fb->parameter, "pli");
    auto any = RtcpFeedback::parse("* ccm fir");
    ASSERT_TRUE(any);
    EXPECT_EQ(any->payload_type, RtcpFeedback::wildcard);
    EXPECT_EQ(any->to_string(), "* ccm fir");
    EXPECT_FALSE(RtcpFeedback::parse("96"));
}

TEST(Attributes, ExtMap) {
    auto e = ExtMap::parse("2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->id, 2);
    EXPECT_EQ(e->direction, Direction::recvonly);
    EXPECT_EQ(e->uri, "urn:ietf:params:rtp-hdrext:csrc-audio-level");
    EXPECT_EQ(e->to_string(), "2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level");
    auto with_attr = ExtMap::parse("5 urn:x vad=on");
    ASSERT_TRUE(with_attr);
    EXPECT_EQ(with_attr->attributes, "vad=on");
    for (const char* bad : {"0 urn:x", "4352 urn:x", "1/sideways urn:x", "1"}) EXPECT_FALSE(ExtMap::parse(bad)) << bad;
}

TEST(Attributes, SsrcAndGroups) {
    auto s = SsrcAttribute::parse("632943048 msid:stream track");
    ASSERT_TRUE(s);
    EXPECT_EQ(s->ssrc, 632943048u);
    EXPECT_EQ(s->attribute, "msid");
    EXPECT_EQ(s->value, "stream track");
    auto flag = SsrcAttribute::parse("1 mslabel");
    ASSERT_TRUE(flag);
    EXPECT_FALSE(flag->value);
    EXPECT_EQ(flag->to_string(), "1 mslabel");
    EXPECT_FALSE(SsrcAttribute::parse("4294967296 cname:x"));
    auto g = SsrcGroup::parse("SIM 1 2 3");
    ASSERT_TRUE(g);
    EXPECT_EQ(g->ssrcs.size(), 3u);
    EXPECT_EQ(g->to_string(), "SIM 1 2 3");
}

TEST(Attributes, GroupsMsidOriginConnection) {
    EXPECT_EQ(Group::parse("BUNDLE  0 1")->mids.size(), 2u);
    EXPECT_EQ(Msid::parse("s t")->track_id, "t");
    EXPECT_EQ(Msid::parse("s")->to_string(), "s");
    EXPECT_FALSE(Msid::parse("a b c"));
    auto o = Origin::parse("- 18446744073709551615 0 IN IP6 ::1");
    ASSERT_TRUE(o);
    EXPECT_EQ(o->session_id, 18446744073709551615u);
    EXPECT_FALSE(Origin::parse("- 18446744073709551616 0 IN IP4 0.0.0.0"));
    EXPECT_FALSE(Connection::parse("IN IP4"));
}

}  // namespace
}  // namespace switchboard::rtc::sdp
