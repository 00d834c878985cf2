/// \file handles.hpp
/// \brief RAII owners for FFmpeg's C objects, and FFmpeg error codes as text.
///
/// FFmpeg hands out raw pointers that must be released by a matching *_free function.
/// These unique_ptr aliases do that once, so no plugin writes a cleanup path by hand.
/// Part of the optional FFmpeg adapter set: only plugins that link FFmpeg include it.
///
/// Threads: a handle is owned by one thread at a time, like any unique_ptr; FFmpeg's
/// contexts are not thread-safe, so keep each one on its node's executor.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavcodec/bsf.h>
#include <libavformat/avformat.h>
#include <libavutil/error.h>
}

#include <memory>
#include <string>

namespace switchboard::ffmpeg {

/// FFmpeg's message for an AVERROR code ("No such file or directory", "End of file").
/// av_err2str() cannot be used from C++ (it is a compound literal).
inline std::string error_string(int code) {
    char text[AV_ERROR_MAX_STRING_SIZE] = {};
    if (av_strerror(code, text, sizeof text) < 0) return "error " + std::to_string(code);
    return text;
}

namespace detail {
struct FrameDeleter {
    void operator()(AVFrame* f) const noexcept { av_frame_free(&f); }
};
struct PacketDeleter {
    void operator()(AVPacket* p) const noexcept { av_packet_free(&p); }
};
struct CodecContextDeleter {
    void operator()(AVCodecContext* c) const noexcept { avcodec_free_context(&c); }
};
struct BsfContextDeleter {
    void operator()(AVBSFContext* b) const noexcept { av_bsf_free(&b); }
};
/// A demuxer context opened by avformat_open_input().
struct InputFormatDeleter {
    void operator()(AVFormatContext* f) const noexcept { avformat_close_input(&f); }
};
/// A muxer context from avformat_alloc_output_context2(). Closes its AVIOContext too
/// unless the format has none (AVFMT_NOFILE); writing the trailer is the owner's job,
/// since only the owner knows whether the header was written.
struct OutputFormatDeleter {
    void operator()(AVFormatContext* f) const noexcept {
        if (!f) return;
        if (f->oformat && !(f->oformat->flags & AVFMT_NOFILE)) avio_closep(&f->pb);
        avformat_free_context(f);
    }
};
}  // namespace detail

/// Owns an AVFrame (and the references it holds).
using FramePtr = std::unique_ptr<AVFrame, detail::FrameDeleter>;
/// Owns an AVPacket (and the reference it holds).
using PacketPtr = std::unique_ptr<AVPacket, detail::PacketDeleter>;
/// Owns an encoder or decoder context.
using CodecContextPtr = std::unique_ptr<AVCodecContext, detail::CodecContextDeleter>;
/// Owns a bitstream filter context.
using BsfContextPtr = std::unique_ptr<AVBSFContext, detail::BsfContextDeleter>;
/// Owns a demuxer context (closes the input).
using InputFormatPtr = std::unique_ptr<AVFormatContext, detail::InputFormatDeleter>;
/// Owns a muxer context (closes its file, does not write a trailer).
using OutputFormatPtr = std::unique_ptr<AVFormatContext, detail::OutputFormatDeleter>;

/// A new empty AVFrame; null only when memory runs out.
inline FramePtr make_frame() {
    return FramePtr(av_frame_alloc());
}
/// A new empty AVPacket; null only when memory runs out.
inline PacketPtr make_packet() {
    return PacketPtr(av_packet_alloc());
}

}  // namespace switchboard::ffmpeg
