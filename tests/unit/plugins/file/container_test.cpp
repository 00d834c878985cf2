// Container choice and what each container holds.
#include <gtest/gtest.h>

#include <stdexcept>

#include "file/container.hpp"

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
