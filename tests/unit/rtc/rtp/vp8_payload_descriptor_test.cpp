#include "rtc/rtp/vp8_payload_descriptor.hpp"

#include <gtest/gtest.h>

namespace switchboard::rtc::rtp {
namespace {

using Bytes = std::vector<std::uint8_t>;

TEST(Vp8PayloadDescriptor, MinimalOneByte) {
    const Bytes b = {0x10, 0xaa};
    auto d = Vp8PayloadDescriptor::parse(b);
    ASSERT_TRUE(d);
    EXPECT_TRUE(d->start_of_partition);
    EXPECT_EQ(d->partition_index, 0);
    EXPECT_FALSE(d->picture_id);
    EXPECT_EQ(d->size, 1u);
}

TEST(Vp8PayloadDescriptor, AllExtensionFields) {
    // X N S PID=2 | I L T K | M + 15-bit id 0x1234 | TL0PICIDX 7 | TID 2, Y, KEYIDX 5
    const Bytes b = {0xb2, 0xf0, 0x92, 0x34, 0x07, 0xa5, 0xff};
    auto d = Vp8PayloadDescriptor::parse(b);
    ASSERT_TRUE(d);
    EXPECT_TRUE(d->non_reference);
    EXPECT_TRUE(d->start_of_partition);
    EXPECT_EQ(d->partition_index, 2);
    EXPECT_EQ(d->picture_id, 0x1234);
    EXPECT_TRUE(d->picture_id_15bit);
    EXPECT_EQ(d->tl0_pic_idx, 7);
    EXPECT_EQ(d->tid, 2);
    EXPECT_TRUE(d->layer_sync);
    EXPECT_EQ(d->key_idx, 5);
    EXPECT_EQ(d->size, 6u);
    Bytes out;
    d->write(out);
    EXPECT_EQ(out, Bytes(b.begin(), b.begin() + 6));
}

TEST(Vp8PayloadDescriptor, SevenBitPictureIdAndTruncation) {
    const Bytes b = {0x90, 0x80, 0x05, 0x00};
    auto d = Vp8PayloadDescriptor::parse(b);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->picture_id, 5);
    EXPECT_FALSE(d->picture_id_15bit);
    EXPECT_FALSE(Vp8PayloadDescriptor::parse(Bytes{0x90, 0x80, 0x85}));  // 15-bit id cut
    EXPECT_FALSE(Vp8PayloadDescriptor::parse(Bytes{0x90, 0x80, 0x05}));  // no VP8 data
    EXPECT_FALSE(Vp8PayloadDescriptor::parse(Bytes{0x80}));
    EXPECT_FALSE(Vp8PayloadDescriptor::parse(Bytes{}));
}

TEST(Vp8PayloadDescriptor, KeyframeFromPayloadHeader) {
    const Bytes key = {0x50, 0x2a, 0x00, 0x9d, 0x01, 0x2a, 0x40, 0x01, 0xf0, 0x00};
    EXPECT_TRUE(Vp8PayloadDescriptor::is_keyframe(key));
    Bytes inter = key;
    inter[0] |= 1;
    EXPECT_FALSE(Vp8PayloadDescriptor::is_keyframe(inter));
    EXPECT_FALSE(Vp8PayloadDescriptor::is_keyframe(Bytes{0x50, 0x2a}));
}

}  // namespace
}  // namespace switchboard::rtc::rtp
