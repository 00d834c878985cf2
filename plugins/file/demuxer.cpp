// Container reading with libavformat; see demuxer.hpp.
#include "demuxer.hpp"

#include <stdexcept>

extern "C" {
#include <libavcodec/bsf.h>
#include <libavformat/avformat.h>
}

#include <switchboard/ffmpeg/av_packet.hpp>
#include <switchboard/ffmpeg/codec.hpp>

namespace switchboard::file {

namespace {

/// The format a stream's parameters describe, or nullopt for a codec we cannot name.
std::optional<Format> format_of(const AVStream& stream) {
    const AVCodecParameters& par = *stream.codecpar;
    auto codec = ffmpeg::codec_from_av(par.codec_id);
    auto kind = ffmpeg::kind_from_av(par.codec_id);
    if (!codec || !kind) return std::nullopt;
    Format f;
    f.kind = *kind;
    f.codec = *codec;
    if (f.kind == MediaKind::video) {
        f.width = par.width;
        f.height = par.height;
        AVRational rate = stream.avg_frame_rate.num ? stream.avg_frame_rate : stream.r_frame_rate;
        if (rate.num > 0 && rate.den > 0) f.frame_rate = ffmpeg::from_av(rate);
    } else {
        f.sample_rate = par.sample_rate;
        f.channels = par.ch_layout.nb_channels;
    }
    return f;
}

/// True when H264/H265 extradata is the MP4 form (avcC/hvcC: version byte 1), whose
/// packets are length-prefixed and need the Annex-B filter.
bool length_prefixed(const AVCodecParameters& par) noexcept {
    return (par.codec_id == AV_CODEC_ID_H264 || par.codec_id == AV_CODEC_ID_HEVC) && par.extradata_size > 0 &&
           par.extradata[0] == 1;
}

ffmpeg::BsfContextPtr annexb_filter(const AVStream& stream) {
    const char* name = stream.codecpar->codec_id == AV_CODEC_ID_H264 ? "h264_mp4toannexb" : "hevc_mp4toannexb";
    const AVBitStreamFilter* filter = av_bsf_get_by_name(name);
    AVBSFContext* raw = nullptr;
    if (!filter || av_bsf_alloc(filter, &raw) < 0) return nullptr;
    ffmpeg::BsfContextPtr bsf(raw);
    if (avcodec_parameters_copy(bsf->par_in, stream.codecpar) < 0) return nullptr;
    bsf->time_base_in = stream.time_base;
    if (av_bsf_init(bsf.get()) < 0) return nullptr;
    return bsf;
}

}  // namespace

Demuxer::Demuxer(const std::string& path) : m_path(path), m_packet(ffmpeg::make_packet()) {
    AVFormatContext* raw = nullptr;
    if (int err = avformat_open_input(&raw, path.c_str(), nullptr, nullptr); err < 0)
        throw std::invalid_argument("path: cannot open '" + path + "': " + ffmpeg::error_string(err));
    m_input.reset(raw);
    if (int err = avformat_find_stream_info(m_input.get(), nullptr); err < 0)
        throw std::invalid_argument("path: cannot read the streams of '" + path + "': " + ffmpeg::error_string(err));

    for (AVMediaType type : {AVMEDIA_TYPE_VIDEO, AVMEDIA_TYPE_AUDIO}) {
        const int index = av_find_best_stream(m_input.get(), type, -1, -1, nullptr, 0);
        if (index < 0) continue;
        const AVStream& stream = *m_input->streams[index];
        auto format = format_of(stream);
        if (!format) continue;  // a codec Switchboard has no name for; the port is left out
        Stream s;
        s.name = type == AVMEDIA_TYPE_VIDEO ? "video" : "audio";
        s.index = index;
        s.format = *format;
        s.time_base = ffmpeg::from_av(stream.time_base);
        if (length_prefixed(*stream.codecpar)) {
            s.to_annexb = annexb_filter(stream);
            if (!s.to_annexb) throw std::runtime_error("cannot set up the Annex-B filter for '" + path + "'");
            s.codec_config =
                ffmpeg::config_from_extradata(s.to_annexb->par_out->extradata, s.to_annexb->par_out->extradata_size);
            s.time_base = ffmpeg::from_av(s.to_annexb->time_base_out);
        } else {
            s.codec_config = ffmpeg::config_from_extradata(stream.codecpar->extradata, stream.codecpar->extradata_size);
        }
        m_streams.push_back(std::move(s));
    }
    if (m_streams.empty())
        throw std::invalid_argument("path: '" + path + "' has no video or audio stream in a codec Switchboard knows");
    if (!m_packet) throw std::runtime_error("out of memory");
}

Result<std::optional<Demuxer::Packet>> Demuxer::read() {
    for (;;) {
        av_packet_unref(m_packet.get());
        int err = av_read_frame(m_input.get(), m_packet.get());
        if (err == AVERROR_EOF) return std::optional<Packet>{};
        if (err < 0) return Error::runtime("reading '" + m_path + "' failed: " + ffmpeg::error_string(err));
        for (std::size_t slot = 0; slot < m_streams.size(); ++slot)
            if (m_streams[slot].index == m_packet->stream_index) {
                auto got = filter(slot, *m_packet);
                if (!got || got.value()) return got;
                break;  // the filter wants more input
            }
    }
}

Result<std::optional<Demuxer::Packet>> Demuxer::filter(std::size_t slot, AVPacket& packet) {
    Stream& s = m_streams[slot];
    if (s.to_annexb) {
        if (int err = av_bsf_send_packet(s.to_annexb.get(), &packet); err < 0)
            return Error::runtime("'" + m_path + "': Annex-B conversion failed: " + ffmpeg::error_string(err));
        int err = av_bsf_receive_packet(s.to_annexb.get(), &packet);
        if (err == AVERROR(EAGAIN)) return std::optional<Packet>{};
        if (err < 0) return Error::runtime("'" + m_path + "': Annex-B conversion failed: " + ffmpeg::error_string(err));
    }
    auto frame = ffmpeg::frame_from_packet(packet, s.format, s.time_base);
    if (!frame) return frame.error();
    if (s.format.codec == Codec::s16 && s.format.channels > 0)
        frame.value().samples = int(frame.value().payload_size() / (2 * std::size_t(s.format.channels)));
    return std::optional<Packet>(Packet{slot, std::move(frame.value())});
}

Result<void> Demuxer::rewind() {
    if (int err = avformat_seek_file(m_input.get(), -1, INT64_MIN, 0, 0, 0); err < 0)
        if (int err2 = av_seek_frame(m_input.get(), -1, 0, AVSEEK_FLAG_BACKWARD); err2 < 0)
            return Error::runtime("cannot seek to the start of '" + m_path + "': " + ffmpeg::error_string(err));
    for (auto& s : m_streams)
        if (s.to_annexb) av_bsf_flush(s.to_annexb.get());
    return {};
}

}  // namespace switchboard::file
