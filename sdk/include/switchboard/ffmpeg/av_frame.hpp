/// \file av_frame.hpp
/// \brief Raw media between Frame and AVFrame, both ways, without copying pixels or samples.
///
/// Raw video travels as I420 or NV12 planes, raw audio as interleaved S16; these are the
/// only layouts converted here (a decoder that outputs another layout converts with
/// libswscale/libswresample first). All functions are plain functions of their arguments
/// and may run on any thread; ownership is stated per function.
#pragma once

extern "C" {
#include <libavutil/channel_layout.h>
#include <libavutil/frame.h>
#include <libavutil/pixfmt.h>
#include <libavutil/samplefmt.h>
}

#include <cstddef>
#include <string>

#include <switchboard/errors.hpp>
#include <switchboard/ffmpeg/buffer.hpp>
#include <switchboard/ffmpeg/handles.hpp>
#include <switchboard/format.hpp>
#include <switchboard/frame.hpp>

namespace switchboard::ffmpeg {

/// The FFmpeg pixel format of a raw video codec; AV_PIX_FMT_NONE for anything else.
inline AVPixelFormat to_av_pixel_format(Codec codec) noexcept {
    switch (codec) {
        case Codec::i420:
            return AV_PIX_FMT_YUV420P;
        case Codec::nv12:
            return AV_PIX_FMT_NV12;
        default:
            return AV_PIX_FMT_NONE;
    }
}

/// A Frame that shares `src`'s data (no pixel or sample is copied).
///
/// Ownership: the Frame takes its own reference to `src` (av_frame_clone); its Buffer
/// av_frame_free()s that clone when the last copy of the Frame goes, on that thread.
/// `src` stays the caller's and may be reused (av_frame_unref) right away. If `src` is
/// not reference-counted, av_frame_clone copies it once.
///
/// Video: `src` must be YUV420P for I420 or NV12 for NV12; `planes` point into the
/// clone and buffer() spans the first plane (use planes, not payload(), for pictures).
/// Audio: `src` must be packed S16; buffer() is exactly the interleaved samples.
/// Width, height, sample rate and channels are taken from `src`, the rest of `format`
/// as given. pts is src.pts (best_effort_timestamp when unset) in `time_base`; the
/// duration is left 0 for the caller. Raw media is always a keyframe.
inline Result<Frame> frame_from_av(const AVFrame& src, Format format, Rational time_base) {
    std::size_t bytes = 0;
    if (format.kind == MediaKind::video) {
        AVPixelFormat expected = to_av_pixel_format(format.codec);
        if (expected == AV_PIX_FMT_NONE || src.format != expected)
            return Error::invalid("frame_from_av: the AVFrame's pixel format does not match " + to_string(format));
        if (src.linesize[0] <= 0) return Error::invalid("frame_from_av: bottom-up pictures are not supported");
        format.width = src.width;
        format.height = src.height;
        bytes = std::size_t(src.linesize[0]) * std::size_t(src.height);
    } else if (format.kind == MediaKind::audio) {
        if (format.codec != Codec::s16 || src.format != AV_SAMPLE_FMT_S16)
            return Error::invalid("frame_from_av: the AVFrame is not packed S16 audio");
        format.sample_rate = src.sample_rate;
        format.channels = src.ch_layout.nb_channels;
        bytes = std::size_t(src.nb_samples) * std::size_t(format.channels) * sizeof(std::int16_t);
    } else {
        return Error::invalid("frame_from_av: only raw video and audio convert");
    }

    AVFrame* clone = av_frame_clone(&src);
    if (!clone) return Error::runtime("frame_from_av: out of memory");

    Frame out;
    out.format = format;
    // The Buffer is the clone's owner: whoever drops the last Frame copy frees it.
    out.buffer = Buffer::adopt(clone->data[0], bytes, [clone]() mutable { av_frame_free(&clone); });
    if (format.kind == MediaKind::video) {
        out.plane_count = format.codec == Codec::nv12 ? 2 : 3;
        for (int i = 0; i < out.plane_count; ++i) out.planes[std::size_t(i)] = {clone->data[i], clone->linesize[i]};
    } else {
        out.samples = clone->nb_samples;
    }
    out.pts = src.pts != AV_NOPTS_VALUE                     ? src.pts
              : src.best_effort_timestamp != AV_NOPTS_VALUE ? src.best_effort_timestamp
                                                            : 0;
    out.time_base = time_base;
    out.keyframe = true;
    return out;
}

/// A new AVFrame that describes `frame`'s planes or samples in place (no copy), e.g. to
/// feed an encoder or a scaler.
///
/// Ownership: the AVFrame holds one reference to `frame`'s Buffer through a read-only
/// AVBufferRef (see share_buffer()); an encoder that keeps the picture keeps the Buffer
/// alive, and FFmpeg code that wants to write copies first. pts is copied as is; rescale
/// it to the consumer's time base yourself.
inline Result<FramePtr> av_frame_from(const Frame& frame) {
    if (frame.buffer.empty()) return Error::invalid("av_frame_from: the frame has no data");
    FramePtr out = make_frame();
    if (!out) return Error::runtime("av_frame_from: out of memory");

    if (frame.format.kind == MediaKind::video) {
        AVPixelFormat pix = to_av_pixel_format(frame.format.codec);
        int needed = frame.format.codec == Codec::nv12 ? 2 : 3;
        if (pix == AV_PIX_FMT_NONE || frame.plane_count < needed)
            return Error::invalid("av_frame_from: not a raw I420/NV12 picture: " + to_string(frame.format));
        out->format = pix;
        out->width = frame.format.width;
        out->height = frame.format.height;
        for (int i = 0; i < needed; ++i) {
            out->data[i] = const_cast<std::uint8_t*>(frame.planes[std::size_t(i)].data);
            out->linesize[i] = frame.planes[std::size_t(i)].stride;
        }
    } else if (frame.format.kind == MediaKind::audio && frame.format.codec == Codec::s16) {
        int channels = frame.format.channels;
        if (channels <= 0 || frame.samples <= 0 ||
            std::size_t(frame.samples) * std::size_t(channels) * 2 > frame.payload_size())
            return Error::invalid("av_frame_from: S16 frame size does not match its samples and channels");
        out->format = AV_SAMPLE_FMT_S16;
        out->nb_samples = frame.samples;
        out->sample_rate = frame.format.sample_rate;
        av_channel_layout_default(&out->ch_layout, channels);
        out->data[0] = const_cast<std::uint8_t*>(frame.payload());
        out->linesize[0] = int(frame.payload_size());
    } else {
        return Error::invalid("av_frame_from: not raw media: " + to_string(frame.format));
    }
    out->extended_data = out->data;
    out->buf[0] = share_buffer(frame.buffer);
    if (!out->buf[0]) return Error::runtime("av_frame_from: out of memory");
    out->pts = frame.pts;
    out->key_frame = 1;
    return out;
}

}  // namespace switchboard::ffmpeg
