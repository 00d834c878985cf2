// Opening the real-time encoders; see encoder_setup.hpp.
#include "encoder_setup.hpp"

#include <algorithm>
#include <cmath>
#include <string>

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/dict.h>
#include <libavutil/opt.h>
}

#include <switchboard/ffmpeg/codec.hpp>

namespace switchboard::transcode {

namespace {

/// Owns the options dictionary handed to avcodec_open2().
struct Options {
    AVDictionary* dict = nullptr;
    ~Options() { av_dict_free(&dict); }
    void set(const char* key, const std::string& value) { av_dict_set(&dict, key, value.c_str(), 0); }
};

const char* encoder_name(Codec codec) noexcept {
    switch (codec) {
        case Codec::h264:
            return "libx264";
        case Codec::vp8:
            return "libvpx";
        case Codec::opus:
            return "libopus";
        case Codec::aac:
            return "aac";  // FFmpeg's own encoder: in every build (libfdk is not), LC only
        default:
            return nullptr;
    }
}

void configure_video(AVCodecContext& c, const EncoderSettings& s, const Format& input, Options& options) {
    const Rational rate = input.frame_rate.is_set() ? input.frame_rate : Rational{30, 1};
    c.width = input.width;
    c.height = input.height;
    c.pix_fmt = AV_PIX_FMT_YUV420P;
    c.framerate = ffmpeg::to_av(rate);
    c.gop_size = std::max(1, int(std::lround(s.keyframe_interval_s * rate.to_double())));
    c.max_b_frames = 0;
    c.bit_rate = std::int64_t(s.bitrate_kbps) * 1000;
    // A one-second buffer: the rate holds over short windows, as a network path needs.
    c.rc_max_rate = c.bit_rate;
    c.rc_buffer_size = int(c.bit_rate);

    if (s.codec == Codec::h264) {
        // Global header gives us the SPS/PPS as extradata at open; repeat-headers keeps
        // them in band as well (libavcodec would otherwise drop them from the stream).
        c.flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        options.set("preset", "ultrafast");
        options.set("tune", "zerolatency");
        options.set("profile", "baseline");
        options.set("forced-idr", "1");
        options.set("x264-params", "repeat-headers=1");
    } else {
        // libvpx picks CBR when min == max == target.
        c.rc_min_rate = c.bit_rate;
        options.set("deadline", "realtime");
        options.set("cpu-used", std::to_string(s.cpu_used));
        options.set("lag-in-frames", "0");
        options.set("auto-alt-ref", "0");
        options.set("error-resilient", "default");
    }
}

void configure_audio(AVCodecContext& c, const EncoderSettings& s, const Format& input, Options& options) {
    const int channels = input.channels > 0 ? input.channels : 1;
    c.sample_rate = input.sample_rate > 0 ? input.sample_rate : 48000;
    av_channel_layout_default(&c.ch_layout, channels);
    c.bit_rate = std::int64_t(s.bitrate_kbps) * 1000;
    if (s.codec == Codec::aac) {
        c.sample_fmt = AV_SAMPLE_FMT_FLTP;  // the only layout the native encoder takes
        c.profile = FF_PROFILE_AAC_LOW;
        // An access unit holds at most 6144 bits per channel (the decoder input buffer
        // ISO/IEC 14496-3 sets), so a low rate caps the bitrate; the encoder would clamp
        // too, but with a warning line at every open.
        const std::int64_t most = std::int64_t(6144) * channels * c.sample_rate / 1024;
        c.bit_rate = std::min(c.bit_rate, most);
        return;
    }
    c.sample_fmt = AV_SAMPLE_FMT_S16;
    options.set("application", s.opus_application);
    options.set("frame_duration", "20");
}

}  // namespace

Rational encoder_time_base(const Format& input) noexcept {
    if (input.kind == MediaKind::video) return Rational{1, 90000};
    return Rational{1, input.sample_rate > 0 ? input.sample_rate : 48000};
}

std::vector<int> encoder_sample_rates(Codec codec) {
    if (codec == Codec::opus) return {48000};
    if (codec != Codec::aac) return {};
    std::vector<int> rates{48000, 44100};
    const AVCodec* aac = avcodec_find_encoder_by_name(encoder_name(codec));
    for (const int* r = aac ? aac->supported_samplerates : nullptr; r && *r; ++r)
        if (std::find(rates.begin(), rates.end(), *r) == rates.end()) rates.push_back(*r);
    return rates;
}

Result<ffmpeg::CodecContextPtr> open_encoder(const EncoderSettings& settings, const Format& input) {
    const char* name = encoder_name(settings.codec);
    const AVCodec* codec = name ? avcodec_find_encoder_by_name(name) : nullptr;
    if (!codec)
        return Error::unavailable(std::string("encoder ") + (name ? name : "?") + " is not in this FFmpeg build");
    ffmpeg::CodecContextPtr context(avcodec_alloc_context3(codec));
    if (!context) return Error::runtime("out of memory");

    const MediaKind kind = settings.kind();
    if (kind == MediaKind::video && (input.width <= 0 || input.height <= 0))
        return Error::invalid("the input's picture size is not known: " + to_string(input));
    if (kind == MediaKind::audio && input.sample_rate > 0) {
        const auto rates = encoder_sample_rates(settings.codec);
        if (std::find(rates.begin(), rates.end(), input.sample_rate) == rates.end())
            return Error::invalid(std::string(name) + " cannot encode at " + std::to_string(input.sample_rate) + " Hz");
    }

    Options options;
    context->time_base = ffmpeg::to_av(encoder_time_base(input));
    context->thread_count = 1;
    context->thread_type = 0;
    if (kind == MediaKind::video)
        configure_video(*context, settings, input, options);
    else
        configure_audio(*context, settings, input, options);

    if (int err = avcodec_open2(context.get(), codec, &options.dict); err < 0)
        return Error::invalid(std::string("cannot open ") + name + " for " + to_string(input) + ": " +
                              ffmpeg::error_string(err));
    return context;
}

}  // namespace switchboard::transcode
