// profile-level-id from an SPS, and how Constrained Baseline is advertised.
#include <gtest/gtest.h>

#include <cstdint>
#include <vector>

#include "transcode/h264_profile.hpp"

using namespace switchboard::transcode;

TEST(H264Profile, ReadsTheFirstSps) {
    const std::vector<std::uint8_t> annexb = {0, 0, 0, 1,    0x06, 0x05, 0x00,              // SEI
                                              0, 0, 0, 1,    0x67, 0x42, 0xc0, 0x1f, 0xda,  // SPS
                                              0, 0, 1, 0x68, 0xce, 0x3c, 0x80};             // PPS
    auto plid = sps_profile_level_id(annexb.data(), annexb.size());
    ASSERT_TRUE(plid);
    EXPECT_EQ(*plid, 0x42c01fu);
    const std::vector<std::uint8_t> no_sps = {0, 0, 1, 0x68, 0xce, 0x3c, 0x80};
    EXPECT_FALSE(sps_profile_level_id(no_sps.data(), no_sps.size()));
    EXPECT_FALSE(sps_profile_level_id(annexb.data(), 13));  // truncated inside the SPS
}

TEST(H264Profile, ConstrainedBaselineIsAdvertisedAs42e0) {
    EXPECT_EQ(advertised_profile_level_id(0x42c00d), 0x42e00du);  // what libx264 writes
    EXPECT_EQ(advertised_profile_level_id(0x42e01f), 0x42e01fu);
    EXPECT_EQ(advertised_profile_level_id(0x42001f), 0x42001fu);  // plain baseline stays
    EXPECT_EQ(advertised_profile_level_id(0x640028), 0x640028u);  // high stays
}
