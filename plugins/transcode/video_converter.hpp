/// \file video_converter.hpp
/// \brief Any decoded picture to I420 at a chosen size, with libswscale.
///
/// Decoders hand out what their bitstream holds (yuvj420p from MJPEG, 4:2:2, 10 bit...)
/// and upstream sizes can change mid-stream; Switchboard's raw video is I420 at the size
/// the link settled on. The converter keeps one cached scaler and rebuilds it only when
/// the input changes. Full-range input (MJPEG's yuvj420p) is mapped to video range.
/// Used on one node's executor.
#pragma once

extern "C" {
#include <libswscale/swscale.h>
}

#include <memory>

#include <switchboard/errors.hpp>
#include <switchboard/ffmpeg/handles.hpp>

namespace switchboard::transcode {

class VideoConverter {
public:
    /// True when `src` is already I420 of `width` x `height` (0: any), so no work is needed.
    static bool is_i420_of(const AVFrame& src, int width, int height) noexcept;

    /// A new I420 picture of `width` x `height` (0: the source's) made from `src`;
    /// pts is copied.
    Result<ffmpeg::FramePtr> to_i420(const AVFrame& src, int width, int height);

private:
    struct SwsDeleter {
        void operator()(SwsContext* s) const noexcept { sws_freeContext(s); }
    };
    /// What m_sws was built for: input size, format and range, output size.
    struct Shape {
        int width = 0, height = 0, format = -1;
        bool full_range = false;
        int out_width = 0, out_height = 0;
        friend bool operator==(const Shape&, const Shape&) = default;
    };
    std::unique_ptr<SwsContext, SwsDeleter> m_sws;
    Shape m_shape;
};

}  // namespace switchboard::transcode
