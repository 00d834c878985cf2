// transcode.encoder's AAC path (FFmpeg's native encoder), checked by decoding its output
// with FFmpeg's AAC decoder given nothing but the codec_config, as a muxer or a player
// would be.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

extern "C" {
#include <libavcodec/avcodec.h>
}

#include <switchboard/ffmpeg/av_packet.hpp>
#include <switchboard/ffmpeg/codec.hpp>
#include <switchboard/ffmpeg/handles.hpp>

#include "transcode/encoder_settings.hpp"
#include "transcode_test_util.hpp"

using namespace switchboard;
using test::Stage;

namespace {

/// What FFmpeg's AAC decoder made of a packet stream: channel 0 and the stream's shape
/// as the decoder read it from the AudioSpecificConfig.
struct Decoded {
    std::vector<float> samples;  ///< channel 0, priming included
    int rate = 0;
    int channels = 0;
};

Decoded decode_aac(const std::vector<Frame>& packets) {
    Decoded out;
    const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_AAC);
    ffmpeg::CodecContextPtr c(avcodec_alloc_context3(codec));
    EXPECT_TRUE(ffmpeg::assign_extradata(c->extradata, c->extradata_size, packets.at(0).codec_config));
    EXPECT_EQ(avcodec_open2(c.get(), codec, nullptr), 0);
    ffmpeg::FramePtr decoded = ffmpeg::make_frame();
    auto drain = [&] {
        while (avcodec_receive_frame(c.get(), decoded.get()) == 0) {
            EXPECT_EQ(decoded->format, AV_SAMPLE_FMT_FLTP);
            out.rate = decoded->sample_rate;
            out.channels = decoded->ch_layout.nb_channels;
            auto* s = reinterpret_cast<const float*>(decoded->extended_data[0]);
            out.samples.insert(out.samples.end(), s, s + decoded->nb_samples);
            av_frame_unref(decoded.get());
        }
    };
    for (const auto& p : packets) {
        auto packet = ffmpeg::packet_copy(p);
        EXPECT_TRUE(bool(packet));
        if (!packet) return out;
        EXPECT_EQ(avcodec_send_packet(c.get(), packet.value().get()), 0);
        drain();
    }
    avcodec_send_packet(c.get(), nullptr);
    drain();
    return out;
}

/// Channel 0 of S16 frames as floats in [-1, 1).
std::vector<float> as_float(const std::vector<Frame>& frames) {
    std::vector<float> out;
    for (const auto& f : frames) {
        auto* s = reinterpret_cast<const std::int16_t*>(f.payload());
        for (int i = 0; i < f.samples; ++i)
            out.push_back(float(s[std::size_t(i) * std::size_t(f.format.channels)]) / 32768);
    }
    return out;
}

double rms(const std::vector<float>& s, std::size_t from, std::size_t to) {
    double sum = 0;
    for (std::size_t i = from; i < to; ++i) sum += double(s[i]) * s[i];
    return std::sqrt(sum / double(to - from));
}

/// Zero crossings per second, halved: the frequency of a clean tone.
double frequency(const std::vector<float>& s, std::size_t from, std::size_t to, int rate) {
    long crossings = 0;
    for (std::size_t i = from + 1; i < to; ++i) crossings += (s[i - 1] < 0) != (s[i] < 0);
    return crossings / 2.0 / (double(to - from) / rate);
}

/// The AudioSpecificConfig's first fields (ISO/IEC 14496-3 1.6.2.1): 5 bits object type,
/// 4 bits sampling frequency index, 4 bits channel configuration.
struct AscHead {
    int object_type, frequency_index, channels;
};
AscHead asc_head(const Buffer& config) {
    const std::uint8_t* d = config.data();
    return {d[0] >> 3, ((d[0] & 7) << 1) | (d[1] >> 7), (d[1] >> 3) & 15};
}

}  // namespace

TEST(AacEncoderConfig, SchemaAndSettings) {
    const std::string schema = transcode::encoder_schema;
    EXPECT_TRUE(test::schema_accepts(schema, R"({"codec":"aac"})"));
    EXPECT_TRUE(test::schema_accepts(schema, R"({"codec":"aac","bitrate_kbps":96})"));
    test::JsonConfig aac(R"({"codec":"aac"})");
    auto s = transcode::EncoderSettings::from(aac.config());
    EXPECT_EQ(s.codec, Codec::aac);
    EXPECT_EQ(s.bitrate_kbps, 128);
    EXPECT_EQ(s.kind(), MediaKind::audio);
}

TEST(AacEncoder, PortsOfferTheAacRatesAndFollowTheInput) {
    Stage encoder("transcode.encoder", R"({"codec":"aac"})");
    const auto in = encoder.node->input_ports().at(0).formats;
    ASSERT_GE(in.size(), 12u) << to_string(in);
    EXPECT_EQ(to_string(in[0]), "audio/S16 48000Hz") << "48 kHz is preferred";
    EXPECT_EQ(to_string(in[1]), "audio/S16 44100Hz");
    auto has = [&](int rate) {
        return std::any_of(in.begin(), in.end(), [&](const Format& f) { return f.sample_rate == rate; });
    };
    EXPECT_TRUE(has(8000));
    EXPECT_TRUE(has(96000));
    EXPECT_FALSE(has(7000));
    EXPECT_EQ(to_string(encoder.node->output_ports()[0].formats), "{audio/AAC}");

    encoder.settle(test::s16_48k(2));
    EXPECT_EQ(to_string(encoder.node->output_ports()[0].formats), "{audio/AAC 48000Hz 2ch}");
}

TEST(AacEncoder, ToneDecodesBackWithFfmpegsDecoderKeepingTimingAndPts) {
    Stage encoder("transcode.encoder", R"({"codec":"aac"})");
    encoder.settle(test::s16_48k(1));
    auto input = test::make_tone_frames(50);  // one second in 20 ms frames: regrouped into 1024
    for (std::size_t i = 0; i < input.size(); ++i)
        input[i].timing.push(NodeStamp{7, std::int64_t(100 + i), std::int64_t(200 + i)});
    const std::vector<float> sent = as_float(input);

    auto packets = encoder.push(input, true);
    EXPECT_TRUE(encoder.ctx.failures().empty());
    // 48000 samples fill 47 blocks (the last padded); the encoder adds one of priming.
    ASSERT_EQ(packets.size(), 48u);

    const Buffer& asc = packets[0].codec_config;
    ASSERT_GE(asc.size(), 2u);
    EXPECT_EQ(asc_head(asc).object_type, 2) << "AAC-LC";
    EXPECT_EQ(asc_head(asc).frequency_index, 3) << "48000 Hz";
    EXPECT_EQ(asc_head(asc).channels, 1);
    for (std::size_t i = 0; i < packets.size(); ++i) {
        const Frame& p = packets[i];
        if (i > 0) {
            EXPECT_TRUE(p.codec_config.empty()) << "the config goes once";
        }
        EXPECT_EQ(to_string(p.format), "audio/AAC 48000Hz 1ch");
        EXPECT_EQ(p.time_base, (Rational{1, 48000}));
        EXPECT_EQ(p.pts, (std::int64_t(i) - 1) * 1024) << "priming first, at -1024";
        EXPECT_EQ(p.duration, 1024);
        EXPECT_TRUE(p.keyframe);
        ASSERT_GE(p.payload_size(), 2u);
        EXPECT_FALSE(p.payload()[0] == 0xff && (p.payload()[1] & 0xf0) == 0xf0) << "raw, no ADTS header";
        // Packet i is made from block i (samples i*1024...): the input holding that first
        // sample gave it its capture time and node stamps; the flushed tail has the last.
        const Frame& source = input[std::min<std::size_t>(i, 46) * 1024 / 960];
        EXPECT_EQ(p.timing.capture_ns, source.timing.capture_ns) << "packet " << i;
        ASSERT_EQ(p.timing.stamp_count, 1);
        EXPECT_EQ(p.timing.stamps[0].node, 7u);
        EXPECT_EQ(p.timing.stamps[0].in_ns, source.timing.stamps[0].in_ns) << "packet " << i;
    }

    Decoded back = decode_aac(packets);
    EXPECT_EQ(back.rate, 48000) << "read from the AudioSpecificConfig";
    EXPECT_EQ(back.channels, 1);
    ASSERT_EQ(back.samples.size(), 48u * 1024);
    // Decoded sample 1024 + k is input sample k: the priming is exactly initial_padding.
    const std::size_t from = 4800, to = 43000;
    std::vector<float> aligned(back.samples.begin() + 1024, back.samples.end());
    EXPECT_NEAR(frequency(aligned, from, to, 48000), 440.0, 2.0);
    const double level = rms(sent, from, to);
    EXPECT_NEAR(rms(aligned, from, to) / level, 1.0, 0.05) << "about the same level";
    std::vector<float> error(to);
    for (std::size_t k = from; k < to; ++k) error[k] = aligned[k] - sent[k];
    EXPECT_LT(rms(error, from, to), level * 0.1) << "in step with the input, not just alike";
}

TEST(AacEncoder, StereoAt44100IsNotResampledAndRegroupsOtherBlockSizes) {
    Stage encoder("transcode.encoder", R"({"codec":"aac","bitrate_kbps":96})");
    Format s16 = test::s16_48k(2);
    s16.sample_rate = 44100;
    encoder.settle(s16);
    EXPECT_EQ(to_string(encoder.node->output_ports()[0].formats), "{audio/AAC 44100Hz 2ch}");

    auto packets = encoder.push(test::make_tone_frames(100, 441, 2, 1000.0, 44100), true);  // 1 s in 10 ms frames
    EXPECT_TRUE(encoder.ctx.failures().empty());
    ASSERT_EQ(packets.size(), 45u);  // 44100 samples: 43 full blocks, one padded, one of priming
    EXPECT_EQ(asc_head(packets[0].codec_config).frequency_index, 4) << "44100 Hz";
    EXPECT_EQ(asc_head(packets[0].codec_config).channels, 2);
    for (std::size_t i = 1; i < packets.size(); ++i) {
        EXPECT_EQ(packets[i].pts - packets[i - 1].pts, 1024);
        EXPECT_EQ(packets[i].time_base, (Rational{1, 44100}));
    }
    Decoded back = decode_aac(packets);
    EXPECT_EQ(back.rate, 44100);
    EXPECT_EQ(back.channels, 2);
    EXPECT_NEAR(frequency(back.samples, 4410, 40000, 44100), 1000.0, 5.0);
}

TEST(AacEncoder, LowRatesCapTheBitrateAtWhatAacAllows) {
    Stage encoder("transcode.encoder", R"({"codec":"aac"})");  // 128 kb/s asked, 48 kb/s possible at 8 kHz mono
    Format s16 = test::s16_48k(1);
    s16.sample_rate = 8000;
    encoder.settle(s16);
    auto packets = encoder.push(test::make_tone_frames(50, 160, 1, 440.0, 8000), true);
    EXPECT_TRUE(encoder.ctx.failures().empty());
    ASSERT_EQ(packets.size(), 9u);  // 8000 samples: 7 full blocks, one padded, one of priming
    for (const auto& p : packets) EXPECT_LE(p.payload_size(), 6144u / 8) << "one channel's buffer";
    EXPECT_EQ(asc_head(packets[0].codec_config).frequency_index, 11) << "8000 Hz";
    Decoded back = decode_aac(packets);
    EXPECT_EQ(back.rate, 8000);
    std::vector<float> aligned(back.samples.begin() + 1024, back.samples.end());
    EXPECT_NEAR(frequency(aligned, 800, 7000, 8000), 440.0, 5.0);
}

TEST(AacEncoder, OpensOnTheFirstFrameWhenRateAndChannelsWereLeftOpen) {
    Stage encoder("transcode.encoder", R"({"codec":"aac"})");
    Format open;
    open.kind = MediaKind::audio;
    open.codec = Codec::s16;
    encoder.settle(open);
    EXPECT_EQ(to_string(encoder.node->output_ports()[0].formats), "{audio/AAC}");
    auto packets = encoder.push(test::make_tone_frames(10, 1024, 2, 440.0, 32000), true);
    ASSERT_FALSE(packets.empty());
    EXPECT_EQ(to_string(packets[0].format), "audio/AAC 32000Hz 2ch");
    EXPECT_EQ(packets[0].time_base, (Rational{1, 32000}));
    EXPECT_TRUE(encoder.ctx.failures().empty());
}

TEST(AacEncoder, RefusesRatesItCannotTakeAndAFrameOfAnotherRate) {
    Stage encoder("transcode.encoder", R"({"codec":"aac"})");
    Format odd = test::s16_48k(1);
    odd.sample_rate = 7000;
    auto refused = encoder.node->set_input_format(0, odd);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().message.find("needs S16 at 48000, 44100"), std::string::npos) << refused.error().message;

    encoder.settle(test::s16_48k(1));
    encoder.push(test::make_tone_frames(2, 1024, 1, 440.0, 16000));
    ASSERT_EQ(encoder.ctx.failures().size(), 1u);
    EXPECT_NE(encoder.ctx.failures()[0].message.find("opened for S16 48000 Hz"), std::string::npos);
    EXPECT_TRUE(encoder.node->on_bitrate_request(0, 10'000)) << "audio keeps its rate";
}
