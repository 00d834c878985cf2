// transcode.encoder node; see encoder_node.hpp.
#include "encoder_node.hpp"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

extern "C" {
#include <libavutil/mathematics.h>
}

#include <switchboard/ffmpeg/av_frame.hpp>
#include <switchboard/ffmpeg/av_packet.hpp>
#include <switchboard/ffmpeg/codec.hpp>
#include <switchboard/log.hpp>

#include "encoder_setup.hpp"
#include "h264_profile.hpp"

namespace switchboard::transcode {

namespace {

std::int64_t rescale(std::int64_t value, Rational from, Rational to) noexcept {
    return av_rescale_q(value, ffmpeg::to_av(from), ffmpeg::to_av(to));
}

bool same_bytes(const Buffer& buffer, const std::uint8_t* data, int size) noexcept {
    return buffer.size() == std::size_t(std::max(size, 0)) &&
           (size <= 0 || std::memcmp(buffer.data(), data, std::size_t(size)) == 0);
}

bool contains(const std::vector<int>& values, int value) noexcept {
    return std::find(values.begin(), values.end(), value) != values.end();
}

/// "S16 at 48000 Hz" or "S16 at 48000, 44100, ... Hz", for refusals.
std::string wanted_audio(const std::vector<int>& rates) {
    std::string s = "S16 at ";
    for (std::size_t i = 0; i < rates.size(); ++i) s += (i ? ", " : "") + std::to_string(rates[i]);
    return s + " Hz";
}

}  // namespace

EncoderNode::EncoderNode(NodeContext& context, const NodeConfig& config)
    : m_ctx(context), m_pointer(config.pointer()), m_settings(EncoderSettings::from(config)) {
    m_output.kind = m_settings.kind();
    m_output.codec = m_settings.codec;
    if (m_settings.codec == Codec::h264) m_output.packetization_mode = 1;
    if (m_settings.codec == Codec::opus) m_output.sample_rate = 48000;
    m_time_base = encoder_time_base(m_output);  // audio: again once the rate is known
}

std::vector<PortSpec> EncoderNode::input_ports() const noexcept {
    if (is_audio()) {
        FormatSet rates;
        for (int rate : encoder_sample_rates(m_settings.codec)) {
            Format s16;
            s16.kind = MediaKind::audio;
            s16.codec = Codec::s16;
            s16.sample_rate = rate;
            rates.push_back(s16);
        }
        return {{"in", MediaKind::audio, std::move(rates), false}};
    }
    Format i420, nv12;
    i420.codec = Codec::i420;
    nv12.codec = Codec::nv12;
    return {{"in", MediaKind::video, {i420, nv12}, false}};
}

std::vector<PortSpec> EncoderNode::output_ports() const noexcept {
    return {{"out", m_output.kind, {m_output}, false}};
}

Result<void> EncoderNode::set_input_format(PortIndex input, const Format& format) noexcept {
    if (input != 0) return Error::invalid(m_pointer + ": the encoder has one input, port 0 \"in\"");
    try {
        return open(format);
    } catch (const std::exception& e) {
        return Error::runtime(m_pointer + ": " + e.what());
    }
}

Result<void> EncoderNode::open(const Format& input) {
    const bool wants_audio = is_audio();
    const auto rates = encoder_sample_rates(m_settings.codec);
    const bool ok =
        wants_audio ? (input.kind == MediaKind::audio && input.codec == Codec::s16 &&
                       (input.sample_rate == 0 || contains(rates, input.sample_rate)))
                    : (input.kind == MediaKind::video && (input.codec == Codec::i420 || input.codec == Codec::nv12));
    if (!ok)
        return Error::invalid(m_pointer + ": a " + std::string(to_string(m_settings.codec)) + " encoder cannot take " +
                              to_string(input) + " (needs " + (wants_audio ? wanted_audio(rates) : "I420") + ")");

    m_input = input;
    Format raw = input;
    raw.codec = wants_audio ? Codec::s16 : Codec::i420;
    if (wants_audio && rates.size() == 1) raw.sample_rate = rates.front();  // Opus: unset means its one rate
    if (wants_audio) m_output.sample_rate = raw.sample_rate;
    // An upstream that settled without a size (or a channel count or sample rate) says it
    // on its frames: the encoder then opens on the first one, and port "out" leaves those
    // open.
    if (wants_audio ? (raw.channels <= 0 || raw.sample_rate <= 0) : (raw.width <= 0 || raw.height <= 0)) return {};

    auto encoder = open_encoder(m_settings, raw);
    if (!encoder) return Error{encoder.error().kind, m_pointer + ": " + encoder.error().message};
    m_encoder = std::move(encoder.value());

    if (wants_audio) {
        m_time_base = encoder_time_base(raw);
        m_output.sample_rate = m_encoder->sample_rate;
        m_output.channels = m_encoder->ch_layout.nb_channels;
        Format block = raw;
        block.channels = m_output.channels;
        // Encoders without variable frame sizes (both of ours) take exactly frame_size
        // samples per frame but the last.
        m_chunker.emplace(m_encoder->frame_size > 0 ? m_encoder->frame_size : 960, block);
    } else {
        m_output.width = input.width;
        m_output.height = input.height;
        m_output.frame_rate = input.frame_rate;
        const Rational rate = input.frame_rate.is_set() ? input.frame_rate : Rational{30, 1};
        m_default_duration = rescale(1, Rational{rate.den, rate.num}, m_time_base);
        if (m_settings.codec == Codec::h264) {
            auto sps = sps_profile_level_id(m_encoder->extradata, std::size_t(std::max(0, m_encoder->extradata_size)));
            if (!sps) return Error::runtime(m_pointer + ": libx264 gave no SPS in its extradata");
            m_output.profile_level_id = advertised_profile_level_id(*sps);
        }
    }
    SWITCHBOARD_LOG(m_ctx.log(), info, "encoding " << to_string(input) << " to " << to_string(m_output));
    return {};
}

void EncoderNode::stop() noexcept {
    m_flushed = true;  // a stray frame after stop() must not reopen the encoder
    m_encoder.reset();
    m_chunker.reset();
    m_timings.clear();
}

void EncoderNode::on_frame(PortIndex input, Frame&& frame) noexcept {
    if (m_failed || m_flushed || input != 0) return;
    try {
        if (!m_encoder) {
            // Settled without a size or channel count, or not negotiated at all: the first
            // frame's own format decides.
            if (auto opened = open(frame.format); !opened) return fail(opened.error());
            if (!m_encoder)
                return fail(
                    Error::invalid(m_pointer + ": a frame without size or channels: " + to_string(frame.format)));
        }
        if (is_audio())
            encode_audio(frame);
        else
            encode_video(frame);
    } catch (const std::exception& e) {
        fail(Error::runtime(e.what()));
    }
}

void EncoderNode::encode_video(const Frame& frame) {
    if (m_wanted_bps && m_wanted_bps != m_encoder->bit_rate) apply_bitrate();
    if (m_failed) return;
    auto picture = ffmpeg::av_frame_from(frame);
    if (!picture) return fail(picture.error());
    ffmpeg::FramePtr av = std::move(picture.value());
    if (!VideoConverter::is_i420_of(*av, m_encoder->width, m_encoder->height)) {
        auto converted = m_converter.to_i420(*av, m_encoder->width, m_encoder->height);
        if (!converted) return fail(converted.error());
        av = std::move(converted.value());
    }

    // x264 refuses pts that do not increase; inputs in a coarse time base could collide.
    std::int64_t pts = rescale(frame.pts, frame.time_base, m_time_base);
    if (pts <= m_last_pts) pts = m_last_pts + 1;
    m_last_pts = pts;
    const std::int64_t duration =
        frame.duration > 0 ? rescale(frame.duration, frame.time_base, m_time_base) : m_default_duration;
    m_timings.remember(pts, frame.timing, duration);

    av->pts = pts;
    av->pict_type = m_force_keyframe ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE;
    m_force_keyframe = false;
    ++m_frames_since_keyframe;
    send(av.get());
}

void EncoderNode::encode_audio(const Frame& frame) {
    if (frame.format.codec != Codec::s16 || frame.format.channels != m_output.channels ||
        (frame.format.sample_rate && frame.format.sample_rate != m_output.sample_rate))
        return fail(Error::invalid(m_pointer + ": the " + std::string(to_string(m_settings.codec)) +
                                   " encoder was opened for S16 " + std::to_string(m_output.sample_rate) + " Hz " +
                                   std::to_string(m_output.channels) + "ch but got " + to_string(frame.format)));
    m_chunker->push(frame, rescale(frame.pts, frame.time_base, m_time_base));
    while (auto block = m_chunker->pop()) {
        send_block(*block);
        if (m_failed) return;
    }
}

void EncoderNode::send_block(const Frame& block) {
    auto made = ffmpeg::av_frame_from(block);
    if (!made) return fail(made.error());
    ffmpeg::FramePtr samples = std::move(made.value());
    const auto wanted = AVSampleFormat(m_encoder->sample_fmt);
    if (!AudioConverter::matches(*samples, wanted, 0, 0)) {
        // Same rate and channels: the converter hands back every sample at once, so the
        // block keeps the exact frame_size the encoder insists on.
        auto converted = m_samples.convert(*samples, wanted, m_encoder->sample_rate, m_output.channels);
        if (!converted) return fail(converted.error());
        samples = std::move(converted.value());
        if (samples->nb_samples != block.samples)
            return fail(Error::runtime("sample conversion returned " + std::to_string(samples->nb_samples) + " of " +
                                       std::to_string(block.samples) + " samples"));
    }
    samples->pts = block.pts;
    m_timings.remember(block.pts, block.timing, block.duration);
    send(samples.get());
}

void EncoderNode::send(const AVFrame* picture) {
    if (int err = avcodec_send_frame(m_encoder.get(), picture); err < 0 && err != AVERROR_EOF)
        return fail(Error::runtime("encoder refused a frame: " + ffmpeg::error_string(err)));
    ffmpeg::PacketPtr packet = ffmpeg::make_packet();
    if (!packet) return fail(Error::runtime("out of memory"));
    for (;;) {
        int err = avcodec_receive_packet(m_encoder.get(), packet.get());
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return;
        if (err < 0) return fail(Error::runtime("encoding failed: " + ffmpeg::error_string(err)));
        emit_packet(*packet);
        av_packet_unref(packet.get());
        if (m_failed) return;
    }
}

void EncoderNode::emit_packet(const AVPacket& packet) {
    auto made = ffmpeg::frame_from_packet(packet, m_output, m_time_base);
    if (!made) return fail(made.error());
    Frame frame = std::move(made.value());

    // Audio encoders stamp packets initial_padding samples early (Opus' pre-skip, AAC's
    // 1024 priming samples, which a decoder or a container's edit list drops); the input
    // the packet was made from sits at the unshifted position.
    const std::int64_t source_pts = packet.pts + (is_audio() ? m_encoder->initial_padding : 0);
    if (auto entry = m_timings.take(source_pts)) {
        m_last_timing = entry->timing;
        if (frame.duration <= 0) frame.duration = entry->duration;
    }
    // An output with no input of its own (the tail a flush drains) goes with the latest.
    frame.timing = m_last_timing;
    // Every Opus packet and every AAC access unit decodes on its own (AAC's overlap with
    // the previous unit only colours the first 1024 samples a joining decoder plays).
    if (is_audio()) frame.keyframe = true;
    if (frame.keyframe) m_frames_since_keyframe = 0;

    if (!same_bytes(m_sent_config, m_encoder->extradata, m_encoder->extradata_size)) {
        m_sent_config = ffmpeg::config_from_extradata(m_encoder->extradata, m_encoder->extradata_size);
        frame.codec_config = m_sent_config;
    }
    m_ctx.emit(0, std::move(frame));
}

bool EncoderNode::on_bitrate_request(PortIndex, std::uint64_t bits_per_second) noexcept {
    if (is_audio()) return true;
    constexpr std::int64_t floor_bps = 100'000;  // below this a picture is mush; the receiver drops instead
    const std::int64_t configured = std::int64_t(m_settings.bitrate_kbps) * 1000;
    const auto share = std::int64_t(double(bits_per_second) * 0.85);
    m_wanted_bps = std::clamp(share, std::min(floor_bps, configured), configured);
    return true;
}

void EncoderNode::apply_bitrate() {
    const std::int64_t now = monotonic_ns();
    const std::int64_t current = m_encoder->bit_rate;
    // Small changes are noise in the estimate; retuning costs (a keyframe for libvpx).
    if (std::llabs(m_wanted_bps - current) * 10 < current) return;
    if (m_settings.codec == Codec::h264) {
        // libavcodec's libx264 wrapper calls x264_encoder_reconfig when these change.
        m_encoder->bit_rate = m_wanted_bps;
        m_encoder->rc_max_rate = m_wanted_bps;
        m_encoder->rc_buffer_size = int(m_wanted_bps);
    } else {
        // FFmpeg's libvpx wrapper reads the rate only when it opens, and reopening starts
        // with a keyframe: a stall and a burst. So only a real change is taken: congestion
        // (over 30 % less) at once, room to grow (over 30 % more) at the moment the encoder
        // makes its own keyframe (or one was asked for), where the reopen costs no extra
        // keyframe. An estimate that wobbles around what we send is left alone.
        const bool congested = m_wanted_bps * 10 < current * 7;
        const bool room = m_wanted_bps * 10 > current * 13;
        const bool keyframe_due = m_force_keyframe || m_frames_since_keyframe + 1 >= m_encoder->gop_size;
        constexpr std::int64_t reopen_interval_ns = 2'000'000'000;
        if (!congested && !(room && keyframe_due)) return;
        if (m_last_reopen_ns && now - m_last_reopen_ns < reopen_interval_ns) return;
        EncoderSettings settings = m_settings;
        settings.bitrate_kbps = int(m_wanted_bps / 1000);
        Format raw = m_input;
        raw.codec = Codec::i420;
        raw.width = m_encoder->width;
        raw.height = m_encoder->height;
        auto reopened = open_encoder(settings, raw);
        if (!reopened) return fail(Error{reopened.error().kind, m_pointer + ": " + reopened.error().message});
        send(nullptr);  // libvpx holds nothing with lag-in-frames 0, but drain to be sure
        m_encoder = std::move(reopened.value());
        m_last_reopen_ns = now;
        m_force_keyframe = false;  // the reopened encoder starts with one
    }
    SWITCHBOARD_LOG(m_ctx.log(), info,
                    "bitrate " << current / 1000 << " -> " << m_wanted_bps / 1000 << " kb/s (a receiver's estimate)");
}

bool EncoderNode::on_keyframe_request(PortIndex output) noexcept {
    m_force_keyframe = true;
    return true;
}

void EncoderNode::on_end_of_stream() noexcept {
    if (m_failed || m_flushed || !m_encoder) return;
    try {
        if (m_chunker)
            if (auto last = m_chunker->pop_padded()) send_block(*last);
        if (m_failed) return;
        send(nullptr);
    } catch (const std::exception& e) {
        fail(Error::runtime(e.what()));
    }
    m_flushed = true;
}

void EncoderNode::fail(Error error) {
    if (m_failed) return;
    m_failed = true;
    m_ctx.fail(std::move(error));
}

}  // namespace switchboard::transcode
