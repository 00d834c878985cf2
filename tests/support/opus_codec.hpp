/// \file opus_codec.hpp
/// \brief Real Opus for transport tests, through libavcodec (libopus): a 440 Hz tone in
/// 20 ms packets, and a decoder that measures the received level in RMS dBFS.
/// Test-only; links FFmpeg.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <optional>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/channel_layout.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
}

#include <switchboard/ffmpeg/handles.hpp>
#include <switchboard/format.hpp>
#include <switchboard/frame.hpp>

namespace switchboard::test {

inline constexpr int opus_rate = 48000;
inline constexpr int opus_frame_samples = 960;  ///< 20 ms

/// A 440 Hz sine, mono 48 kHz, amplitude 8000 (-15.3 dBFS RMS).
class OpusEncoder {
public:
    OpusEncoder() {
        av_log_set_level(AV_LOG_QUIET);
        const AVCodec* c = avcodec_find_encoder_by_name("libopus");
        if (!c) return;
        m_ctx.reset(avcodec_alloc_context3(c));
        m_ctx->sample_rate = opus_rate;
        m_ctx->sample_fmt = AV_SAMPLE_FMT_S16;
        av_channel_layout_default(&m_ctx->ch_layout, 1);
        m_ctx->bit_rate = 32000;
        m_ctx->time_base = {1, opus_rate};
        av_opt_set(m_ctx->priv_data, "application", "lowdelay", 0);
        av_opt_set_double(m_ctx->priv_data, "frame_duration", 20, 0);
        if (avcodec_open2(m_ctx.get(), c, nullptr) < 0) {
            m_ctx.reset();
            return;
        }
        m_frame = ffmpeg::make_frame();
        m_frame->nb_samples = opus_frame_samples;
        m_frame->format = AV_SAMPLE_FMT_S16;
        m_frame->sample_rate = opus_rate;
        av_channel_layout_default(&m_frame->ch_layout, 1);
        av_frame_get_buffer(m_frame.get(), 0);
        m_packet = ffmpeg::make_packet();
    }

    bool ok() const { return m_ctx != nullptr; }

    /// The next 20 ms of tone, encoded (empty buffer while the encoder fills its delay).
    Frame encode() {
        av_frame_make_writable(m_frame.get());
        auto* pcm = reinterpret_cast<std::int16_t*>(m_frame->data[0]);
        for (int i = 0; i < opus_frame_samples; ++i)
            pcm[i] = std::int16_t(8000 * std::sin(2 * std::numbers::pi * 440.0 * double(m_t + i) / opus_rate));
        m_frame->pts = m_t;
        m_t += opus_frame_samples;
        Frame out;
        out.format = Format{.kind = MediaKind::audio,
                            .codec = Codec::opus,
                            .sample_rate = opus_rate,
                            .channels = 1,
                            .clock_rate = opus_rate};
        out.time_base = {1, opus_rate};
        out.keyframe = true;
        if (avcodec_send_frame(m_ctx.get(), m_frame.get()) < 0) return out;
        if (avcodec_receive_packet(m_ctx.get(), m_packet.get()) == 0) {
            out.buffer = Buffer::copy_of(m_packet->data, std::size_t(m_packet->size));
            out.pts = m_packet->pts;
            av_packet_unref(m_packet.get());
        }
        return out;
    }

private:
    ffmpeg::CodecContextPtr m_ctx;
    ffmpeg::FramePtr m_frame;
    ffmpeg::PacketPtr m_packet;
    std::int64_t m_t = 0;
};

/// libavcodec's Opus decoder (48 kHz, as RTP Opus always is): counts packets and
/// measures the RMS level of what it decoded after the first 0.5 s (a decoder may start
/// with silence or a ramp).
class OpusDecoder {
public:
    OpusDecoder() {
        const AVCodec* c = avcodec_find_decoder(AV_CODEC_ID_OPUS);
        m_ctx.reset(avcodec_alloc_context3(c));
        m_ctx->sample_rate = opus_rate;
        av_channel_layout_default(&m_ctx->ch_layout, 2);  // RFC 7587 §7: opus/48000/2
        m_ctx->request_sample_fmt = AV_SAMPLE_FMT_FLT;
        avcodec_open2(m_ctx.get(), c, nullptr);
        m_frame = ffmpeg::make_frame();
        m_packet = ffmpeg::make_packet();
    }

    void decode(const Frame& f) {
        av_new_packet(m_packet.get(), int(f.payload_size()));
        std::copy_n(f.payload(), f.payload_size(), m_packet->data);
        if (avcodec_send_packet(m_ctx.get(), m_packet.get()) < 0) ++errors;
        av_packet_unref(m_packet.get());
        while (avcodec_receive_frame(m_ctx.get(), m_frame.get()) == 0) {
            ++decoded;
            if (decoded <= 25) continue;
            const int channels = m_frame->ch_layout.nb_channels;
            const bool planar = av_sample_fmt_is_planar(AVSampleFormat(m_frame->format));
            for (int ch = 0; ch < (planar ? channels : 1); ++ch) {
                const int n = m_frame->nb_samples * (planar ? 1 : channels);
                for (int i = 0; i < n; ++i) {
                    const double v = sample(ch, i);
                    m_sum_squares += v * v;
                }
                m_samples += std::uint64_t(n);
            }
        }
    }

    /// RMS level in dB relative to full scale; nullopt before any measured sample.
    std::optional<double> dbfs() const {
        if (m_samples == 0) return std::nullopt;
        const double ms = m_sum_squares / double(m_samples);
        return ms > 0 ? 10 * std::log10(ms) : -200.0;
    }

    int decoded = 0;
    int errors = 0;

private:
    /// Sample i of plane ch as a value in [-1, 1].
    double sample(int ch, int i) const {
        switch (m_frame->format) {
            case AV_SAMPLE_FMT_FLT:
            case AV_SAMPLE_FMT_FLTP:
                return reinterpret_cast<const float*>(m_frame->extended_data[ch])[i];
            case AV_SAMPLE_FMT_S16:
            case AV_SAMPLE_FMT_S16P:
                return reinterpret_cast<const std::int16_t*>(m_frame->extended_data[ch])[i] / 32768.0;
            default:
                return 0;
        }
    }

    ffmpeg::CodecContextPtr m_ctx;
    ffmpeg::FramePtr m_frame;
    ffmpeg::PacketPtr m_packet;
    double m_sum_squares = 0;
    std::uint64_t m_samples = 0;
};

}  // namespace switchboard::test
