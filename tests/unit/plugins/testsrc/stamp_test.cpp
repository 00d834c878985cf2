// The frame stamp: writer and reader agree, and the layout is stamp.py's.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "testsrc/stamp.hpp"

namespace stamp = switchboard::testsrc::stamp;

TEST(Stamp, ReadsBackWhatItWrote) {
    for (int width : {80, 320, 640, 1280, 1920}) {
        const int stride = width + 16;  // a padded plane must work too
        std::vector<std::uint8_t> luma(std::size_t(stride) * std::size_t(stamp::rows_needed(width)), 100);
        for (std::uint32_t ms : {0u, 1u, 0x80000000u, 0xdeadbeefu, 0xffffffffu}) {
            for (std::uint32_t counter : {0u, 1u, 65535u, 65536u + 7u}) {
                stamp::write(luma.data(), stride, width, ms, counter);
                auto r = stamp::read(luma.data(), stride, width);
                EXPECT_EQ(r.ms32, ms) << "width " << width;
                EXPECT_EQ(r.counter, counter & 0xffffu) << "width " << width;
            }
        }
    }
}

TEST(Stamp, LayoutMatchesThePeersStampPy) {
    // width 320: blocks of 8 px; row 0 = 32 bits of time, MSB first; row 1 = 16 bits of counter.
    const int width = 320;
    std::vector<std::uint8_t> luma(std::size_t(width) * 16, 0);
    stamp::write(luma.data(), width, width, 0x80000001u, 0x8001u);
    auto at = [&](int x, int y) { return luma[std::size_t(y) * width + std::size_t(x)]; };
    EXPECT_EQ(at(0, 0), 235);  // bit 31 of the time: 1
    EXPECT_EQ(at(7, 7), 235);
    EXPECT_EQ(at(8, 0), 16);        // bit 30: 0
    EXPECT_EQ(at(31 * 8, 0), 235);  // bit 0: 1
    EXPECT_EQ(at(32 * 8, 0), 0);    // nothing past 32 blocks
    EXPECT_EQ(at(0, 8), 235);       // counter bit 15
    EXPECT_EQ(at(8, 8), 16);
    EXPECT_EQ(at(15 * 8 + 4, 12), 235);  // counter bit 0
    EXPECT_EQ(at(16 * 8, 8), 0);         // nothing past 16 blocks
}

TEST(Stamp, AgeWrapsAndRejectsNonsense) {
    EXPECT_EQ(stamp::age_ms(1000, 1250), 250u);
    EXPECT_EQ(stamp::age_ms(0xfffffff0u, 5), 21u);  // across the 2^32 wrap
    EXPECT_FALSE(stamp::age_ms(0, 70000).has_value());
    EXPECT_FALSE(stamp::age_ms(2000, 1000).has_value());  // from the future
    auto now = stamp::now_ms32();
    ASSERT_TRUE(stamp::age_ms(now).has_value());
    EXPECT_LT(*stamp::age_ms(now), 1000u);
}
