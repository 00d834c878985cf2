#include "rtc/rtp/rtcp_reader.hpp"

#include <gtest/gtest.h>

#include "rtc/rtp/packet_demux.hpp"
#include "rtc/rtp/rtcp_pli.hpp"
#include "rtc/rtp/rtcp_receiver_report.hpp"
#include "rtc/rtp/rtcp_sdes.hpp"

namespace switchboard::rtc::rtp {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(RtcpReader, IteratesACompoundAndSkipsUnknownTypes) {
    Bytes c;
    RtcpReceiverReport rr;
    rr.sender_ssrc = 1;
    rr.write(c);
    const Bytes app = {0x80, 204, 0x00, 0x02, 0, 0, 0, 1, 'n', 'a', 'm', 'e'};
    c.insert(c.end(), app.begin(), app.end());
    const Bytes xr = {0x80, 207, 0x00, 0x01, 0, 0, 0, 9};  // XR, not handled here
    c.insert(c.end(), xr.begin(), xr.end());
    RtcpSdes sdes;
    sdes.chunks.push_back({1, {{RtcpSdes::cname_item, "abcd"}}});
    sdes.write(c);
    EXPECT_TRUE(is_rtcp(c));

    RtcpReader r(c);
    std::vector<std::uint8_t> types;
    std::optional<std::string> cname;
    while (auto v = r.next()) {
        types.push_back(v->type);
        if (auto s = RtcpSdes::parse(*v)) cname = std::string(*s->chunks.at(0).cname());
    }
    EXPECT_EQ(r.error(), RtcpParseError::none);
    EXPECT_EQ(types, (std::vector<std::uint8_t>{201, 204, 207, 202}));
    EXPECT_EQ(cname, "abcd");
}

TEST(RtcpReader, ReducedSizeLonePli) {
    Bytes c;
    RtcpPli{0x11, 0x22}.write(c);
    auto all = RtcpReader::read_all(c);
    ASSERT_TRUE(all);
    ASSERT_EQ(all->size(), 1u);
    auto pli = RtcpPli::parse(all->front());
    ASSERT_TRUE(pli);
    EXPECT_EQ(pli->media_ssrc, 0x22u);
}

TEST(RtcpReader, StopsAtTruncatedOrBadPacketKeepingWhatCameBefore) {
    Bytes c;
    RtcpPli{1, 2}.write(c);
    const Bytes bad = {0x80, 201, 0x00, 0x05, 0, 0, 0, 1};  // says 24 bytes, has 8
    c.insert(c.end(), bad.begin(), bad.end());
    RtcpReader r(c);
    EXPECT_TRUE(r.next());
    EXPECT_FALSE(r.next());
    EXPECT_EQ(r.error(), RtcpParseError::truncated);
    EXPECT_FALSE(RtcpReader::read_all(c));

    const Bytes v1 = {0x40, 201, 0, 1, 0, 0, 0, 1};
    RtcpReader r1(v1);
    EXPECT_FALSE(r1.next());
    EXPECT_EQ(r1.error(), RtcpParseError::bad_version);
    const Bytes shrt = {0x80, 201};
    RtcpReader r2(shrt);
    EXPECT_FALSE(r2.next());
    EXPECT_EQ(r2.error(), RtcpParseError::too_short);
}

TEST(RtcpReader, PaddingIsRemovedFromTheBody) {
    const Bytes p = {0xa0, 201, 0x00, 0x02, 0, 0, 0, 7, 0, 0, 0, 4};  // RR + 4 bytes padding
    auto all = RtcpReader::read_all(p);
    ASSERT_TRUE(all);
    EXPECT_EQ(all->front().body.size(), 4u);
    EXPECT_EQ(RtcpReceiverReport::parse(all->front())->sender_ssrc, 7u);
    Bytes bad = p;
    bad.back() = 9;  // more than the body
    EXPECT_FALSE(RtcpReader::read_all(bad));
}

}  // namespace
}  // namespace switchboard::rtc::rtp
