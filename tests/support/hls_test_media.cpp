#include "support/hls_test_media.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include <unistd.h>

extern "C" {
#include <libavformat/avformat.h>
}

#include "testsrc/pattern.hpp"
#include "testsrc/stamp.hpp"
#include "transcode/encoder_setup.hpp"

namespace switchboard::test {

Format test_aac_format() {
    return Format{
        .kind = MediaKind::audio, .codec = Codec::aac, .sample_rate = HlsTestMedia::sample_rate, .channels = 2};
}

Frame as_video_frame(const EncodedFrame& e, int width, int height, const std::vector<std::uint8_t>& config) {
    Frame f;
    f.format = Format{.kind = MediaKind::video, .codec = Codec::h264, .width = width, .height = height};
    f.buffer = Buffer::copy_of(e.bytes.data(), e.bytes.size());
    f.pts = e.pts;
    f.time_base = {1, 90000};
    f.keyframe = e.keyframe;
    if (!config.empty()) f.codec_config = Buffer::copy_of(config.data(), config.size());
    return f;
}

Frame as_audio_frame(const EncodedFrame& e, const std::vector<std::uint8_t>& asc) {
    Frame f;
    f.format = test_aac_format();
    f.buffer = Buffer::copy_of(e.bytes.data(), e.bytes.size());
    f.pts = e.pts;
    f.time_base = {1, HlsTestMedia::sample_rate};
    f.keyframe = true;
    if (!asc.empty()) f.codec_config = Buffer::copy_of(asc.data(), asc.size());
    return f;
}

namespace {

ffmpeg::CodecContextPtr open(const transcode::EncoderSettings& settings, const Format& format) {
    auto encoder = transcode::open_encoder(settings, format);
    if (!encoder) throw std::runtime_error("hls test media: " + encoder.error().message);
    return std::move(encoder.value());
}

/// The packets an encoder has ready after one send.
std::vector<EncodedFrame> drain(AVCodecContext& c) {
    std::vector<EncodedFrame> out;
    auto packet = ffmpeg::make_packet();
    while (avcodec_receive_packet(&c, packet.get()) == 0) {
        out.push_back(
            {{packet->data, packet->data + packet->size}, packet->pts, (packet->flags & AV_PKT_FLAG_KEY) != 0});
        av_packet_unref(packet.get());
    }
    return out;
}

}  // namespace

HlsTestMedia::HlsTestMedia(int width, int height, int fps) : m_width(width), m_height(height), m_fps(fps) {
    transcode::EncoderSettings video;
    video.codec = Codec::h264;
    video.bitrate_kbps = 1000;
    video.keyframe_interval_s = 1;
    Format raw;
    raw.kind = MediaKind::video;
    raw.codec = Codec::i420;
    raw.width = width;
    raw.height = height;
    raw.frame_rate = {fps, 1};
    m_video = open(video, raw);

    transcode::EncoderSettings audio;
    audio.codec = Codec::aac;
    audio.bitrate_kbps = 96;
    Format pcm;
    pcm.kind = MediaKind::audio;
    pcm.codec = Codec::s16;
    pcm.sample_rate = sample_rate;
    pcm.channels = 2;
    m_audio = open(audio, pcm);
}

EncodedFrame HlsTestMedia::next_video() {
    auto frame = ffmpeg::make_frame();
    frame->format = AV_PIX_FMT_YUV420P;
    frame->width = m_width;
    frame->height = m_height;
    if (av_frame_get_buffer(frame.get(), 0) < 0) throw std::runtime_error("hls test media: no frame buffer");
    testsrc::paint_pattern({frame->data[0], frame->linesize[0]}, {frame->data[1], frame->linesize[1]},
                           {frame->data[2], frame->linesize[2]}, m_width, m_height, m_video_index);
    testsrc::stamp::write(frame->data[0], frame->linesize[0], m_width, testsrc::stamp::now_ms32(),
                          std::uint32_t(m_video_index));
    frame->pts = m_video_index * 90000 / m_fps;
    ++m_video_index;
    if (avcodec_send_frame(m_video.get(), frame.get()) < 0) throw std::runtime_error("hls test media: x264 refused");
    auto packets = drain(*m_video);
    if (packets.size() != 1) throw std::runtime_error("hls test media: x264 gave not one packet for one frame");
    return std::move(packets.front());
}

std::vector<EncodedFrame> HlsTestMedia::audio_until(std::int64_t until_pts90k) {
    std::vector<EncodedFrame> out;
    const int n = m_audio->frame_size;
    while ((m_audio_samples + n) * 90000 / sample_rate <= until_pts90k) {
        auto frame = ffmpeg::make_frame();
        frame->format = m_audio->sample_fmt;
        frame->nb_samples = n;
        frame->sample_rate = sample_rate;
        av_channel_layout_copy(&frame->ch_layout, &m_audio->ch_layout);
        if (av_frame_get_buffer(frame.get(), 0) < 0) throw std::runtime_error("hls test media: no audio buffer");
        for (int i = 0; i < n; ++i) {
            float v = float(0.25 * std::sin(m_phase));
            m_phase = std::fmod(m_phase + 2 * M_PI * 440.0 / sample_rate, 2 * M_PI);
            for (int c = 0; c < frame->ch_layout.nb_channels; ++c) reinterpret_cast<float*>(frame->data[c])[i] = v;
        }
        frame->pts = m_audio_samples;
        m_audio_samples += n;
        if (avcodec_send_frame(m_audio.get(), frame.get()) < 0) throw std::runtime_error("hls test media: AAC refused");
        for (auto& p : drain(*m_audio)) out.push_back(std::move(p));
    }
    return out;
}

std::vector<std::uint8_t> HlsTestMedia::video_extradata() const {
    return {m_video->extradata, m_video->extradata + m_video->extradata_size};
}

std::vector<std::uint8_t> HlsTestMedia::audio_specific_config() const {
    return {m_audio->extradata, m_audio->extradata + m_audio->extradata_size};
}

Demuxed demux(const std::string& init, const std::string& media) {
    auto path = std::filesystem::temp_directory_path() / ("hls_test_media_" + std::to_string(::getpid()) + ".mp4");
    std::ofstream(path, std::ios::binary) << init << media;
    Demuxed out;
    AVFormatContext* raw = nullptr;
    if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) == 0) {
        ffmpeg::InputFormatPtr input(raw);
        auto packet = ffmpeg::make_packet();
        while (av_read_frame(input.get(), packet.get()) == 0) {
            const AVStream* stream = input->streams[packet->stream_index];
            const double at = double(packet->pts) * av_q2d(stream->time_base);
            if (stream->codecpar->codec_type == AVMEDIA_TYPE_VIDEO) {
                out.video_keyframes.push_back(packet->flags & AV_PKT_FLAG_KEY);
                if (!out.first_video_s) out.first_video_s = at;
            } else if (stream->codecpar->codec_type == AVMEDIA_TYPE_AUDIO) {
                ++out.audio_packets;
                if (!out.first_audio_s) out.first_audio_s = at;
            }
            av_packet_unref(packet.get());
        }
    }
    std::filesystem::remove(path);
    return out;
}

}  // namespace switchboard::test
