/// \file video_codec.hpp
/// \brief Real video for transport tests, through libavcodec: VP8 (libvpx) or H264
/// (libx264, constrained baseline, Annex B, for packetization-mode 1) pictures carrying
/// the frame stamp (plugins/testsrc/stamp.hpp), and a decoder that counts pictures and
/// reads the stamp's age. Test-only; links FFmpeg.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
}

#include <switchboard/ffmpeg/handles.hpp>
#include <switchboard/format.hpp>
#include <switchboard/frame.hpp>

#include "testsrc/stamp.hpp"

namespace switchboard::test {

/// The picture the encoder makes: small, since these tests are about transport, but
/// wide enough (>= 320) for the stamp's 8-pixel blocks to survive the codec.
inline constexpr int width = 320;
inline constexpr int height = 240;
inline constexpr int fps = 30;

/// VP8 or H264 at 30 fps, realtime settings: a moving bar over a gradient plus the stamp.
/// With `noise`, random grain instead, which no bitrate compresses: the encoder then
/// really sends `bit_rate` (for bandwidth tests).
class VideoEncoder {
public:
    explicit VideoEncoder(Codec codec = Codec::vp8, std::int64_t bit_rate = 500000, bool noise = false)
        : m_codec(codec), m_noise(noise) {
        av_log_set_level(AV_LOG_QUIET);
        const AVCodec* c = avcodec_find_encoder_by_name(codec == Codec::h264 ? "libx264" : "libvpx");
        if (!c || (codec != Codec::vp8 && codec != Codec::h264)) return;
        m_ctx.reset(avcodec_alloc_context3(c));
        m_ctx->width = width;
        m_ctx->height = height;
        m_ctx->pix_fmt = AV_PIX_FMT_YUV420P;
        m_ctx->time_base = {1, fps};
        m_ctx->framerate = {fps, 1};
        m_ctx->bit_rate = bit_rate;
        m_ctx->rc_max_rate = noise ? bit_rate : 0;
        m_ctx->rc_buffer_size = noise ? int(bit_rate / 2) : 0;
        m_ctx->gop_size = 60;
        if (codec == Codec::h264) {
            // Constrained baseline (42e0xx): what every WebRTC H264 peer decodes; no B
            // frames, SPS/PPS before every IDR in the stream itself (not extradata).
            m_ctx->profile = FF_PROFILE_H264_CONSTRAINED_BASELINE;
            m_ctx->max_b_frames = 0;
            av_opt_set(m_ctx->priv_data, "preset", "ultrafast", 0);
            av_opt_set(m_ctx->priv_data, "tune", "zerolatency", 0);
            av_opt_set(m_ctx->priv_data, "profile", "baseline", 0);
            av_opt_set(m_ctx->priv_data, "x264-params", "repeat-headers=1:annexb=1:threads=1", 0);
        } else {
            av_opt_set(m_ctx->priv_data, "deadline", "realtime", 0);
            av_opt_set_int(m_ctx->priv_data, "cpu-used", 8, 0);
            av_opt_set_int(m_ctx->priv_data, "lag-in-frames", 0, 0);
            if (noise) {
                // Noise makes huge keyframes; cap them at 3 frames' budget (worse quality,
                // same rate) so a keyframe does not flood the path it is measuring.
                av_opt_set_int(m_ctx->priv_data, "max-intra-rate", 300, 0);
                m_ctx->qmax = 63;
            }
        }
        if (avcodec_open2(m_ctx.get(), c, nullptr) < 0) {
            m_ctx.reset();
            return;
        }
        m_frame = ffmpeg::make_frame();
        m_frame->width = width;
        m_frame->height = height;
        m_frame->format = AV_PIX_FMT_YUV420P;
        av_frame_get_buffer(m_frame.get(), 0);
        m_packet = ffmpeg::make_packet();
    }

    bool ok() const { return m_ctx != nullptr; }

    /// The next encoded frame (empty buffer if the encoder held it back).
    Frame encode(bool force_keyframe) {
        av_frame_make_writable(m_frame.get());
        std::uint8_t* y_plane = m_frame->data[0];
        const int stride = m_frame->linesize[0];
        if (m_noise) {
            for (int p = 0; p < 3; ++p)
                for (int y = 0; y < (p ? height / 2 : height); ++y)
                    for (int x = 0; x < (p ? width / 2 : width); ++x) {
                        m_rng = m_rng * 6364136223846793005ull + 1442695040888963407ull;
                        // Low-amplitude grain over mid grey: the encoder can trade
                        // quality for rate over the whole range a test asks for.
                        m_frame->data[p][y * m_frame->linesize[p] + x] = std::uint8_t(112 + (m_rng >> 59));
                    }
        } else {
            for (int y = 0; y < height; ++y)
                for (int x = 0; x < width; ++x)
                    y_plane[y * stride + x] = std::uint8_t(((x + m_n * 4) % width) < 16 ? 235 : 40 + x * 160 / width);
            for (int p = 1; p < 3; ++p)
                for (int y = 0; y < height / 2; ++y)
                    std::fill_n(m_frame->data[p] + y * m_frame->linesize[p], width / 2, std::uint8_t(128));
        }
        testsrc::stamp::write(y_plane, stride, width, testsrc::stamp::now_ms32(), std::uint32_t(m_n));
        m_frame->pts = m_n;
        m_frame->pict_type = force_keyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
        Frame out;
        out.format = Format{.kind = MediaKind::video, .codec = m_codec, .width = width, .height = height};
        out.pts = m_n;
        out.time_base = {1, fps};
        ++m_n;
        if (avcodec_send_frame(m_ctx.get(), m_frame.get()) < 0) return out;
        if (avcodec_receive_packet(m_ctx.get(), m_packet.get()) == 0) {
            out.buffer = Buffer::copy_of(m_packet->data, std::size_t(m_packet->size));
            out.keyframe = (m_packet->flags & AV_PKT_FLAG_KEY) != 0;
            av_packet_unref(m_packet.get());
        }
        return out;
    }

private:
    Codec m_codec;
    bool m_noise = false;
    std::uint64_t m_rng = 1;
    ffmpeg::CodecContextPtr m_ctx;
    ffmpeg::FramePtr m_frame;
    ffmpeg::PacketPtr m_packet;
    int m_n = 0;
};

/// libavcodec's VP8 or H264 decoder: counts pictures and, on pictures wide enough for
/// it, reads the stamp's age (the glass-to-glass latency on one machine).
class VideoDecoder {
public:
    explicit VideoDecoder(Codec codec = Codec::vp8) {
        const AVCodec* c = avcodec_find_decoder(codec == Codec::h264 ? AV_CODEC_ID_H264 : AV_CODEC_ID_VP8);
        m_ctx.reset(avcodec_alloc_context3(c));
        m_ctx->thread_count = 1;  // no frame threading: it would delay every picture
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
            resolution = std::to_string(m_frame->width) + "x" + std::to_string(m_frame->height);
            if (m_frame->width >= 320 && m_frame->height >= testsrc::stamp::rows_needed(m_frame->width)) {
                const auto r = testsrc::stamp::read(m_frame->data[0], m_frame->linesize[0], m_frame->width);
                if (auto age = testsrc::stamp::age_ms(r.ms32)) latencies_ms.push_back(int(*age));
            }
        }
    }

    int decoded = 0;
    int errors = 0;
    std::string resolution;
    std::vector<int> latencies_ms;  ///< stamp ages of the decoded pictures

private:
    ffmpeg::CodecContextPtr m_ctx;
    ffmpeg::FramePtr m_frame;
    ffmpeg::PacketPtr m_packet;
};

}  // namespace switchboard::test
