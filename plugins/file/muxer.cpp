// Container writing with libavformat; see muxer.hpp.
#include "muxer.hpp"

#include <cstdio>

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
}

#include <switchboard/ffmpeg/av_packet.hpp>
#include <switchboard/ffmpeg/codec.hpp>

#include "extradata.hpp"

namespace switchboard::file {

Muxer::~Muxer() {
    if (m_header_written) (void)finish();
}

Result<void> Muxer::open(const std::string& path, Container container) {
    m_path = path;
    AVFormatContext* raw = nullptr;
    int err = avformat_alloc_output_context2(&raw, nullptr, muxer_name(container), path.c_str());
    if (err < 0 || !raw)
        return Error::runtime("cannot set up a " + std::string(to_string(container)) + " muxer for '" + path +
                              "': " + ffmpeg::error_string(err));
    m_context.reset(raw);
    if (!(m_context->oformat->flags & AVFMT_NOFILE)) {
        err = avio_open(&m_context->pb, path.c_str(), AVIO_FLAG_WRITE);
        if (err < 0) {
            m_context.reset();
            return Error::unavailable("cannot create '" + path + "': " + ffmpeg::error_string(err));
        }
    }
    return {};
}

Result<int> Muxer::add_stream(const Format& format, const Buffer& codec_config, int audio_frame_size) {
    AVStream* stream = avformat_new_stream(m_context.get(), nullptr);
    if (!stream) return Error::runtime("out of memory");
    AVCodecParameters& par = *stream->codecpar;
    par.codec_id = ffmpeg::to_av_codec_id(format.codec);
    if (format.kind == MediaKind::video) {
        par.codec_type = AVMEDIA_TYPE_VIDEO;
        par.width = format.width;
        par.height = format.height;
        stream->time_base = AVRational{1, 90000};
        if (format.frame_rate.is_set()) stream->avg_frame_rate = ffmpeg::to_av(format.frame_rate);
    } else {
        par.codec_type = AVMEDIA_TYPE_AUDIO;
        par.sample_rate = format.sample_rate ? format.sample_rate : 48000;
        av_channel_layout_default(&par.ch_layout, format.channels > 0 ? format.channels : 1);
        stream->time_base = AVRational{1, par.sample_rate};
        par.frame_size = audio_frame_size;
        if (format.codec == Codec::opus) par.initial_padding = opus_pre_skip(codec_config);
    }
    if (!ffmpeg::assign_extradata(par.extradata, par.extradata_size, codec_config))
        return Error::runtime("out of memory");
    return stream->index;
}

Result<void> Muxer::write_header() {
    if (int err = avformat_write_header(m_context.get(), nullptr); err < 0)
        return Error::runtime("cannot write the header of '" + m_path + "': " + ffmpeg::error_string(err));
    m_header_written = true;
    return {};
}

Rational Muxer::time_base(int stream) const noexcept {
    return ffmpeg::from_av(m_context->streams[stream]->time_base);
}

Result<void> Muxer::write(int stream, const Frame& frame, std::int64_t pts, std::int64_t duration) {
    auto packet = ffmpeg::packet_referencing(frame);
    if (!packet) return packet.error();
    AVPacket& p = *packet.value();
    p.stream_index = stream;
    p.pts = pts;
    p.dts = pts;
    p.duration = duration;
    p.time_base = m_context->streams[stream]->time_base;
    // av_interleaved_write_frame takes the packet's reference (and queues it while it
    // interleaves), so the Frame's bytes stay alive inside it as long as needed.
    if (int err = av_interleaved_write_frame(m_context.get(), &p); err < 0)
        return Error::runtime("writing '" + m_path + "' failed: " + ffmpeg::error_string(err));
    return {};
}

Result<void> Muxer::finish() {
    if (!m_context) return {};
    Result<void> result;
    if (m_header_written) {
        if (int err = av_write_trailer(m_context.get()); err < 0)
            result = Error::runtime("cannot finish '" + m_path + "': " + ffmpeg::error_string(err));
    }
    m_header_written = false;
    m_context.reset();  // closes the file
    return result;
}

void Muxer::abandon() noexcept {
    if (!m_context) return;
    m_header_written = false;
    m_context.reset();
    std::remove(m_path.c_str());
}

}  // namespace switchboard::file
