#include "rtc/rtp/rtcp_sdes.hpp"

#include <gtest/gtest.h>

#include "rtc/rtp/rtcp_bye.hpp"

namespace switchboard::rtc::rtp {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(RtcpSdes, CnameChunkLayout) {
    RtcpSdes s;
    s.chunks.push_back({0x01020304, {{RtcpSdes::cname_item, "cname12"}}});
    Bytes out;
    s.write(out);
    // 4 header + 4 ssrc + 2 + 7 text + 1 null = 18 -> padded to 20.
    const Bytes expected = {0x81, 202, 0x00, 0x04, 1, 2, 3, 4, 1, 7, 'c', 'n', 'a', 'm', 'e', '1', '2', 0, 0, 0};
    EXPECT_EQ(out, expected);
    auto back = RtcpSdes::parse(RtcpReader::read_all(out)->front());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->chunks.at(0).ssrc, 0x01020304u);
    EXPECT_EQ(back->chunks.at(0).cname(), "cname12");
}

TEST(RtcpSdes, TwoChunksAndExactFitNeedsAFullNullWord) {
    RtcpSdes s;
    s.chunks.push_back({1, {{RtcpSdes::cname_item, "ab"}}});  // 4+2+2 = 8: null word added
    s.chunks.push_back({2, {{2, "name"}, {RtcpSdes::cname_item, "x"}}});
    Bytes out;
    s.write(out);
    auto back = RtcpSdes::parse(RtcpReader::read_all(out)->front());
    ASSERT_TRUE(back);
    ASSERT_EQ(back->chunks.size(), 2u);
    EXPECT_EQ(back->chunks[1].cname(), "x");
    EXPECT_EQ(back->chunks[1].items[0].text, "name");
}

TEST(RtcpSdes, RejectsOverrunningItem) {
    const Bytes b = {0x81, 202, 0x00, 0x02, 1, 2, 3, 4, 1, 9, 'a', 'b'};
    EXPECT_FALSE(RtcpSdes::parse(RtcpReader::read_all(b)->front()));
}

TEST(RtcpBye, WithAndWithoutReason) {
    RtcpBye bye{{0x11111111, 0x22222222}, "hangup"};
    Bytes out;
    bye.write(out);
    EXPECT_EQ(out.size() % 4, 0u);
    auto back = RtcpBye::parse(RtcpReader::read_all(out)->front());
    ASSERT_TRUE(back);
    EXPECT_EQ(back->ssrcs, bye.ssrcs);
    EXPECT_EQ(back->reason, "hangup");
    const Bytes plain = {0x81, 203, 0x00, 0x01, 0, 0, 0, 5};
    auto p = RtcpBye::parse(RtcpReader::read_all(plain)->front());
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->reason.empty());
}

}  // namespace
}  // namespace switchboard::rtc::rtp
