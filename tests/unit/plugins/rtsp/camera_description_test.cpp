// What a camera's DESCRIBE answer says: tracks, control URLs, codecs, what is skipped.
#include <gtest/gtest.h>

#include "rtsp/client/camera_description.hpp"

using namespace switchboard;
using namespace switchboard::rtsp;

namespace {

// An IP camera's usual answer: session-level control "*", relative track controls, H264
// with its parameter sets but no profile-level-id, AAC, and a metadata stream.
const char* const camera_sdp =
    "v=0\r\no=- 1 1 IN IP4 192.0.2.10\r\ns=Session\r\nt=0 0\r\na=control:*\r\n"
    "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
    "a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z2QAH6zZQFAFuwEQAAADABAAAAMDwPGDGWA=,aOvjyyLA\r\n"
    "a=control:trackID=1\r\n"
    "m=audio 0 RTP/AVP 97\r\na=rtpmap:97 MPEG4-GENERIC/16000/1\r\n"
    "a=fmtp:97 streamtype=5;profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3;"
    "config=1408\r\na=control:trackID=2\r\n"
    "m=application 0 RTP/AVP 107\r\na=rtpmap:107 vnd.onvif.metadata/90000\r\na=control:trackID=3\r\n";

}  // namespace

TEST(CameraDescription, ReadsTracksCodecsAndControls) {
    auto d = describe_camera(camera_sdp, "rtsp://192.0.2.10/stream1/");
    ASSERT_TRUE(d) << d.error().message;
    ASSERT_EQ(d.value().tracks.size(), 2u);
    const auto* video = d.value().track(MediaKind::video);
    ASSERT_NE(video, nullptr);
    EXPECT_EQ(video->control_url, "rtsp://192.0.2.10/stream1/trackID=1");
    EXPECT_EQ(video->format.codec, Codec::h264);
    EXPECT_EQ(video->format.packetization_mode, 1);
    // Not RFC 6184's default 42000a: the SPS says High profile (0x64), level 3.1.
    EXPECT_EQ(video->format.profile_level_id, 0x64001fu);

    // A Constrained Baseline SPS that sets constraint_set0 and 1 (42c0..) reads as the
    // canonical 42e0.., which is what a browser offers: passthrough must meet it.
    auto baseline = describe_camera(
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n"
        "a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0LAHtkAoC/5YQAAAwABAAADADwPFi5I,aMuDyyA=\r\n",
        "rtsp://cam/");
    ASSERT_TRUE(baseline) << baseline.error().message;
    EXPECT_EQ(baseline.value().tracks[0].format.profile_level_id, 0x42e01eu);
    const auto* audio = d.value().track(MediaKind::audio);
    ASSERT_NE(audio, nullptr);
    EXPECT_EQ(audio->format.codec, Codec::aac);
    EXPECT_EQ(audio->format.clock_rate, 16000);
    EXPECT_EQ(audio->control_url, "rtsp://192.0.2.10/stream1/trackID=2");
}

TEST(CameraDescription, ResolvesControlsAsCamerasMeanThem) {
    EXPECT_EQ(resolve_control("rtsp://cam/live", "*"), "rtsp://cam/live");
    EXPECT_EQ(resolve_control("rtsp://cam/live", "track1"), "rtsp://cam/live/track1");
    EXPECT_EQ(resolve_control("rtsp://cam/live/", "/track1"), "rtsp://cam/live/track1");
    EXPECT_EQ(resolve_control("rtsp://cam/live", "rtsp://cam:554/live/track1"), "rtsp://cam:554/live/track1");
    EXPECT_EQ(resolve_control("rtsp://cam/live", "RTSPS://cam/x"), "RTSPS://cam/x");
}

TEST(CameraDescription, SaysWhatItCannotUse) {
    auto none = describe_camera(
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
        "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=fmtp:96 packetization-mode=2\r\n",
        "rtsp://cam/");
    ASSERT_FALSE(none);
    EXPECT_EQ(none.error().kind, ErrorKind::invalid);
    EXPECT_NE(none.error().message.find("H264/90000 (packetization-mode=2) is not supported"), std::string::npos)
        << none.error().message;

    auto garbage = describe_camera("<html>not an SDP</html>", "rtsp://cam/");
    ASSERT_FALSE(garbage);
    EXPECT_NE(garbage.error().message.find("the camera's SDP"), std::string::npos);
}
