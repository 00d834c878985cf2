// The fragmenter on real x264 + AAC output: the init segment's boxes, each part a
// moof + mdat, parts that add up to their segment, a keyframe at every segment start
// (read back by libavformat from init + segment), and the refusals.
#include <gtest/gtest.h>

#include "hls/fragmenter.hpp"
#include "hls/h264_config.hpp"
#include "support/hls_test_media.hpp"

namespace switchboard::hls {
namespace {

using switchboard::test::demux;
using switchboard::test::Demuxed;
using switchboard::test::HlsTestMedia;

/// Top-level ISO BMFF box types of `bytes` ("moof", "mdat"); "!" on a bad size.
std::vector<std::string> boxes(const std::string& bytes) {
    std::vector<std::string> types;
    std::size_t at = 0;
    while (at + 8 <= bytes.size()) {
        auto b = reinterpret_cast<const unsigned char*>(bytes.data() + at);
        std::size_t size = (std::size_t(b[0]) << 24) | (b[1] << 16) | (b[2] << 8) | b[3];
        if (size < 8 || at + size > bytes.size()) return {"!"};
        types.emplace_back(bytes.data() + at + 4, 4);
        at += size;
    }
    if (at != bytes.size()) types.push_back("!");
    return types;
}

struct Recorder : Fragmenter::Listener {
    std::string init;
    StreamInfo info;
    std::vector<CmafPart> parts;
    std::vector<std::pair<std::uint64_t, Micros>> segments;
    void on_init(std::string bytes, const StreamInfo& i) override {
        init = std::move(bytes);
        info = i;
    }
    void on_part(CmafPart part) override { parts.push_back(std::move(part)); }
    void on_segment_end(std::uint64_t msn, Micros duration) override { segments.emplace_back(msn, duration); }
};

StreamDescription describe(const HlsTestMedia& media) {
    StreamDescription d;
    d.width = media.width();
    d.height = media.height();
    d.audio = CmafTracks::Audio{HlsTestMedia::sample_rate, 2, media.audio_specific_config()};
    return d;
}

/// Feeds `frames` video frames at 30 fps with their audio, then finish().
void feed(Fragmenter& f, HlsTestMedia& media, int frames) {
    for (int i = 0; i < frames; ++i) {
        auto v = media.next_video();
        ASSERT_TRUE(f.push_video({v.bytes, v.pts, {1, 90000}, v.keyframe}).ok());
        for (auto& a : media.audio_until(v.pts + 3000))
            ASSERT_TRUE(f.push_audio({a.bytes, a.pts, {1, HlsTestMedia::sample_rate}}).ok());
    }
    ASSERT_TRUE(f.finish().ok());
}

TEST(Fragmenter, FourSecondsMakeTwoSegmentsOfSixPartsEach) {
    HlsTestMedia media(640, 360, 30);
    Recorder r;
    Fragmenter f(FragmenterSettings{}, describe(media), r);
    feed(f, media, 120);

    EXPECT_EQ(boxes(r.init), (std::vector<std::string>{"ftyp", "moov"}));
    EXPECT_NE(r.init.find("avc1"), std::string::npos);
    EXPECT_NE(r.init.find("avcC"), std::string::npos);
    EXPECT_NE(r.init.find("mp4a"), std::string::npos);
    EXPECT_EQ(r.info.codecs.substr(0, 5), "avc1.");
    EXPECT_EQ(r.info.codecs.substr(r.info.codecs.size() - 10), ",mp4a.40.2");

    ASSERT_EQ(r.segments.size(), 2u);
    ASSERT_EQ(r.parts.size(), 12u);
    for (std::size_t s = 0; s < 2; ++s) {
        EXPECT_EQ(r.segments[s].first, s);
        EXPECT_EQ(r.segments[s].second, Micros(2'000'000));
        Micros sum{0};
        for (const auto& p : r.parts) {
            if (p.msn != s) continue;
            sum += p.duration;
            EXPECT_LE(p.duration, FragmenterSettings{}.part_target);
            EXPECT_GE(p.duration, Micros(333'000));  // ten frames, not nine
            EXPECT_EQ(boxes(p.bytes), (std::vector<std::string>{"moof", "mdat"})) << p.msn << "." << p.index;
            EXPECT_EQ(p.independent, p.index % 3 == 0) << p.msn << "." << p.index;  // keyframe each second
        }
        EXPECT_EQ(sum, r.segments[s].second);
    }
    EXPECT_EQ(r.parts[5].start + r.parts[5].duration, r.parts[6].start);

    // Segment 1 read back: 60 frames starting with a keyframe, and its audio.
    std::string segment1;
    for (const auto& p : r.parts)
        if (p.msn == 1) segment1 += p.bytes;
    Demuxed d = demux(r.init, segment1);
    ASSERT_EQ(d.video_keyframes.size(), 60u);
    EXPECT_TRUE(d.video_keyframes[0]);
    EXPECT_TRUE(d.video_keyframes[30]);
    EXPECT_GE(d.audio_packets, 90);  // 2 s of 1024-sample frames at 48 kHz is 93.75
}

TEST(Fragmenter, StartsAtTheFirstKeyframe) {
    HlsTestMedia media(320, 180, 30);
    Recorder r;
    Fragmenter f(FragmenterSettings{}, describe(media), r);
    auto first = media.next_video();
    ASSERT_TRUE(first.keyframe);
    auto second = media.next_video();
    ASSERT_TRUE(f.push_video({second.bytes, second.pts, {1, 90000}, second.keyframe}).ok());
    EXPECT_EQ(f.dropped_before_keyframe(), 1u);
    EXPECT_TRUE(r.init.empty());
    ASSERT_TRUE(f.push_video({first.bytes, first.pts + 6000, {1, 90000}, true}).ok());
    EXPECT_FALSE(r.init.empty());
}

TEST(Fragmenter, RefusesPtsThatDoNotIncrease) {
    HlsTestMedia media(320, 180, 30);
    Recorder r;
    Fragmenter f(FragmenterSettings{}, describe(media), r);
    auto v = media.next_video();
    ASSERT_TRUE(f.push_video({v.bytes, v.pts, {1, 90000}, true}).ok());
    auto again = f.push_video({v.bytes, v.pts, {1, 90000}, false});
    ASSERT_FALSE(again.ok());
    EXPECT_EQ(again.error().kind, ErrorKind::invalid);
}

TEST(Fragmenter, RefusesALevelAboveFourPointOne) {
    // An SPS of High profile (100) at level 5.1 (51), then a PPS; enough for the check.
    std::vector<std::uint8_t> au{0, 0,    0,    1,    0x67, 100, 0, 51, 0xac, 0,    0,    0,
                                 1, 0x68, 0xee, 0x3c, 0x80, 0,   0, 0,  1,    0x65, 0x88, 0x84};
    Recorder r;
    StreamDescription d;
    d.width = 3840;
    d.height = 2160;
    Fragmenter f(FragmenterSettings{}, d, r);
    auto refused = f.push_video({au, 0, {1, 90000}, true});
    ASSERT_FALSE(refused.ok());
    EXPECT_NE(refused.error().message.find("level_idc 51"), std::string::npos);
}

TEST(H264Config, ParameterSetsAndCodecString) {
    std::vector<std::uint8_t> annexb{0, 0, 0, 1, 0x67, 0x42, 0xc0, 0x1e, 0xda, 0, 0, 1, 0x68, 0xce, 0x3c, 0x80};
    auto sets = H264ParameterSets::find(annexb);
    ASSERT_TRUE(sets);
    EXPECT_EQ(sets->codec_string(), "avc1.42c01e");
    EXPECT_EQ(sets->level_idc(), 30);
    EXPECT_EQ(sets->pps, (std::vector<std::uint8_t>{0x68, 0xce, 0x3c, 0x80}));
    EXPECT_FALSE(H264ParameterSets::find(std::vector<std::uint8_t>{0, 0, 1, 0x68, 1}));
}

}  // namespace
}  // namespace switchboard::hls
