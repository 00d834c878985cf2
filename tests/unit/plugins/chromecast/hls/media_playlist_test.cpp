// The LL-HLS playlists' exact text for a scripted stream: parts, segment ends, the
// sliding window, the part horizon and the preload hint.
#include <gtest/gtest.h>

#include "hls/media_playlist.hpp"

namespace switchboard::hls {
namespace {

using std::chrono::system_clock;

system_clock::time_point origin() {
    return system_clock::time_point(std::chrono::milliseconds(1'795'716'000'000));  // 2026-11-26T18:00:00Z
}

/// Six 1/3 s parts (10 frames of 30 fps each) per 2 s segment, the first independent.
void add_segment(MediaPlaylist& p, std::uint64_t msn, bool complete = true) {
    Micros start(std::int64_t(msn) * 2'000'000);
    for (std::uint32_t i = 0; i < 6; ++i) {
        Micros a = start + Micros((std::int64_t(i) * 1'000'000 + 1) / 3),
               b = start + Micros((std::int64_t(i + 1) * 1'000'000 + 1) / 3);
        p.add_part(msn, i, a, b - a, i == 0);
    }
    if (complete) p.end_segment(msn, Micros(2'000'000));
}

const char* header =
    "#EXTM3U\n"
    "#EXT-X-VERSION:9\n"
    "#EXT-X-TARGETDURATION:2\n"
    "#EXT-X-SERVER-CONTROL:CAN-BLOCK-RELOAD=YES,PART-HOLD-BACK=1.002\n"
    "#EXT-X-PART-INF:PART-TARGET=0.334\n";

std::string parts_of(int msn) {
    std::string m = std::to_string(msn), out;
    for (int i = 0; i < 6; ++i)
        out += "#EXT-X-PART:DURATION=0.333,URI=\"part" + m + "." + std::to_string(i) + ".m4s\"" +
               (i == 0 ? ",INDEPENDENT=YES" : "") + "\n";
    return out;
}

TEST(MediaPlaylist, FirstPartsThenASegmentThenTheNext) {
    MediaPlaylist p(PlaylistSettings{}, origin());
    p.add_part(0, 0, Micros(0), Micros(333'333), true);
    p.add_part(0, 1, Micros(333'333), Micros(333'334), false);
    EXPECT_EQ(p.render(), std::string(header) +
                              "#EXT-X-MEDIA-SEQUENCE:0\n"
                              "#EXT-X-MAP:URI=\"init.mp4\"\n"
                              "#EXT-X-PROGRAM-DATE-TIME:2026-11-26T18:00:00.000Z\n"
                              "#EXT-X-PART:DURATION=0.333,URI=\"part0.0.m4s\",INDEPENDENT=YES\n"
                              "#EXT-X-PART:DURATION=0.333,URI=\"part0.1.m4s\"\n"
                              "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part0.2.m4s\"\n");
    EXPECT_EQ(p.next_msn(), 0u);
    EXPECT_EQ(p.parts_in_progress(), 2u);
    EXPECT_TRUE(p.has_part(0, 1));
    EXPECT_FALSE(p.has_part(0, 2));
}

TEST(MediaPlaylist, ACompleteSegmentHintsTheNextSegmentsFirstPart) {
    MediaPlaylist p(PlaylistSettings{}, origin());
    add_segment(p, 0);
    EXPECT_EQ(p.render(), std::string(header) + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-MAP:URI=\"init.mp4\"\n" +
                              "#EXT-X-PROGRAM-DATE-TIME:2026-11-26T18:00:00.000Z\n" + parts_of(0) +
                              "#EXTINF:2.000,\nseg0.m4s\n" + "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part1.0.m4s\"\n");
    EXPECT_TRUE(p.has_segment(0));
    EXPECT_EQ(p.next_msn(), 1u);
    EXPECT_EQ(p.parts_in_progress(), 0u);
}

TEST(MediaPlaylist, SlidingWindowAndPartsOnlyNearTheLiveEdge) {
    PlaylistSettings settings;
    settings.window_segments = 3;
    MediaPlaylist p(settings, origin());
    for (std::uint64_t msn = 0; msn < 5; ++msn) add_segment(p, msn);
    add_segment(p, 5, false);
    // Segments 2..4 complete and 5 in progress: the window holds three complete ones.
    // The edge is at 12 s; parts are listed for segments ending within 6 s of it (3 and 4),
    // not for segment 2, which ends at 6 s.
    EXPECT_EQ(p.render(), std::string(header) + "#EXT-X-MEDIA-SEQUENCE:2\n#EXT-X-MAP:URI=\"init.mp4\"\n" +
                              "#EXT-X-PROGRAM-DATE-TIME:2026-11-26T18:00:04.000Z\n#EXTINF:2.000,\nseg2.m4s\n" +
                              "#EXT-X-PROGRAM-DATE-TIME:2026-11-26T18:00:06.000Z\n" + parts_of(3) +
                              "#EXTINF:2.000,\nseg3.m4s\n" + "#EXT-X-PROGRAM-DATE-TIME:2026-11-26T18:00:08.000Z\n" +
                              parts_of(4) + "#EXTINF:2.000,\nseg4.m4s\n" +
                              "#EXT-X-PROGRAM-DATE-TIME:2026-11-26T18:00:10.000Z\n" + parts_of(5) +
                              "#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"part5.6.m4s\"\n");
    EXPECT_EQ(p.first_msn(), 2u);
    EXPECT_FALSE(p.has_segment(1));
    EXPECT_TRUE(p.has_part(5, 5));
}

TEST(MediaPlaylist, Multivariant) {
    EXPECT_EQ(render_multivariant(1'500'000, "avc1.42c01e,mp4a.40.2", 640, 360),
              "#EXTM3U\n"
              "#EXT-X-VERSION:9\n"
              "#EXT-X-INDEPENDENT-SEGMENTS\n"
              "#EXT-X-STREAM-INF:BANDWIDTH=1500000,CODECS=\"avc1.42c01e,mp4a.40.2\",RESOLUTION=640x360\n"
              "media.m3u8\n");
}

TEST(MediaPlaylist, PlainHlsListsCompleteSegmentsOnly) {
    PlaylistSettings settings;
    settings.low_latency = false;
    settings.window_segments = 3;
    MediaPlaylist p(settings, origin());
    const char* plain_header =
        "#EXTM3U\n"
        "#EXT-X-VERSION:6\n"
        "#EXT-X-TARGETDURATION:2\n";
    add_segment(p, 0, false);  // in progress: nothing to list yet
    EXPECT_EQ(p.render(), std::string(plain_header) + "#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-MAP:URI=\"init.mp4\"\n");
    p.end_segment(0, Micros(2'000'000));
    for (std::uint64_t msn = 1; msn < 4; ++msn) add_segment(p, msn);
    add_segment(p, 4, false);
    EXPECT_EQ(p.render(), std::string(plain_header) +
                              "#EXT-X-MEDIA-SEQUENCE:1\n"
                              "#EXT-X-MAP:URI=\"init.mp4\"\n"
                              "#EXT-X-PROGRAM-DATE-TIME:2026-11-26T18:00:02.000Z\n"
                              "#EXTINF:2.000,\n"
                              "seg1.m4s\n"
                              "#EXT-X-PROGRAM-DATE-TIME:2026-11-26T18:00:04.000Z\n"
                              "#EXTINF:2.000,\n"
                              "seg2.m4s\n"
                              "#EXT-X-PROGRAM-DATE-TIME:2026-11-26T18:00:06.000Z\n"
                              "#EXTINF:2.000,\n"
                              "seg3.m4s\n");
    EXPECT_EQ(p.next_msn(), 4u);
    EXPECT_EQ(render_multivariant(1'500'000, "avc1.42c01e", 640, 360, media_playlist_uri, playlist_version(false)),
              "#EXTM3U\n"
              "#EXT-X-VERSION:6\n"
              "#EXT-X-INDEPENDENT-SEGMENTS\n"
              "#EXT-X-STREAM-INF:BANDWIDTH=1500000,CODECS=\"avc1.42c01e\",RESOLUTION=640x360\n"
              "media.m3u8\n");
}

TEST(MediaPlaylist, Formats) {
    EXPECT_EQ(format_seconds(Micros(333'333)), "0.333");
    EXPECT_EQ(format_seconds(Micros(1'999'600)), "2.000");
    EXPECT_EQ(format_date_time(origin() + std::chrono::milliseconds(1'234)), "2026-11-26T18:00:01.234Z");
}

}  // namespace
}  // namespace switchboard::hls
