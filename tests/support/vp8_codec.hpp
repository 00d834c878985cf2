/// \file vp8_codec.hpp
/// \brief Real VP8 for transport tests: libvpx through libavcodec to make frames, and
/// libavcodec's decoder to count what arrived. Test-only; links FFmpeg.
#pragma once

#include <cstdint>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/log.h>
#include <libavutil/opt.h>
}

#include <switchboard/frame.hpp>

namespace switchboard::test {

/// The picture the encoder makes: small, since these tests are about transport.
inline constexpr int width = 320;
inline constexpr int height = 240;
inline constexpr int fps = 30;

/// libvpx VP8 through libavcodec: a moving bar over a gradient, realtime settings. With
/// `noise`, random pictures instead, which no bitrate compresses: the encoder then really
/// sends `bit_rate` (for bandwidth tests).
class Vp8Encoder {
public:
    explicit Vp8Encoder(std::int64_t bit_rate = 500000, bool noise = false) : m_noise(noise) {
        av_log_set_level(AV_LOG_QUIET);
        const AVCodec* codec = avcodec_find_encoder_by_name("libvpx");
        if (!codec) return;
        m_ctx = avcodec_alloc_context3(codec);
        m_ctx->width = width;
        m_ctx->height = height;
        m_ctx->pix_fmt = AV_PIX_FMT_YUV420P;
        m_ctx->time_base = {1, fps};
        m_ctx->framerate = {fps, 1};
        m_ctx->bit_rate = bit_rate;
        m_ctx->rc_max_rate = noise ? bit_rate : 0;
        m_ctx->rc_buffer_size = noise ? int(bit_rate / 2) : 0;
        m_ctx->gop_size = 60;
        av_opt_set(m_ctx->priv_data, "deadline", "realtime", 0);
        av_opt_set_int(m_ctx->priv_data, "cpu-used", 8, 0);
        av_opt_set_int(m_ctx->priv_data, "lag-in-frames", 0, 0);
        if (noise) {
            // Noise makes huge keyframes; cap them at 3 frames' budget (worse quality,
            // same rate) so a keyframe does not flood the path it is measuring.
            av_opt_set_int(m_ctx->priv_data, "max-intra-rate", 300, 0);
            m_ctx->qmax = 63;
        }
        if (avcodec_open2(m_ctx, codec, nullptr) < 0) {
            avcodec_free_context(&m_ctx);
            return;
        }
        m_frame = av_frame_alloc();
        m_frame->width = width;
        m_frame->height = height;
        m_frame->format = AV_PIX_FMT_YUV420P;
        av_frame_get_buffer(m_frame, 0);
        m_packet = av_packet_alloc();
    }
    ~Vp8Encoder() {
        av_packet_free(&m_packet);
        av_frame_free(&m_frame);
        avcodec_free_context(&m_ctx);
    }
    bool ok() const { return m_ctx != nullptr; }

    /// The next encoded frame (empty buffer if the encoder held it back).
    Frame encode(bool force_keyframe) {
        av_frame_make_writable(m_frame);
        if (m_noise) {
            for (int p = 0; p < 3; ++p)
                for (int y = 0; y < (p ? height / 2 : height); ++y)
                    for (int x = 0; x < (p ? width / 2 : width); ++x) {
                        m_rng = m_rng * 6364136223846793005ull + 1442695040888963407ull;
                        // Low-amplitude grain over mid grey: the encoder can trade
                        // quality for rate over the whole range a test asks for.
                        m_frame->data[p][y * m_frame->linesize[p] + x] = std::uint8_t(112 + (m_rng >> 59));
                    }
        }
        for (int y = 0; y < height && !m_noise; ++y)
            for (int x = 0; x < width; ++x)
                m_frame->data[0][y * m_frame->linesize[0] + x] =
                    std::uint8_t(((x + m_n * 4) % width) < 16 ? 235 : 40 + x * 160 / width);
        for (int p = 1; p < 3 && !m_noise; ++p)
            for (int y = 0; y < height / 2; ++y)
                std::fill_n(m_frame->data[p] + y * m_frame->linesize[p], width / 2, std::uint8_t(128));
        m_frame->pts = m_n;
        m_frame->pict_type = force_keyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
        Frame out;
        out.format = Format{.kind = MediaKind::video, .codec = Codec::vp8, .width = width, .height = height};
        out.pts = m_n;
        out.time_base = {1, fps};
        ++m_n;
        if (avcodec_send_frame(m_ctx, m_frame) < 0) return out;
        if (avcodec_receive_packet(m_ctx, m_packet) == 0) {
            out.buffer = Buffer::copy_of(m_packet->data, std::size_t(m_packet->size));
            out.keyframe = (m_packet->flags & AV_PKT_FLAG_KEY) != 0;
            av_packet_unref(m_packet);
        }
        return out;
    }

private:
    AVCodecContext* m_ctx = nullptr;
    AVFrame* m_frame = nullptr;
    AVPacket* m_packet = nullptr;
    int m_n = 0;
    bool m_noise = false;
    std::uint64_t m_rng = 1;
};

/// libavcodec's VP8 decoder, counting pictures.
class Vp8Decoder {
public:
    Vp8Decoder() {
        const AVCodec* codec = avcodec_find_decoder(AV_CODEC_ID_VP8);
        m_ctx = avcodec_alloc_context3(codec);
        avcodec_open2(m_ctx, codec, nullptr);
        m_frame = av_frame_alloc();
        m_packet = av_packet_alloc();
    }
    ~Vp8Decoder() {
        av_packet_free(&m_packet);
        av_frame_free(&m_frame);
        avcodec_free_context(&m_ctx);
    }
    void decode(const Frame& f) {
        av_new_packet(m_packet, int(f.payload_size()));
        std::copy_n(f.payload(), f.payload_size(), m_packet->data);
        if (avcodec_send_packet(m_ctx, m_packet) < 0) ++errors;
        av_packet_unref(m_packet);
        while (avcodec_receive_frame(m_ctx, m_frame) == 0) {
            ++decoded;
            resolution = std::to_string(m_frame->width) + "x" + std::to_string(m_frame->height);
        }
    }
    int decoded = 0;
    int errors = 0;
    std::string resolution;

private:
    AVCodecContext* m_ctx = nullptr;
    AVFrame* m_frame = nullptr;
    AVPacket* m_packet = nullptr;
};

}  // namespace switchboard::test
