#include "rtc/rtp/unwrapper.hpp"

#include <gtest/gtest.h>

namespace switchboard::rtc::rtp {
namespace {

TEST(Unwrapper, SequenceWrapsForwardAndLatePacketsStayBehind) {
    SequenceUnwrapper u;
    const auto a = u.unwrap(65534);
    EXPECT_EQ(u.unwrap(65535), a + 1);
    EXPECT_EQ(u.unwrap(0), a + 2);
    EXPECT_EQ(u.unwrap(1), a + 3);
    EXPECT_EQ(u.unwrap(65535), a + 1);  // late, from before the wrap
    EXPECT_EQ(u.unwrap(2), a + 4);      // the reference did not move back
    EXPECT_EQ(u.peek(3), a + 5);
}

TEST(Unwrapper, ManyCyclesAndBackwardsStart) {
    SequenceUnwrapper u;
    const auto first = u.unwrap(10);
    EXPECT_EQ(u.unwrap(5), first - 5);  // reordered before the first packet: not negative
    EXPECT_GT(u.unwrap(5), 0);
    std::int64_t last = first;
    for (int i = 0; i < 3 * 65536; i += 1000) last = u.unwrap(std::uint16_t(10 + i));
    EXPECT_EQ(last, first + 196000);
}

TEST(Unwrapper, Timestamps) {
    TimestampUnwrapper u;
    const auto a = u.unwrap(0xffffff00u);
    EXPECT_EQ(u.unwrap(0x00000100u), a + 0x200);
}

}  // namespace
}  // namespace switchboard::rtc::rtp
