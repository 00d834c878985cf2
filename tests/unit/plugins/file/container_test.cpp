// Container choice and what each container holds.
#include <gtest/gtest.h>

#include <stdexcept>

#include "file/container.hpp"
#include "file/extradata.hpp"
#include "support/video_codec.hpp"

using namespace switchboard;
using namespace switchboard::file;

TEST(Container, AutoFollowsTheExtension) {
    EXPECT_EQ(choose_container("auto", "/tmp/a.mkv"), Container::matroska);
    EXPECT_EQ(choose_container("auto", "/tmp/a.MP4"), Container::mp4);
    EXPECT_EQ(choose_container("auto", "rec.webm"), Container::webm);
    EXPECT_EQ(choose_container("webm", "/tmp/a.mkv"), Container::webm);  // explicit wins
    try {
        (void)choose_container("auto", "/tmp/a.avi");
        FAIL() << "no container for .avi";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("/tmp/a.avi"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("container"), std::string::npos) << e.what();
    }
}

TEST(Container, HoldsWhatLibavformatAccepts) {
    for (Codec c : {Codec::h264, Codec::vp8, Codec::vp9, Codec::av1, Codec::opus, Codec::aac})
        EXPECT_TRUE(can_hold(Container::matroska, c)) << to_string(c);
    for (Codec c : {Codec::vp8, Codec::vp9, Codec::av1, Codec::opus})
        EXPECT_TRUE(can_hold(Container::webm, c)) << to_string(c);
    EXPECT_FALSE(can_hold(Container::webm, Codec::h264));
    EXPECT_FALSE(can_hold(Container::webm, Codec::aac));
    for (Codec c : {Codec::h264, Codec::aac, Codec::opus, Codec::vp9})
        EXPECT_TRUE(can_hold(Container::mp4, c)) << to_string(c);
}

TEST(Extradata, PictureSizeFromAKeyframeOfEachVideoCodec) {
    for (Codec codec : {Codec::h264, Codec::vp8}) {
        test::VideoEncoder encoder(codec);
        ASSERT_TRUE(encoder.ok());
        Frame key = encoder.encode(true);
        key.format.width = key.format.height = 0;  // as a WebRTC publisher's frames come
        EXPECT_EQ(picture_size(key), (std::pair<int, int>{test::width, test::height})) << to_string(codec);
    }
    Frame nothing;
    nothing.format.kind = MediaKind::video;
    nothing.format.codec = Codec::vp8;
    EXPECT_EQ(picture_size(nothing), (std::pair<int, int>{0, 0}));
}
