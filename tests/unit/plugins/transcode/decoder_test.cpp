// transcode.decoder: ports per kind, pixel and sample conversion, waiting for keyframes.
#include <gtest/gtest.h>

extern "C" {
#include <libavcodec/avcodec.h>
}

#include <switchboard/ffmpeg/av_packet.hpp>
#include <switchboard/ffmpeg/handles.hpp>

#include "transcode/decoder_settings.hpp"
#include "transcode_test_util.hpp"

using namespace switchboard;
using test::Stage;

namespace {

/// A JPEG of a stamped pattern picture, made by FFmpeg's MJPEG encoder: full-range
/// yuvj420p, which the decoder must convert to I420.
Frame make_jpeg(int width, int height, int counter) {
    const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    ffmpeg::CodecContextPtr c(avcodec_alloc_context3(codec));
    c->width = width;
    c->height = height;
    c->pix_fmt = AV_PIX_FMT_YUVJ420P;
    c->time_base = AVRational{1, 30};
    c->global_quality = FF_QP2LAMBDA * 2;
    c->flags |= AV_CODEC_FLAG_QSCALE;
    EXPECT_EQ(avcodec_open2(c.get(), codec, nullptr), 0);

    Frame raw = test::make_pattern_frame(width, height, counter);
    ffmpeg::FramePtr picture = ffmpeg::make_frame();
    picture->format = AV_PIX_FMT_YUVJ420P;
    picture->width = width;
    picture->height = height;
    EXPECT_EQ(av_frame_get_buffer(picture.get(), 0), 0);
    for (int p = 0; p < 3; ++p) {
        const int rows = p ? height / 2 : height, cols = p ? width / 2 : width;
        for (int y = 0; y < rows; ++y)
            std::memcpy(picture->data[p] + y * picture->linesize[p],
                        raw.planes[std::size_t(p)].data + y * raw.planes[std::size_t(p)].stride, std::size_t(cols));
    }
    picture->pts = counter;
    EXPECT_EQ(avcodec_send_frame(c.get(), picture.get()), 0);
    ffmpeg::PacketPtr packet = ffmpeg::make_packet();
    EXPECT_EQ(avcodec_receive_packet(c.get(), packet.get()), 0);
    Format mjpeg;
    mjpeg.kind = MediaKind::video;
    mjpeg.codec = Codec::mjpeg;
    auto frame = ffmpeg::frame_from_packet(*packet, mjpeg, Rational{1, 30});
    frame.value().keyframe = true;
    frame.value().timing.capture_ns = 4242;
    return std::move(frame.value());
}

}  // namespace

TEST(DecoderConfig, SchemaAndKinds) {
    const std::string schema = transcode::decoder_schema;
    EXPECT_TRUE(test::schema_accepts(schema, R"({"kind":"video"})"));
    EXPECT_TRUE(test::schema_accepts(schema, R"({"kind":"audio","sample_rate":48000,"channels":2})"));
    EXPECT_FALSE(test::schema_accepts(schema, R"({})"));
    EXPECT_FALSE(test::schema_accepts(schema, R"({"kind":"data"})"));
    EXPECT_THROW(test::make_transcode_node(*std::make_unique<test::TestNodeContext>(), "transcode.decoder",
                                           R"({"kind":"video","sample_rate":48000})"),
                 std::runtime_error);
}

TEST(Decoder, PortsDependOnKind) {
    Stage video("transcode.decoder", R"({"kind":"video"})");
    EXPECT_EQ(to_string(video.node->input_ports()[0].formats),
              "{video/H264, video/H265, video/VP8, video/VP9, video/MJPEG}");
    EXPECT_EQ(to_string(video.node->output_ports()[0].formats), "{video/I420}");
    Stage audio("transcode.decoder", R"({"kind":"audio"})");
    EXPECT_EQ(to_string(audio.node->input_ports()[0].formats), "{audio/opus, audio/AAC, audio/PCMU, audio/PCMA}");

    Format opus;
    opus.kind = MediaKind::audio;
    opus.codec = Codec::opus;
    auto refused = video.node->set_input_format(0, opus);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("/nodes/1/config"), std::string::npos);
}

TEST(Decoder, MjpegBecomesI420WithItsStamp) {
    Stage decoder("transcode.decoder", R"({"kind":"video"})");
    Format mjpeg;
    mjpeg.kind = MediaKind::video;
    mjpeg.codec = Codec::mjpeg;
    mjpeg.width = 320;
    mjpeg.height = 240;
    decoder.settle(mjpeg);
    EXPECT_EQ(to_string(decoder.node->output_ports()[0].formats), "{video/I420 320x240}");
    auto out = decoder.push_one(make_jpeg(320, 240, 77));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].format.codec, Codec::i420);
    EXPECT_EQ(out[0].format.width, 320);
    EXPECT_EQ(test::read_stamp(out[0]).counter, 77);
    EXPECT_EQ(out[0].timing.capture_ns, 4242);
    // The JPEG is full range (yuvj420p), so the 235 written into it means 235/255 of
    // white; in I420's video range that is 16 + 235 * 219 / 255 = 218. Reading 218 at the
    // counter's last bit (block 15 of row 1, centre 124,12) shows the range was converted,
    // not copied.
    const int one = out[0].planes[0].data[12 * out[0].planes[0].stride + 124];
    EXPECT_NEAR(one, 218, 3);
}

TEST(Decoder, ScalesToTheConfiguredSize) {
    Stage decoder("transcode.decoder", R"({"kind":"video","width":640,"height":480})");
    Format mjpeg;
    mjpeg.kind = MediaKind::video;
    mjpeg.codec = Codec::mjpeg;
    decoder.settle(mjpeg);
    EXPECT_EQ(to_string(decoder.node->output_ports()[0].formats), "{video/I420 640x480}");
    auto out = decoder.push_one(make_jpeg(320, 240, 5));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].format.width, 640);
    EXPECT_EQ(out[0].format.height, 480);
    EXPECT_EQ(out[0].planes[0].stride >= 640, true);
    EXPECT_THROW(test::make_transcode_node(*std::make_unique<test::TestNodeContext>(), "transcode.decoder",
                                           R"({"kind":"video","width":640})"),
                 std::runtime_error);
}

TEST(Decoder, Pcmu8kBecomesS16AndCanBeResampled) {
    Stage plain("transcode.decoder", R"({"kind":"audio"})");
    Format pcmu;
    pcmu.kind = MediaKind::audio;
    pcmu.codec = Codec::pcmu;
    plain.settle(pcmu);
    EXPECT_EQ(to_string(plain.node->output_ports()[0].formats), "{audio/S16 8000Hz}");
    auto out = plain.push_one(test::make_pcmu(160));
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].samples, 160);
    EXPECT_EQ(out[0].format.sample_rate, 8000);
    EXPECT_EQ(out[0].format.channels, 1);

    Stage resampled("transcode.decoder", R"({"kind":"audio","sample_rate":48000})");
    resampled.settle(pcmu);
    EXPECT_EQ(to_string(resampled.node->output_ports()[0].formats), "{audio/S16 48000Hz}");
    std::vector<Frame> in;
    for (int i = 0; i < 10; ++i) {
        in.push_back(test::make_pcmu(160));
        in.back().pts = i * 160;
    }
    auto up = resampled.push(std::move(in), true);
    long samples = 0;
    for (const auto& f : up) {
        EXPECT_EQ(f.format.sample_rate, 48000);
        samples += f.samples;
    }
    EXPECT_NEAR(double(samples), 9600.0, 200.0);  // 200 ms at 48 kHz
    EXPECT_NEAR(test::tone_hz(up, 48000, 480), 1000.0, 50.0);
}

TEST(Decoder, VideoWaitsForAKeyframeAndAsksForOne) {
    Stage encoder("transcode.encoder", R"({"codec":"h264"})");
    encoder.settle(test::i420(160, 120, 30));
    std::vector<Frame> pictures;
    for (int i = 0; i < 4; ++i) pictures.push_back(test::make_pattern_frame(160, 120, i));
    auto encoded = encoder.push(std::move(pictures));
    ASSERT_EQ(encoded.size(), 4u);

    Stage decoder("transcode.decoder", R"({"kind":"video"})");
    decoder.settle(encoder.node->output_ports()[0].formats[0]);
    // Join mid-stream: frames 1..3 are not keyframes.
    auto out = decoder.push({encoded[1], encoded[2]});
    EXPECT_TRUE(out.empty());
    EXPECT_GE(decoder.ctx.keyframe_requests(0), 1);

    EXPECT_TRUE(encoder.node->on_keyframe_request(0));
    auto key = encoder.push_one(test::make_pattern_frame(160, 120, 9));
    ASSERT_EQ(key.size(), 1u);
    ASSERT_TRUE(key[0].keyframe);
    out = decoder.push_one(key[0]);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(test::read_stamp(out[0]).counter, 9);
    EXPECT_TRUE(decoder.ctx.failures().empty());
}
