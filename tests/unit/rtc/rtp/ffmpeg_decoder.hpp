/// \file ffmpeg_decoder.hpp
/// \brief Test-only: feeds encoded frames to libavcodec and counts decoded pictures, to
/// show a depacketized stream is what a real decoder accepts. core/rtc never links FFmpeg.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/log.h>
#include <libavutil/mem.h>
}

namespace switchboard::rtc::rtp::test {

struct DecodeStats {
    int decoded = 0;
    int errors = 0;
    int width = 0;
    int height = 0;
};

/// `extradata`: out-of-band configuration (an AAC AudioSpecificConfig), or none.
inline DecodeStats decode_all(AVCodecID id, const std::vector<std::vector<std::uint8_t>>& frames,
                              std::span<const std::uint8_t> extradata = {}) {
    DecodeStats st;
    av_log_set_level(AV_LOG_QUIET);
    const AVCodec* codec = avcodec_find_decoder(id);
    if (!codec) return {0, 1, 0, 0};
    AVCodecContext* ctx = avcodec_alloc_context3(codec);
    ctx->err_recognition = AV_EF_EXPLODE;
    if (!extradata.empty()) {
        ctx->extradata = static_cast<std::uint8_t*>(av_mallocz(extradata.size() + AV_INPUT_BUFFER_PADDING_SIZE));
        std::memcpy(ctx->extradata, extradata.data(), extradata.size());
        ctx->extradata_size = int(extradata.size());
    }
    if (avcodec_open2(ctx, codec, nullptr) < 0) ++st.errors;
    AVPacket* pkt = av_packet_alloc();
    AVFrame* frame = av_frame_alloc();
    const auto drain = [&] {
        while (avcodec_receive_frame(ctx, frame) == 0) {
            ++st.decoded;
            st.width = frame->width;
            st.height = frame->height;
        }
    };
    for (const auto& f : frames) {
        av_new_packet(pkt, int(f.size()));
        std::copy(f.begin(), f.end(), pkt->data);
        if (avcodec_send_packet(ctx, pkt) < 0) ++st.errors;
        av_packet_unref(pkt);
        drain();
    }
    avcodec_send_packet(ctx, nullptr);
    drain();
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&ctx);
    return st;
}

}  // namespace switchboard::rtc::rtp::test
