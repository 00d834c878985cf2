#include "rtc/sdp/h264_profile.hpp"

#include <gtest/gtest.h>

namespace switchboard::rtc::sdp {
namespace {

H264Profile profile(const char* hex) {
    auto id = H264ProfileLevelId::parse(hex);
    EXPECT_TRUE(id) << hex;
    return id ? id->profile : H264Profile::high;
}

TEST(H264Profile, ConstrainedBaselineSpellings) {
    // RFC 6184 table 5 and libwebrtc: all of these are Constrained Baseline.
    for (const char* hex : {"42e01f", "42c01f", "42f01f", "4de01f", "4d801f", "58c01f", "58f01f", "42E01F"})
        EXPECT_EQ(profile(hex), H264Profile::constrained_baseline) << hex;
}

TEST(H264Profile, OtherProfiles) {
    EXPECT_EQ(profile("42001f"), H264Profile::baseline);
    EXPECT_EQ(profile("42801f"), H264Profile::baseline);
    EXPECT_EQ(profile("58801f"), H264Profile::baseline);
    EXPECT_EQ(profile("4d001f"), H264Profile::main);
    EXPECT_EQ(profile("64001f"), H264Profile::high);
    // RFC 7742 §6.2 / libwebrtc: 640c is Constrained High, a profile of its own.
    EXPECT_EQ(profile("640c1f"), H264Profile::constrained_high);
    EXPECT_EQ(profile("f4001f"), H264Profile::predictive_high_444);
}

TEST(H264Profile, RefusesUnknownProfilesLevelsAndText) {
    for (const char* hex : {"7a001f", "42010f", "64081f", "42e0ff", "42e0", "42e01f0", "42e0zz", ""})
        EXPECT_FALSE(H264ProfileLevelId::parse(hex)) << hex;
}

TEST(H264Profile, Levels) {
    EXPECT_EQ(H264ProfileLevelId::parse("42e01f")->level, H264Level::level_3_1);
    EXPECT_EQ(H264ProfileLevelId::parse("640c34")->level, H264Level::level_5_2);
    // Level 1b: level_idc 11 with constraint_set3 (Baseline/Main), or 9 (High).
    EXPECT_EQ(H264ProfileLevelId::parse("42f00b")->level, H264Level::level_1b);
    EXPECT_EQ(H264ProfileLevelId::parse("42e00b")->level, H264Level::level_1_1);
    EXPECT_EQ(H264ProfileLevelId::parse("640009")->level, H264Level::level_1b);
    EXPECT_TRUE(level_less(H264Level::level_1, H264Level::level_1b));
    EXPECT_TRUE(level_less(H264Level::level_1b, H264Level::level_1_1));
    EXPECT_FALSE(level_less(H264Level::level_1b, H264Level::level_1));
    EXPECT_TRUE(level_less(H264Level::level_3_1, H264Level::level_4));
    EXPECT_FALSE(level_less(H264Level::level_4, H264Level::level_4));
}

TEST(H264Profile, CanonicalValues) {
    EXPECT_EQ(H264ProfileLevelId::parse("42c01f")->to_string(), "42e01f");
    EXPECT_EQ(H264ProfileLevelId::parse("4de01f")->value(), 0x42e01fu);
    EXPECT_EQ(H264ProfileLevelId::parse("4d0028")->to_string(), "4d0028");
    EXPECT_EQ(H264ProfileLevelId::parse("42f00b")->to_string(), "42f00b");
    EXPECT_EQ((H264ProfileLevelId{H264Profile::high, H264Level::level_1b}.value()), std::nullopt);
    EXPECT_EQ(parse_profile_level_id("640C1F"), 0x640c1fu);
}

}  // namespace
}  // namespace switchboard::rtc::sdp
