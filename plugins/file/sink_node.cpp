// file.sink node; see sink_node.hpp.
#include "sink_node.hpp"

#include <algorithm>
#include <climits>
#include <tuple>

extern "C" {
#include <libavutil/mathematics.h>
}

#include <switchboard/ffmpeg/codec.hpp>
#include <switchboard/log.hpp>

#include "extradata.hpp"

namespace switchboard::file {

namespace {

const Codec video_codecs[] = {Codec::h264, Codec::vp8, Codec::vp9, Codec::av1};
const Codec audio_codecs[] = {Codec::opus, Codec::aac};

std::int64_t rescale(std::int64_t value, Rational from, Rational to) noexcept {
    return av_rescale_q(value, ffmpeg::to_av(from), ffmpeg::to_av(to));
}

}  // namespace

SinkNode::SinkNode(NodeContext& context, const NodeConfig& config)
    : m_ctx(context), m_pointer(config.pointer()), m_settings(SinkSettings::from(config)) {}

std::vector<PortSpec> SinkNode::input_ports() const noexcept {
    auto holdable = [&](MediaKind kind, const auto& codecs) {
        FormatSet set;
        for (Codec c : codecs)
            if (can_hold(m_settings.container, c)) {
                Format f;
                f.kind = kind;
                f.codec = c;
                set.push_back(f);
            }
        return set;
    };
    return {{"video", MediaKind::video, holdable(MediaKind::video, video_codecs), false},
            {"audio", MediaKind::audio, holdable(MediaKind::audio, audio_codecs), false}};
}

Result<void> SinkNode::set_input_format(PortIndex input, const Format& format) noexcept {
    if (input > audio_port) return Error::invalid(m_pointer + ": file.sink has inputs 0 \"video\" and 1 \"audio\"");
    const MediaKind kind = input == video_port ? MediaKind::video : MediaKind::audio;
    const auto& known = input == video_port ? std::vector<Codec>(std::begin(video_codecs), std::end(video_codecs))
                                            : std::vector<Codec>(std::begin(audio_codecs), std::end(audio_codecs));
    if (format.kind != kind || std::find(known.begin(), known.end(), format.codec) == known.end())
        return Error::invalid(m_pointer + ": file.sink cannot record " + to_string(format) + " on its " +
                              std::string(to_string(kind)) + " input (path '" + m_settings.path + "')");
    if (!can_hold(m_settings.container, format.codec))
        return Error::invalid(m_pointer + "/container: a " + std::string(to_string(m_settings.container)) +
                              " file cannot hold " + std::string(to_string(format.codec)) + " " +
                              std::string(to_string(kind)) + " (path '" + m_settings.path +
                              "'); use another container or convert");
    m_tracks[input].linked = true;
    m_tracks[input].format = format;
    return {};
}

Result<void> SinkNode::start() noexcept {
    if (!m_tracks[video_port].linked && !m_tracks[audio_port].linked)
        return Error::invalid(m_pointer + ": file.sink for '" + m_settings.path + "' has no linked input");
    try {
        if (auto opened = m_muxer.open(m_settings.path, m_settings.container); !opened)
            return Error{opened.error().kind, m_pointer + "/path: " + opened.error().message};
    } catch (const std::exception& e) {
        return Error::runtime(m_pointer + ": " + e.what());
    }
    SWITCHBOARD_LOG(m_ctx.log(), info,
                    "recording to " << m_settings.path << " (" << to_string(m_settings.container) << ")");
    return {};
}

void SinkNode::on_frame(PortIndex input, Frame&& frame) noexcept {
    if (m_finished || m_failed || input > audio_port || !m_tracks[input].linked || frame.buffer.empty()) return;
    try {
        accept(input, std::move(frame));
    } catch (const std::exception& e) {
        fail(e.what());
    }
}

void SinkNode::accept(PortIndex input, Frame&& frame) {
    Track& track = m_tracks[input];
    if (m_muxer.header_written()) {
        if (track.stream >= 0) write(input, frame);
        return;
    }
    if (!track.first) {
        // A recording starts with a picture that decodes: wait for (and ask for) one.
        if (input == video_port && !frame.keyframe) {
            m_ctx.request_keyframe(video_port);
            return;
        }
        track.first = frame;
    }
    m_pending.emplace_back(input, std::move(frame));
    if (every_linked_input_started()) {
        write_header();
    } else if (m_pending.size() >= max_buffered) {
        SWITCHBOARD_LOG(m_ctx.log(), warn,
                        "an input stayed silent for " << m_pending.size() << " frames; recording without it");
        write_header();
    }
}

bool SinkNode::every_linked_input_started() const noexcept {
    return std::all_of(m_tracks.begin(), m_tracks.end(), [](const Track& t) { return !t.linked || t.first; });
}

void SinkNode::write_header() {
    if (!m_muxer.is_open()) return fail("the file is not open (start() failed or was not called)");
    // Tracks start where their first frames were captured, relative to the earliest.
    std::int64_t earliest = INT64_MAX;
    for (const Track& t : m_tracks)
        if (t.first && t.first->timing.capture_ns > 0) earliest = std::min(earliest, t.first->timing.capture_ns);

    for (Track& t : m_tracks) {
        if (!t.first) continue;
        Format format = t.format;
        // The first frame knows what negotiation may have left open (the size, the rate).
        if (!format.width) format.width = t.first->format.width;
        if (!format.height) format.height = t.first->format.height;
        if (format.kind == MediaKind::video && (!format.width || !format.height))
            std::tie(format.width, format.height) = picture_size(*t.first);
        if (!format.frame_rate.is_set()) format.frame_rate = t.first->format.frame_rate;
        if (!format.sample_rate) format.sample_rate = t.first->format.sample_rate;
        if (!format.channels) format.channels = t.first->format.channels;
        Buffer config = t.first->codec_config;
        if (config.empty()) config = extract_parameter_sets(*t.first);
        const Frame& first = *t.first;
        const int frame_size = format.kind == MediaKind::audio && first.duration > 0 && format.sample_rate > 0
                                   ? int(rescale(first.duration, first.time_base, Rational{1, format.sample_rate}))
                                   : 0;
        auto stream = m_muxer.add_stream(format, config, frame_size);
        if (!stream) return fail(stream.error().message);
        t.stream = stream.value();
    }
    if (auto written = m_muxer.write_header(); !written) return fail(written.error().message);

    for (Track& t : m_tracks) {
        if (t.stream < 0) continue;
        const Rational tb = m_muxer.time_base(t.stream);
        const std::int64_t start_ns =
            (t.first->timing.capture_ns > 0 && earliest != INT64_MAX) ? t.first->timing.capture_ns - earliest : 0;
        t.offset = rescale(start_ns, Rational{1, 1'000'000'000}, tb) - rescale(t.first->pts, t.first->time_base, tb);
    }
    auto pending = std::move(m_pending);
    m_pending.clear();
    for (auto& [input, frame] : pending) {
        if (m_tracks[input].stream >= 0) write(input, frame);
        if (m_failed) return;
    }
}

void SinkNode::write(PortIndex input, const Frame& frame) {
    Track& track = m_tracks[input];
    const Rational tb = m_muxer.time_base(track.stream);
    std::int64_t pts = rescale(frame.pts, frame.time_base, tb) + track.offset;
    // Frames carry no dts (streams here have no reordering); a muxer needs increasing
    // ones, which a coarse time base could break.
    if (pts <= track.last_dts) pts = track.last_dts + 1;
    track.last_dts = pts;
    const std::int64_t duration = frame.duration > 0 ? rescale(frame.duration, frame.time_base, tb) : 0;
    if (auto written = m_muxer.write(track.stream, frame, pts, duration); !written) fail(written.error().message);
}

void SinkNode::on_end_of_stream() noexcept {
    finish();
}

void SinkNode::stop() noexcept {
    finish();
}

void SinkNode::finish() {
    if (m_finished) return;
    m_finished = true;
    try {
        // A silent input never unblocked the header: keep what the others sent.
        if (!m_failed && !m_muxer.header_written() && !m_pending.empty()) write_header();
        if (m_muxer.header_written()) {
            if (auto done = m_muxer.finish(); !done) return fail(done.error().message);
            SWITCHBOARD_LOG(m_ctx.log(), info, "finished " << m_settings.path);
        } else if (m_muxer.is_open()) {
            m_muxer.abandon();
            SWITCHBOARD_LOG(m_ctx.log(), warn, "no media arrived; " << m_settings.path << " was not written");
        }
    } catch (const std::exception& e) {
        fail(e.what());
    }
}

void SinkNode::fail(const std::string& what) {
    if (m_failed) return;
    m_failed = true;
    m_ctx.fail(Error::runtime(m_pointer + ": " + what));
}

}  // namespace switchboard::file
