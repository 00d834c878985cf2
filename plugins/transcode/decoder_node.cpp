// transcode.decoder node; see decoder_node.hpp.
#include "decoder_node.hpp"

#include <algorithm>
#include <cstring>

extern "C" {
#include <libavutil/channel_layout.h>
}

#include <switchboard/ffmpeg/av_frame.hpp>
#include <switchboard/ffmpeg/av_packet.hpp>
#include <switchboard/ffmpeg/codec.hpp>
#include <switchboard/log.hpp>

namespace switchboard::transcode {

namespace {

Format encoded(MediaKind kind, Codec codec) {
    Format f;
    f.kind = kind;
    f.codec = codec;
    return f;
}

/// The rate a stream of `codec` has when its format does not say.
int default_rate(Codec codec) noexcept {
    switch (codec) {
        case Codec::opus:
            return 48000;
        case Codec::pcmu:
        case Codec::pcma:
            return 8000;
        default:
            return 0;
    }
}

bool same_bytes(const Buffer& a, const Buffer& b) noexcept {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size()) == 0);
}

}  // namespace

DecoderNode::DecoderNode(NodeContext& context, const NodeConfig& config)
    : m_ctx(context), m_pointer(config.pointer()), m_settings(DecoderSettings::from(config)) {
    m_input.kind = m_settings.kind;
    m_output = output_for(m_input, m_settings);
    m_waiting_for_keyframe = m_settings.kind == MediaKind::video;
}

FormatSet DecoderNode::accepted(MediaKind kind) {
    if (kind == MediaKind::audio)
        return {encoded(kind, Codec::opus), encoded(kind, Codec::aac), encoded(kind, Codec::pcmu),
                encoded(kind, Codec::pcma)};
    return {encoded(kind, Codec::h264), encoded(kind, Codec::h265), encoded(kind, Codec::vp8),
            encoded(kind, Codec::vp9), encoded(kind, Codec::mjpeg)};
}

Format DecoderNode::output_for(const Format& input, const DecoderSettings& settings) {
    Format out;
    out.kind = input.kind;
    if (input.kind == MediaKind::video) {
        out.codec = Codec::i420;
        out.width = settings.width ? settings.width : input.width;
        out.height = settings.height ? settings.height : input.height;
        out.frame_rate = input.frame_rate;
    } else {
        out.codec = Codec::s16;
        out.sample_rate = settings.sample_rate ? settings.sample_rate
                          : input.sample_rate  ? input.sample_rate
                                               : default_rate(input.codec);
        out.channels = settings.channels ? settings.channels : input.channels;
    }
    return out;
}

std::vector<PortSpec> DecoderNode::input_ports() const noexcept {
    return {{"in", m_settings.kind, accepted(m_settings.kind), false}};
}

std::vector<PortSpec> DecoderNode::output_ports() const noexcept {
    return {{"out", m_settings.kind, {m_output}, false}};
}

Result<void> DecoderNode::set_input_format(PortIndex input, const Format& format) noexcept {
    const auto formats = accepted(m_settings.kind);
    const bool known = std::any_of(formats.begin(), formats.end(),
                                   [&](const Format& f) { return f.kind == format.kind && f.codec == format.codec; });
    if (input != 0 || !known)
        return Error::invalid(m_pointer + ": a " + std::string(to_string(m_settings.kind)) + " decoder cannot take " +
                              to_string(format));
    m_input = format;
    m_output = output_for(format, m_settings);
    return {};
}

void DecoderNode::stop() noexcept {
    m_decoder.reset();
    m_timings.clear();
}

Result<void> DecoderNode::open(const Frame& first) {
    const Codec codec = first.format.codec != Codec::any ? first.format.codec : m_input.codec;
    const AVCodec* decoder = avcodec_find_decoder(ffmpeg::to_av_codec_id(codec));
    if (!decoder) return Error::unavailable(m_pointer + ": no decoder for " + std::string(to_string(codec)));
    ffmpeg::CodecContextPtr context(avcodec_alloc_context3(decoder));
    if (!context) return Error::runtime("out of memory");

    context->thread_count = 1;
    context->thread_type = 0;
    context->pkt_timebase = ffmpeg::to_av(first.time_base);
    if (first.format.kind == MediaKind::video) {
        context->flags |= AV_CODEC_FLAG_LOW_DELAY;  // output each picture as soon as it decodes
    } else {
        const int rate = first.format.sample_rate ? first.format.sample_rate : default_rate(codec);
        // Opus without an OpusHead (from RTP) is signalled as stereo; G.711 is mono.
        const int channels = first.format.channels ? first.format.channels : codec == Codec::opus ? 2 : 1;
        context->sample_rate = rate;
        av_channel_layout_default(&context->ch_layout, channels);
    }
    if (!ffmpeg::assign_extradata(context->extradata, context->extradata_size, first.codec_config))
        return Error::runtime("out of memory");
    if (int err = avcodec_open2(context.get(), decoder, nullptr); err < 0)
        return Error::invalid(m_pointer + ": cannot open the " + std::string(to_string(codec)) +
                              " decoder: " + ffmpeg::error_string(err));
    m_decoder = std::move(context);
    m_config = first.codec_config;
    m_time_base = first.time_base;
    SWITCHBOARD_LOG(m_ctx.log(), info, "decoding " << to_string(first.format) << " to " << to_string(m_output));
    return {};
}

void DecoderNode::on_frame(PortIndex input, Frame&& frame) noexcept {
    if (m_failed || input != 0 || frame.buffer.empty()) return;
    try {
        decode(frame);
    } catch (const std::exception& e) {
        fail(Error::runtime(m_pointer + ": " + e.what()));
    }
}

void DecoderNode::decode(const Frame& frame) {
    if (m_waiting_for_keyframe) {
        if (!frame.keyframe) {
            m_ctx.request_keyframe(0);  // coalesced upstream, so asking on every frame is fine
            return;
        }
        m_waiting_for_keyframe = false;
    }
    // A new codec_config (a new SPS, another OpusHead) reopens the decoder with it.
    if (!m_decoder || (!frame.codec_config.empty() && !same_bytes(frame.codec_config, m_config))) {
        if (m_decoder) drain();
        if (auto opened = open(frame); !opened) return fail(opened.error());
    }

    auto packet = ffmpeg::packet_copy(frame);
    if (!packet) return fail(packet.error());
    m_timings.remember(frame.pts, frame.timing, frame.duration);
    if (int err = avcodec_send_packet(m_decoder.get(), packet.value().get()); err < 0) {
        on_decode_error(err);
        return;
    }
    drain();
}

void DecoderNode::drain() {
    if (!m_decoded) m_decoded = ffmpeg::make_frame();
    for (;;) {
        int err = avcodec_receive_frame(m_decoder.get(), m_decoded.get());
        if (err == AVERROR(EAGAIN) || err == AVERROR_EOF) return;
        if (err < 0) return on_decode_error(err);
        if (m_settings.kind == MediaKind::video)
            emit_picture(*m_decoded);
        else
            emit_audio(*m_decoded);
        av_frame_unref(m_decoded.get());
        if (m_failed) return;
    }
}

void DecoderNode::emit_picture(const AVFrame& picture) {
    Result<Frame> made = Error::runtime("unreachable");
    if (VideoConverter::is_i420_of(picture, m_output.width, m_output.height)) {
        made = ffmpeg::frame_from_av(picture, m_output, m_time_base);
    } else {
        auto converted = m_video.to_i420(picture, m_output.width, m_output.height);
        if (!converted) return fail(converted.error());
        made = ffmpeg::frame_from_av(*converted.value(), m_output, m_time_base);
    }
    if (!made) return fail(made.error());
    Frame frame = std::move(made.value());
    if (auto entry = m_timings.take(frame.pts)) {
        m_last_timing = entry->timing;
        frame.duration = entry->duration;
    }
    frame.timing = m_last_timing;  // see emit_audio()
    m_ctx.emit(0, std::move(frame));
}

void DecoderNode::emit_audio(const AVFrame& samples) {
    Format format = m_output;
    Result<Frame> made = Error::runtime("unreachable");
    if (AudioConverter::matches(samples, AV_SAMPLE_FMT_S16, m_output.sample_rate, m_output.channels)) {
        made = ffmpeg::frame_from_av(samples, format, m_time_base);
    } else {
        auto converted = m_audio.convert(samples, AV_SAMPLE_FMT_S16, m_output.sample_rate, m_output.channels);
        if (!converted) return fail(converted.error());
        if (converted.value()->nb_samples == 0) return;  // the resampler is still filling up
        made = ffmpeg::frame_from_av(*converted.value(), format, m_time_base);
    }
    if (!made) return fail(made.error());
    Frame frame = std::move(made.value());
    if (auto entry = m_timings.take(frame.pts)) m_last_timing = entry->timing;
    // Output with no packet of its own (a resampler's or decoder's flushed tail) goes
    // with the latest timing.
    frame.timing = m_last_timing;
    frame.duration = av_rescale_q(frame.samples, AVRational{1, frame.format.sample_rate}, ffmpeg::to_av(m_time_base));
    m_ctx.emit(0, std::move(frame));
}

void DecoderNode::on_decode_error(int err) {
    ++m_errors;
    // The first error is worth a line; a burst of them is one broken stretch of stream.
    if (m_errors == 1 || m_errors % 100 == 0)
        SWITCHBOARD_LOG(m_ctx.log(), warn, "decode error (" << m_errors << " so far): " << ffmpeg::error_string(err));
    if (m_settings.kind == MediaKind::video) m_ctx.request_keyframe(0);
}

void DecoderNode::on_end_of_stream() noexcept {
    if (m_failed || !m_decoder) return;
    try {
        avcodec_send_packet(m_decoder.get(), nullptr);
        drain();
    } catch (const std::exception& e) {
        fail(Error::runtime(m_pointer + ": " + e.what()));
    }
}

void DecoderNode::fail(Error error) {
    if (m_failed) return;
    m_failed = true;
    m_ctx.fail(std::move(error));
}

}  // namespace switchboard::transcode
