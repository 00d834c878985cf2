// The SDK's FFmpeg adapters: codec mapping, and zero-copy Frame <-> AVFrame / AVPacket
// with the ownership each function documents.
#include <gtest/gtest.h>

#include <cstring>

extern "C" {
#include <libavutil/buffer.h>
}

#include <switchboard/ffmpeg/ffmpeg.hpp>

using namespace switchboard;

TEST(FfmpegCodec, MapsBothWays) {
    for (Codec c : {Codec::h264, Codec::h265, Codec::vp8, Codec::vp9, Codec::av1, Codec::mjpeg, Codec::opus, Codec::aac,
                    Codec::pcmu, Codec::pcma, Codec::s16}) {
        const AVCodecID id = ffmpeg::to_av_codec_id(c);
        ASSERT_NE(id, AV_CODEC_ID_NONE) << to_string(c);
        EXPECT_EQ(ffmpeg::codec_from_av(id), c);
    }
    EXPECT_EQ(ffmpeg::to_av_codec_id(Codec::i420), AV_CODEC_ID_NONE);
    EXPECT_EQ(ffmpeg::to_av_codec_id(Codec::any), AV_CODEC_ID_NONE);
    EXPECT_FALSE(ffmpeg::codec_from_av(AV_CODEC_ID_MPEG2VIDEO));
    EXPECT_EQ(ffmpeg::kind_from_av(AV_CODEC_ID_OPUS), MediaKind::audio);
    EXPECT_EQ(ffmpeg::from_av(ffmpeg::to_av(Rational{1, 90000})), (Rational{1, 90000}));
}

TEST(FfmpegCodec, ExtradataIsPadded) {
    std::uint8_t* extradata = nullptr;
    int size = 0;
    const std::uint8_t config[] = {1, 2, 3};
    ASSERT_TRUE(ffmpeg::assign_extradata(extradata, size, Buffer::copy_of(config, 3)));
    ASSERT_EQ(size, 3);
    EXPECT_EQ(extradata[2], 3);
    for (int i = 3; i < 3 + AV_INPUT_BUFFER_PADDING_SIZE; ++i) EXPECT_EQ(extradata[i], 0);
    EXPECT_EQ(ffmpeg::config_from_extradata(extradata, size).size(), 3u);
    ASSERT_TRUE(ffmpeg::assign_extradata(extradata, size, Buffer{}));
    EXPECT_EQ(extradata, nullptr);
    EXPECT_EQ(size, 0);
}

TEST(FfmpegFrame, FrameFromAvSharesThePictureAndOutlivesTheSource) {
    ffmpeg::FramePtr av = ffmpeg::make_frame();
    av->format = AV_PIX_FMT_YUV420P;
    av->width = 64;
    av->height = 48;
    ASSERT_EQ(av_frame_get_buffer(av.get(), 0), 0);
    std::memset(av->data[0], 77, std::size_t(av->linesize[0]) * 48);
    av->pts = 12;

    Format i420;
    i420.codec = Codec::i420;
    auto made = ffmpeg::frame_from_av(*av, i420, Rational{1, 30});
    ASSERT_TRUE(made);
    Frame frame = std::move(made.value());
    EXPECT_EQ(frame.planes[0].data, av->data[0]) << "no copy";
    EXPECT_EQ(frame.plane_count, 3);
    EXPECT_EQ(frame.format.width, 64);
    EXPECT_EQ(frame.pts, 12);
    EXPECT_TRUE(frame.keyframe);
    AVBufferRef* luma = av_buffer_ref(av->buf[0]);
    EXPECT_EQ(av_buffer_get_ref_count(luma), 3);  // av, the Frame's clone, and ours

    av.reset();  // the decoder reuses or frees its frame: the Frame keeps the picture
    EXPECT_EQ(frame.planes[0].data[5], 77);
    {
        Frame copy = frame;  // copies share the clone
        EXPECT_EQ(av_buffer_get_ref_count(luma), 2);
    }
    frame = Frame{};  // last copy gone: the clone is freed
    EXPECT_EQ(av_buffer_get_ref_count(luma), 1);
    av_buffer_unref(&luma);
}

TEST(FfmpegFrame, FrameFromAvRefusesOtherLayouts) {
    ffmpeg::FramePtr av = ffmpeg::make_frame();
    av->format = AV_PIX_FMT_YUV422P;
    av->width = 16;
    av->height = 16;
    ASSERT_EQ(av_frame_get_buffer(av.get(), 0), 0);
    Format i420;
    i420.codec = Codec::i420;
    EXPECT_FALSE(ffmpeg::frame_from_av(*av, i420, Rational{1, 30}));
}

TEST(FfmpegFrame, AudioSamples) {
    ffmpeg::FramePtr av = ffmpeg::make_frame();
    av->format = AV_SAMPLE_FMT_S16;
    av->nb_samples = 960;
    av->sample_rate = 48000;
    av_channel_layout_default(&av->ch_layout, 2);
    ASSERT_EQ(av_frame_get_buffer(av.get(), 0), 0);
    Format s16;
    s16.kind = MediaKind::audio;
    s16.codec = Codec::s16;
    auto frame = ffmpeg::frame_from_av(*av, s16, Rational{1, 48000});
    ASSERT_TRUE(frame);
    EXPECT_EQ(frame->samples, 960);
    EXPECT_EQ(frame->payload_size(), 960u * 2 * 2);
    EXPECT_EQ(frame->format.channels, 2);
    EXPECT_EQ(frame->format.sample_rate, 48000);

    auto back = ffmpeg::av_frame_from(frame.value());
    ASSERT_TRUE(back);
    EXPECT_EQ(back.value()->nb_samples, 960);
    EXPECT_EQ(back.value()->ch_layout.nb_channels, 2);
    EXPECT_EQ(back.value()->data[0], frame->payload());
}

TEST(FfmpegFrame, AvFrameFromReferencesTheBufferReadOnly) {
    const int w = 32, h = 16;
    Frame frame;
    frame.format.codec = Codec::i420;
    frame.format.width = w;
    frame.format.height = h;
    frame.buffer = Buffer::allocate(w * h * 3 / 2);
    std::memset(frame.buffer.mutable_data(), 9, w * h * 3 / 2);
    const std::uint8_t* base = frame.buffer.data();
    frame.plane_count = 3;
    frame.planes[0] = {base, w};
    frame.planes[1] = {base + w * h, w / 2};
    frame.planes[2] = {base + w * h * 5 / 4, w / 2};
    frame.pts = 7;

    auto made = ffmpeg::av_frame_from(frame);
    ASSERT_TRUE(made);
    ffmpeg::FramePtr av = std::move(made.value());
    EXPECT_EQ(av->data[0], base) << "no copy";
    EXPECT_EQ(av->linesize[1], w / 2);
    EXPECT_EQ(av->pts, 7);
    EXPECT_EQ(frame.buffer.use_count(), 2) << "FFmpeg holds one reference";
    EXPECT_FALSE(av_frame_is_writable(av.get()));
    ASSERT_EQ(av_frame_make_writable(av.get()), 0);  // copies rather than scribbling on ours
    EXPECT_NE(av->data[0], base);
    EXPECT_EQ(frame.buffer.use_count(), 1);
    av.reset();
    EXPECT_EQ(frame.buffer.data()[0], 9);
}

TEST(FfmpegPacket, BothWaysWithoutCopies) {
    ffmpeg::PacketPtr pkt = ffmpeg::make_packet();
    ASSERT_EQ(av_new_packet(pkt.get(), 100), 0);
    std::memset(pkt->data, 0xab, 100);
    pkt->pts = 3000;
    pkt->duration = 3000;
    pkt->flags |= AV_PKT_FLAG_KEY;
    Format h264;
    h264.codec = Codec::h264;
    auto made = ffmpeg::frame_from_packet(*pkt, h264, Rational{1, 90000});
    ASSERT_TRUE(made);
    Frame frame = std::move(made.value());
    EXPECT_EQ(frame.payload(), pkt->data) << "no copy";
    EXPECT_EQ(frame.payload_size(), 100u);
    EXPECT_EQ(frame.pts, 3000);
    EXPECT_EQ(frame.duration, 3000);
    EXPECT_TRUE(frame.keyframe);
    pkt.reset();
    EXPECT_EQ(frame.payload()[99], 0xab);

    auto referencing = ffmpeg::packet_referencing(frame);
    ASSERT_TRUE(referencing);
    EXPECT_EQ(referencing.value()->data, frame.payload());
    EXPECT_EQ(referencing.value()->dts, 3000);
    EXPECT_TRUE(referencing.value()->flags & AV_PKT_FLAG_KEY);
    EXPECT_EQ(frame.buffer.use_count(), 2);
    referencing.value().reset();
    EXPECT_EQ(frame.buffer.use_count(), 1);

    auto copy = ffmpeg::packet_copy(frame);
    ASSERT_TRUE(copy);
    EXPECT_NE(copy.value()->data, frame.payload());
    EXPECT_EQ(copy.value()->size, 100);
    for (int i = 0; i < AV_INPUT_BUFFER_PADDING_SIZE; ++i) EXPECT_EQ(copy.value()->data[100 + i], 0);
}
