// Audio sample conversion with libswresample; see audio_converter.hpp.
#include "audio_converter.hpp"

#include <string>

extern "C" {
#include <libavutil/channel_layout.h>
}

namespace switchboard::transcode {

bool AudioConverter::matches(const AVFrame& src, AVSampleFormat format, int rate, int channels) noexcept {
    return src.format == format && (rate == 0 || src.sample_rate == rate) &&
           (channels == 0 || src.ch_layout.nb_channels == channels);
}

Result<ffmpeg::FramePtr> AudioConverter::convert(const AVFrame& src, AVSampleFormat format, int rate, int channels) {
    if (rate == 0) rate = src.sample_rate;
    if (channels == 0) channels = src.ch_layout.nb_channels;

    AVChannelLayout out_layout;
    av_channel_layout_default(&out_layout, channels);
    const bool same = m_swr && m_in_format == src.format && m_in_rate == src.sample_rate &&
                      m_in_channels == src.ch_layout.nb_channels && m_out_format == format && m_out_rate == rate &&
                      m_out_channels == channels;
    if (!same) {
        SwrContext* swr = nullptr;
        // FFmpeg 5.1 declares the layout parameters non-const but only reads them.
        int err = swr_alloc_set_opts2(&swr, &out_layout, format, rate, const_cast<AVChannelLayout*>(&src.ch_layout),
                                      AVSampleFormat(src.format), src.sample_rate, 0, nullptr);
        m_swr.reset(swr);
        if (err >= 0) err = swr_init(swr);
        if (err < 0) {
            m_swr.reset();
            return Error::runtime(std::string("cannot convert audio to ") + av_get_sample_fmt_name(format) + ": " +
                                  ffmpeg::error_string(err));
        }
        m_in_format = src.format;
        m_in_rate = src.sample_rate;
        m_in_channels = src.ch_layout.nb_channels;
        m_out_format = format;
        m_out_rate = rate;
        m_out_channels = channels;
    }

    ffmpeg::FramePtr out = ffmpeg::make_frame();
    if (!out) return Error::runtime("out of memory");
    out->format = format;
    out->sample_rate = rate;
    out->ch_layout = out_layout;
    out->nb_samples = swr_get_out_samples(m_swr.get(), src.nb_samples);
    if (out->nb_samples <= 0) out->nb_samples = 1;
    if (int err = av_frame_get_buffer(out.get(), 0); err < 0)
        return Error::runtime("cannot allocate audio: " + ffmpeg::error_string(err));
    const int got = swr_convert(m_swr.get(), out->data, out->nb_samples,
                                const_cast<const std::uint8_t**>(src.extended_data), src.nb_samples);
    if (got < 0) return Error::runtime("audio conversion failed: " + ffmpeg::error_string(got));
    out->nb_samples = got;
    out->pts = src.pts;
    out->best_effort_timestamp = src.best_effort_timestamp;
    return out;
}

}  // namespace switchboard::transcode
