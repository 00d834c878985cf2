/// \file audio_converter.hpp
/// \brief Any audio to a chosen sample format, rate and channel count, with libswresample.
///
/// The one sample converter of the plugin, used both ways: the decoder turns what its
/// codec outputs (planar float for Opus and AAC, S16 for G.711) into Switchboard's raw
/// audio, interleaved S16, and the encoder turns that S16 into what its codec takes
/// (planar float for FFmpeg's AAC encoder). The resampler is rebuilt only when the input
/// or the wanted output changes. Used on one node's executor.
#pragma once

extern "C" {
#include <libavutil/samplefmt.h>
#include <libswresample/swresample.h>
}

#include <memory>

#include <switchboard/errors.hpp>
#include <switchboard/ffmpeg/handles.hpp>

namespace switchboard::transcode {

class AudioConverter {
public:
    /// True when `src` is already `format` at `rate` Hz with `channels` (0: any rate, any
    /// channel count), so it needs no conversion.
    static bool matches(const AVFrame& src, AVSampleFormat format, int rate, int channels) noexcept;

    /// New audio in `format` at `rate` Hz and `channels` (0: the source's) made from `src`;
    /// pts is copied. May hold back a few samples inside the resampler when rates differ;
    /// at the same rate every sample comes out at once.
    Result<ffmpeg::FramePtr> convert(const AVFrame& src, AVSampleFormat format, int rate, int channels);

private:
    struct SwrDeleter {
        void operator()(SwrContext* s) const noexcept { swr_free(&s); }
    };
    std::unique_ptr<SwrContext, SwrDeleter> m_swr;
    // The parameters m_swr was built for.
    int m_in_format = -1;
    int m_in_rate = 0;
    int m_in_channels = 0;
    int m_out_format = -1;
    int m_out_rate = 0;
    int m_out_channels = 0;
};

}  // namespace switchboard::transcode
