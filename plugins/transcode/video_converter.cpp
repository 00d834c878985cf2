// Picture conversion to I420 with libswscale; see video_converter.hpp.
#include "video_converter.hpp"

#include <string>

extern "C" {
#include <libavutil/opt.h>
}

namespace switchboard::transcode {

bool VideoConverter::is_i420_of(const AVFrame& src, int width, int height) noexcept {
    return src.format == AV_PIX_FMT_YUV420P && (width == 0 || src.width == width) &&
           (height == 0 || src.height == height);
}

namespace {

/// The "J" formats (MJPEG's) are the plain ones in full range; libswscale wants the
/// plain format and the range said separately.
AVPixelFormat without_range(AVPixelFormat format, bool& full_range) noexcept {
    full_range = true;
    switch (format) {
        case AV_PIX_FMT_YUVJ420P:
            return AV_PIX_FMT_YUV420P;
        case AV_PIX_FMT_YUVJ422P:
            return AV_PIX_FMT_YUV422P;
        case AV_PIX_FMT_YUVJ444P:
            return AV_PIX_FMT_YUV444P;
        case AV_PIX_FMT_YUVJ440P:
            return AV_PIX_FMT_YUV440P;
        default:
            full_range = false;
            return format;
    }
}

}  // namespace

Result<ffmpeg::FramePtr> VideoConverter::to_i420(const AVFrame& src, int width, int height) {
    if (width == 0) width = src.width;
    if (height == 0) height = src.height;
    bool full_range = false;
    const AVPixelFormat in_format = without_range(AVPixelFormat(src.format), full_range);
    full_range = full_range || src.color_range == AVCOL_RANGE_JPEG;

    const Shape shape{src.width, src.height, int(in_format), full_range, width, height};
    if (!m_sws || !(shape == m_shape)) {
        // Built through options rather than sws_getContext(): that is the only way to
        // state the input's range up front, which also keeps libswscale from taking its
        // plain-copy shortcut when only the range differs.
        m_sws.reset(sws_alloc_context());
        SwsContext* sws = m_sws.get();
        const bool ok =
            sws && av_opt_set_int(sws, "srcw", src.width, 0) >= 0 && av_opt_set_int(sws, "srch", src.height, 0) >= 0 &&
            av_opt_set_int(sws, "src_format", in_format, 0) >= 0 &&
            av_opt_set_int(sws, "src_range", full_range ? 1 : 0, 0) >= 0 &&
            av_opt_set_int(sws, "dstw", width, 0) >= 0 && av_opt_set_int(sws, "dsth", height, 0) >= 0 &&
            av_opt_set_int(sws, "dst_format", AV_PIX_FMT_YUV420P, 0) >= 0 &&
            av_opt_set_int(sws, "dst_range", 0, 0) >= 0 && av_opt_set_int(sws, "sws_flags", SWS_BILINEAR, 0) >= 0 &&
            sws_init_context(sws, nullptr, nullptr) >= 0;
        if (!ok) {
            m_sws.reset();
            return Error::runtime("cannot convert " + std::to_string(src.width) + "x" + std::to_string(src.height) +
                                  " pixel format " + std::to_string(src.format) + " to I420");
        }
        m_shape = shape;
    }
    SwsContext* sws = m_sws.get();

    ffmpeg::FramePtr out = ffmpeg::make_frame();
    if (!out) return Error::runtime("out of memory");
    out->format = AV_PIX_FMT_YUV420P;
    out->width = width;
    out->height = height;
    if (int err = av_frame_get_buffer(out.get(), 0); err < 0)
        return Error::runtime("cannot allocate a picture: " + ffmpeg::error_string(err));
    sws_scale(sws, src.data, src.linesize, 0, src.height, out->data, out->linesize);
    out->pts = src.pts;
    out->best_effort_timestamp = src.best_effort_timestamp;
    return out;
}

}  // namespace switchboard::transcode
