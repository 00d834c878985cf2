#include <gtest/gtest.h>

#include <switchboard/frame.hpp>

using namespace switchboard;

TEST(Buffer, AdoptReleasesOnceWhenTheLastCopyGoes) {
    static const std::uint8_t bytes[4] = {1, 2, 3, 4};
    int released = 0;
    {
        auto a = Buffer::adopt(bytes, sizeof bytes, [&] { ++released; });
        Buffer b = a;
        {
            Buffer c = b;
            EXPECT_EQ(c.use_count(), 3);
        }
        EXPECT_EQ(released, 0);
        EXPECT_EQ(b.data(), bytes);
        EXPECT_EQ(b.size(), 4u);
    }
    EXPECT_EQ(released, 1);
}

TEST(Buffer, MutableOnlyWhileUnshared) {
    auto a = Buffer::allocate(16);
    ASSERT_NE(a.mutable_data(), nullptr);
    a.mutable_data()[0] = 7;
    Buffer b = a;
    EXPECT_EQ(a.mutable_data(), nullptr);
    EXPECT_EQ(b.data()[0], 7);
    auto c = Buffer::copy_of(b.data(), b.size());
    EXPECT_NE(c.data(), b.data());
    EXPECT_EQ(c.data()[0], 7);
}

TEST(Frame, CopiesShareBytesAndTimingFollows) {
    Frame f;
    f.buffer = Buffer::allocate(100);
    f.timing.capture_ns = 42;
    f.timing.push({1, 10, 20});
    Frame g = f;
    EXPECT_EQ(g.buffer.data(), f.buffer.data());
    Frame h;
    h.inherit_timing(g);
    EXPECT_EQ(h.timing.capture_ns, 42);
    ASSERT_EQ(h.timing.stamp_count, 1);
    EXPECT_EQ(h.timing.last()->out_ns, 20);
}

TEST(Timing, KeepsTheNewestStampsWhenFull) {
    Timing t;
    for (std::uint32_t i = 0; i < Timing::max_stamps + 3; ++i) t.push({i, 0, 0});
    EXPECT_EQ(t.stamp_count, Timing::max_stamps);
    EXPECT_EQ(t.stamps[0].node, 3u);
    EXPECT_EQ(t.last()->node, Timing::max_stamps + 2);
}
