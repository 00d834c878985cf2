#include "hls/cmaf_muxer.hpp"

extern "C" {
#include <libavformat/avformat.h>
#include <libavutil/channel_layout.h>
#include <libavutil/mathematics.h>
#include <libavutil/mem.h>
#include <libavutil/opt.h>
}

#include <switchboard/ffmpeg/handles.hpp>

namespace switchboard::hls {

namespace {

constexpr int io_buffer_bytes = 64 * 1024;

/// Copies `bytes` into codec extradata (FFmpeg wants it zero-padded and av_malloc'ed).
bool set_extradata(AVCodecParameters* par, const std::vector<std::uint8_t>& bytes) {
    par->extradata = static_cast<std::uint8_t*>(av_mallocz(bytes.size() + AV_INPUT_BUFFER_PADDING_SIZE));
    if (!par->extradata) return false;
    std::copy(bytes.begin(), bytes.end(), par->extradata);
    par->extradata_size = int(bytes.size());
    return true;
}

Error av_error(const char* what, int code) {
    return Error::runtime(std::string("cmaf muxer: ") + what + ": " + ffmpeg::error_string(code));
}

}  // namespace

int CmafMuxer::on_write(void* opaque, std::uint8_t* data, int size) {
    static_cast<CmafMuxer*>(opaque)->m_pending.append(reinterpret_cast<const char*>(data), std::size_t(size));
    return size;
}

Result<std::unique_ptr<CmafMuxer>> CmafMuxer::open(const CmafTracks& tracks) {
    if (tracks.video.width <= 0 || tracks.video.height <= 0)
        return Error::invalid("cmaf muxer: video size " + std::to_string(tracks.video.width) + "x" +
                              std::to_string(tracks.video.height) + " is not a picture size");
    if (tracks.video.parameter_sets.empty()) return Error::invalid("cmaf muxer: no H264 SPS/PPS");
    if (tracks.audio && (tracks.audio->sample_rate <= 0 || tracks.audio->channels <= 0 ||
                         tracks.audio->audio_specific_config.size() < 2))
        return Error::invalid("cmaf muxer: AAC needs a sample rate, channels and an AudioSpecificConfig");

    std::unique_ptr<CmafMuxer> m(new CmafMuxer());
    int rc = avformat_alloc_output_context2(&m->m_format, nullptr, "mp4", nullptr);
    if (rc < 0 || !m->m_format) return av_error("no mp4 muxer", rc);

    auto* buffer = static_cast<unsigned char*>(av_malloc(io_buffer_bytes));
    if (!buffer) return Error::runtime("cmaf muxer: out of memory");
    m->m_io = avio_alloc_context(buffer, io_buffer_bytes, 1, m.get(), nullptr, &CmafMuxer::on_write, nullptr);
    if (!m->m_io) {
        av_free(buffer);
        return Error::runtime("cmaf muxer: out of memory");
    }
    m->m_format->pb = m->m_io;
    m->m_format->flags |= AVFMT_FLAG_CUSTOM_IO;

    AVStream* video = avformat_new_stream(m->m_format, nullptr);
    if (!video) return Error::runtime("cmaf muxer: out of memory");
    video->time_base = {1, 90000};
    video->codecpar->codec_type = AVMEDIA_TYPE_VIDEO;
    video->codecpar->codec_id = AV_CODEC_ID_H264;
    video->codecpar->width = tracks.video.width;
    video->codecpar->height = tracks.video.height;
    if (!set_extradata(video->codecpar, tracks.video.parameter_sets))
        return Error::runtime("cmaf muxer: out of memory");

    if (tracks.audio) {
        AVStream* audio = avformat_new_stream(m->m_format, nullptr);
        if (!audio) return Error::runtime("cmaf muxer: out of memory");
        audio->time_base = {1, tracks.audio->sample_rate};
        audio->codecpar->codec_type = AVMEDIA_TYPE_AUDIO;
        audio->codecpar->codec_id = AV_CODEC_ID_AAC;
        audio->codecpar->sample_rate = tracks.audio->sample_rate;
        av_channel_layout_default(&audio->codecpar->ch_layout, tracks.audio->channels);
        audio->codecpar->frame_size = 1024;
        if (!set_extradata(audio->codecpar, tracks.audio->audio_specific_config))
            return Error::runtime("cmaf muxer: out of memory");
        m->m_has_audio = true;
    }

    AVDictionary* options = nullptr;
    av_dict_set(&options, "movflags", "frag_custom+empty_moov+default_base_moof+cmaf", 0);
    rc = avformat_write_header(m->m_format, &options);
    av_dict_free(&options);
    if (rc < 0) return av_error("writing the init segment", rc);
    avio_flush(m->m_io);
    m->m_init = std::move(m->m_pending);
    m->m_pending.clear();
    return m;
}

CmafMuxer::~CmafMuxer() {
    // No trailer: a live stream has no end, and the mfra it would write is not CMAF.
    if (m_format) avformat_free_context(m_format);
    if (m_io) {
        av_freep(&m_io->buffer);
        avio_context_free(&m_io);
    }
}

Result<void> CmafMuxer::write(Track track, std::span<const std::uint8_t> data, std::int64_t pts, std::int64_t duration,
                              Rational time_base, bool keyframe) {
    if (track == Track::audio && !m_has_audio) return Error::invalid("cmaf muxer: no audio track");
    if (data.empty()) return Error::invalid("cmaf muxer: empty sample");
    int index = int(track);
    AVRational target = m_format->streams[index]->time_base;
    AVRational source{time_base.num, time_base.den};
    auto packet = ffmpeg::make_packet();
    if (!packet) return Error::runtime("cmaf muxer: out of memory");
    // Not reference counted: the muxer copies the payload into its fragment buffer.
    packet->data = const_cast<std::uint8_t*>(data.data());
    packet->size = int(data.size());
    packet->stream_index = index;
    packet->pts = packet->dts = av_rescale_q(pts, source, target);
    packet->duration = av_rescale_q(duration, source, target);
    if (keyframe) packet->flags |= AV_PKT_FLAG_KEY;
    int rc = av_write_frame(m_format, packet.get());
    if (rc < 0) return av_error(track == Track::video ? "writing video" : "writing audio", rc);
    return {};
}

Result<std::string> CmafMuxer::flush_fragment() {
    int rc = av_write_frame(m_format, nullptr);
    if (rc < 0) return av_error("flushing a fragment", rc);
    avio_flush(m_io);
    std::string fragment = std::move(m_pending);
    m_pending.clear();
    return fragment;
}

}  // namespace switchboard::hls
