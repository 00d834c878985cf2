#include <gtest/gtest.h>

#include <switchboard/format.hpp>

using namespace switchboard;

namespace {
Format video(Codec c, int w = 0, int h = 0) {
    Format f;
    f.kind = MediaKind::video;
    f.codec = c;
    f.width = w;
    f.height = h;
    return f;
}
}  // namespace

TEST(Format, UnsetParametersTakeTheOtherSide) {
    auto f = intersect(video(Codec::i420, 1280, 720), video(Codec::any));
    ASSERT_TRUE(f);
    EXPECT_EQ(f->codec, Codec::i420);
    EXPECT_EQ(f->width, 1280);
    EXPECT_EQ(f->height, 720);
}

TEST(Format, ConflictsMeetInNothing) {
    EXPECT_FALSE(intersect(video(Codec::i420, 1280, 720), video(Codec::i420, 640, 480)));
    EXPECT_FALSE(intersect(video(Codec::h264), video(Codec::vp8)));
    Format audio;
    audio.kind = MediaKind::audio;
    EXPECT_FALSE(intersect(video(Codec::any), audio));
}

TEST(Format, FrameRatesCompareAsValues) {
    auto a = video(Codec::i420);
    auto b = video(Codec::i420);
    a.frame_rate = {30, 1};
    b.frame_rate = {60, 2};
    EXPECT_TRUE(intersect(a, b));
    b.frame_rate = {25, 1};
    EXPECT_FALSE(intersect(a, b));
}

TEST(Format, H264ProfileMustAgreeAndLevelIsTheLower) {
    auto a = video(Codec::h264);
    auto b = video(Codec::h264);
    a.profile_level_id = 0x42e01f;  // constrained baseline 3.1
    b.profile_level_id = 0x42e028;  // constrained baseline 4.0
    auto f = intersect(a, b);
    ASSERT_TRUE(f);
    EXPECT_EQ(f->profile_level_id, 0x42e01fu);
    b.profile_level_id = 0x64001f;  // high
    EXPECT_FALSE(intersect(a, b));
    a.packetization_mode = 1;
    b = video(Codec::h264);
    b.packetization_mode = 0;
    EXPECT_FALSE(intersect(a, b));
}

TEST(Format, SetIntersectionKeepsPreferenceOrder) {
    FormatSet producer{video(Codec::vp8), video(Codec::h264)};
    FormatSet consumer{video(Codec::h264), video(Codec::vp8), video(Codec::av1)};
    auto common = intersect(producer, consumer);
    ASSERT_EQ(common.size(), 2u);
    EXPECT_EQ(common[0].codec, Codec::vp8);
    EXPECT_EQ(common[1].codec, Codec::h264);
}

TEST(Format, PrintsWhatMatters) {
    auto f = video(Codec::h264, 1280, 720);
    f.frame_rate = {30, 1};
    f.profile_level_id = 0x42e01f;
    f.packetization_mode = 1;
    EXPECT_EQ(to_string(f), "video/H264 1280x720@30 profile-level-id=42e01f packetization-mode=1");
    EXPECT_EQ(to_string(FormatSet{}), "{}");
    EXPECT_EQ(codec_from_string("vp8"), Codec::vp8);
    EXPECT_EQ(codec_from_string("Opus"), Codec::opus);
    EXPECT_FALSE(codec_from_string("mp3"));
}
