#include "rtc/sdp/audio_specific_config.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace switchboard::rtc::sdp {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(AudioSpecificConfig, AacLc) {
    // ffmpeg's config for 48 kHz stereo AAC-LC, with a backward-compatible SBR sync
    // extension after it (0x2b7), which is not read.
    const auto c = AudioSpecificConfig::parse(Bytes{0x11, 0x90, 0x56, 0xe5, 0x00});
    ASSERT_TRUE(c);
    EXPECT_EQ(c->object_type, 2);
    EXPECT_EQ(c->sample_rate, 48000);
    EXPECT_EQ(c->channel_configuration, 2);
    EXPECT_EQ(c->frame_length, 1024);
    EXPECT_EQ(c->extension_sample_rate, 0);
    EXPECT_EQ(c->frame_duration(48000), 1024u);
    // 44.1 kHz mono, 960-sample frames (frameLengthFlag).
    const auto c960 = AudioSpecificConfig::parse(Bytes{0x12, 0x0c});
    ASSERT_TRUE(c960);
    EXPECT_EQ(c960->sample_rate, 44100);
    EXPECT_EQ(c960->channel_configuration, 1);
    EXPECT_EQ(c960->frame_length, 960);
}

TEST(AudioSpecificConfig, SbrAndLowDelay) {
    // HE-AAC with explicit SBR: object type 5, core 24 kHz, extension 48 kHz, core AAC-LC.
    // 00101 0110 0010 0011 00010 0... = 0x2b 0x11 0x88 0x00
    const auto he = AudioSpecificConfig::parse(Bytes{0x2b, 0x11, 0x88, 0x00});
    ASSERT_TRUE(he);
    EXPECT_EQ(he->object_type, 5);
    EXPECT_EQ(he->sample_rate, 24000);
    EXPECT_EQ(he->extension_sample_rate, 48000);
    EXPECT_EQ(he->frame_duration(48000), 2048u);
    EXPECT_EQ(he->frame_duration(24000), 1024u);
    // Implicit SBR: an AAC-LC config at 24 kHz announced at 48 kHz in the rtpmap.
    const auto lc24 = AudioSpecificConfig::parse(Bytes{0x13, 0x10});
    ASSERT_TRUE(lc24);
    EXPECT_EQ(lc24->frame_duration(48000), 2048u);
    // ER AAC LD (23): escape-free type 23, 48 kHz, mono, frameLengthFlag 1 -> 480.
    // 10111 0011 0001 1 -> 0xb9 0x8c
    const auto ld = AudioSpecificConfig::parse(Bytes{0xb9, 0x8c});
    ASSERT_TRUE(ld);
    EXPECT_EQ(ld->object_type, 23);
    EXPECT_EQ(ld->frame_length, 480);
    // ER AAC ELD (39) through the escape: 11111 000111 0011 0001 0 -> 512.
    const auto eld = AudioSpecificConfig::parse(Bytes{0xf8, 0xe6, 0x20});
    ASSERT_TRUE(eld);
    EXPECT_EQ(eld->object_type, 39);
    EXPECT_EQ(eld->frame_length, 512);
}

TEST(AudioSpecificConfig, Malformed) {
    EXPECT_FALSE(AudioSpecificConfig::parse(Bytes{}));
    EXPECT_FALSE(AudioSpecificConfig::parse(Bytes{0x11}));        // cut short
    EXPECT_FALSE(AudioSpecificConfig::parse(Bytes{0x16, 0x90}));  // reserved frequency index 13
    EXPECT_FALSE(AudioSpecificConfig::parse(Bytes{0x17, 0x80}));  // explicit frequency cut short
}

}  // namespace
}  // namespace switchboard::rtc::sdp
