/// \file audio_converter.hpp
/// \brief Any decoded audio to interleaved S16 at a chosen rate and channel count, with
/// libswresample.
///
/// Audio decoders output planar float (Opus, AAC) or other layouts; Switchboard's raw
/// audio is interleaved S16. The resampler is rebuilt only when the input changes.
/// Used on one node's executor.
#pragma once

extern "C" {
#include <libswresample/swresample.h>
}

#include <memory>

#include <switchboard/errors.hpp>
#include <switchboard/ffmpeg/handles.hpp>

namespace switchboard::transcode {

class AudioConverter {
public:
    /// True when `src` is already packed S16 at `rate` Hz with `channels` (0: any).
    static bool is_s16_of(const AVFrame& src, int rate, int channels) noexcept;

    /// New S16 audio at `rate` Hz and `channels` (0: the source's) made from `src`; pts
    /// is copied. May hold back a few samples inside the resampler when rates differ.
    Result<ffmpeg::FramePtr> to_s16(const AVFrame& src, int rate, int channels);

private:
    struct SwrDeleter {
        void operator()(SwrContext* s) const noexcept { swr_free(&s); }
    };
    std::unique_ptr<SwrContext, SwrDeleter> m_swr;
    // The parameters m_swr was built for.
    int m_in_format = -1;
    int m_in_rate = 0;
    int m_in_channels = 0;
    int m_out_rate = 0;
    int m_out_channels = 0;
};

}  // namespace switchboard::transcode
