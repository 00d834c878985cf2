#include <gtest/gtest.h>

#include "graph/link_queue.hpp"

using namespace switchboard;
using switchboard::core::LinkQueue;

namespace {
Frame frame(std::int64_t pts, bool key) {
    Frame f;
    f.pts = pts;
    f.keyframe = key;
    return f;
}

std::vector<std::int64_t> drain(LinkQueue& q) {
    std::vector<std::int64_t> out;
    while (auto f = q.pop()) out.push_back(f->pts);
    return out;
}
}  // namespace

TEST(LinkQueue, RawMediaLosesExactlyTheOldest) {
    LinkQueue q(3);
    for (int i = 0; i < 5; ++i) q.push(frame(i, true));
    EXPECT_EQ(q.drops(), 2u);
    EXPECT_EQ(drain(q), (std::vector<std::int64_t>{2, 3, 4}));
}

TEST(LinkQueue, EncodedMediaDropsUpToTheNextKeyframe) {
    LinkQueue q(4);
    q.push(frame(0, true));
    q.push(frame(1, false));
    q.push(frame(2, true));
    q.push(frame(3, false));
    auto r = q.push(frame(4, false));  // full: 0 and 1 go, 2 (a keyframe) stays
    EXPECT_EQ(r.dropped, 2u);
    EXPECT_FALSE(r.need_keyframe);
    EXPECT_EQ(drain(q), (std::vector<std::int64_t>{2, 3, 4}));
}

TEST(LinkQueue, WithNoKeyframeLeftItWaitsForOneAndSaysSo) {
    LinkQueue q(2);
    q.push(frame(0, false));
    q.push(frame(1, false));
    auto r = q.push(frame(2, false));
    EXPECT_TRUE(r.need_keyframe);
    EXPECT_EQ(r.dropped, 3u);
    EXPECT_EQ(q.push(frame(3, false)).dropped, 1u);  // still undecodable
    EXPECT_EQ(q.push(frame(4, true)).dropped, 0u);
    q.push(frame(5, false));
    EXPECT_EQ(drain(q), (std::vector<std::int64_t>{4, 5}));
    EXPECT_EQ(q.drops(), 4u);
}

TEST(LinkQueue, ClosedQueueEndsAfterItsLastFrame) {
    LinkQueue q(2);
    q.push(frame(0, true));
    q.close();
    q.push(frame(1, true));  // ignored after close
    EXPECT_FALSE(q.ended());
    EXPECT_TRUE(q.pop());
    EXPECT_TRUE(q.ended());
    EXPECT_FALSE(q.pop());
}

TEST(LinkQueue, ReleasesDroppedBuffersAtOnce) {
    LinkQueue q(1);
    int released = 0;
    static const std::uint8_t byte = 0;
    Frame f = frame(0, true);
    f.buffer = Buffer::adopt(&byte, 1, [&] { ++released; });
    q.push(std::move(f));
    q.push(frame(1, true));
    EXPECT_EQ(released, 1);
}

TEST(LinkQueue, ANewcomerStartsAtAKeyframeWithoutCountingDrops) {
    LinkQueue q(4);
    q.start_at_keyframe();
    auto r = q.push(frame(1, false));
    EXPECT_EQ(r.dropped, 0u);
    EXPECT_FALSE(r.need_keyframe) << "the joiner asks for a keyframe itself";
    q.push(frame(2, true));
    q.push(frame(3, false));
    EXPECT_EQ(q.pop()->pts, 2);
    EXPECT_EQ(q.pop()->pts, 3);
    EXPECT_EQ(q.drops(), 0u);
}
