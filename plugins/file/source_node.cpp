// file.source node; see source_node.hpp.
#include "source_node.hpp"

#include <algorithm>

#include <boost/asio/post.hpp>

extern "C" {
#include <libavutil/mathematics.h>
}

#include <switchboard/ffmpeg/codec.hpp>
#include <switchboard/log.hpp>

namespace switchboard::file {

namespace {

constexpr AVRational nanoseconds{1, 1'000'000'000};

std::int64_t to_ns(std::int64_t value, Rational tb) noexcept {
    return av_rescale_q(value, ffmpeg::to_av(tb), nanoseconds);
}
std::int64_t from_ns(std::int64_t ns, Rational tb) noexcept {
    return av_rescale_q(ns, nanoseconds, ffmpeg::to_av(tb));
}

}  // namespace

SourceNode::SourceNode(NodeContext& context, const NodeConfig& config)
    : m_ctx(context),
      m_settings(SourceSettings::from(config)),
      m_demuxer(m_settings.path),
      m_timer(context.executor()),
      m_config_sent(m_demuxer.streams().size(), false) {}

SourceNode::~SourceNode() {
    stop();
}

std::vector<PortSpec> SourceNode::output_ports() const noexcept {
    std::vector<PortSpec> ports;
    for (const auto& s : m_demuxer.streams()) ports.push_back({s.name, s.format.kind, {s.format}, false});
    return ports;
}

Result<void> SourceNode::start() noexcept {
    m_alive = std::make_shared<int>(0);
    m_done = false;
    try {
        for (const auto& s : m_demuxer.streams())
            SWITCHBOARD_LOG(m_ctx.log(), info,
                            "playing " << m_settings.path << ": " << s.name << " " << to_string(s.format));
        schedule_step();
    } catch (const std::exception& e) {
        return Error::runtime(std::string("cannot start reading '") + m_settings.path + "': " + e.what());
    }
    return {};
}

void SourceNode::stop() noexcept {
    if (!m_alive) return;
    m_alive.reset();
    m_done = true;
    m_timer.cancel();
}

void SourceNode::schedule_step() {
    boost::asio::post(m_ctx.executor(), [this, alive = std::weak_ptr<int>(m_alive)] {
        // Check before touching `this`: after stop() the node may be gone.
        if (alive.expired()) return;
        step();
    });
}

void SourceNode::step() {
    if (m_done) return;
    try {
        if (!m_pending) {
            auto read = m_demuxer.read();
            if (!read) {
                m_done = true;
                m_ctx.fail(read.error());
                return;
            }
            if (!read.value()) {
                if (at_end()) schedule_step();
                return;
            }
            m_pending = std::move(*read.value());
            ++m_pass_frames;
            const Frame& f = m_pending->frame;
            const std::int64_t start = to_ns(f.pts, f.time_base);
            // The first pass fixes where the file's timeline starts (the earliest stream).
            if (m_loop_offset_ns == 0) m_pass_start_ns = m_first_ns ? std::min(m_pass_start_ns, start) : start;
            m_pass_end_ns = std::max(m_pass_end_ns, start + to_ns(std::max<std::int64_t>(f.duration, 0), f.time_base));
        }

        if (m_settings.realtime) {
            const auto now = std::chrono::steady_clock::now();
            const std::int64_t t = timeline_ns(*m_pending);
            if (!m_first_ns) {
                m_first_ns = t;
                m_clock_start = now;
            }
            const auto due = m_clock_start + std::chrono::nanoseconds(t - *m_first_ns);
            if (due > now) {
                m_timer.expires_at(due);
                m_timer.async_wait([this, alive = std::weak_ptr<int>(m_alive)](const boost::system::error_code& ec) {
                    if (ec || alive.expired()) return;
                    step();
                });
                return;
            }
        } else if (!m_first_ns) {
            m_first_ns = timeline_ns(*m_pending);
        }

        emit(std::move(*m_pending));
        m_pending.reset();
        schedule_step();
    } catch (const std::exception& e) {
        m_done = true;
        m_ctx.fail(Error::runtime(m_settings.path + ": " + e.what()));
    }
}

std::int64_t SourceNode::timeline_ns(const Demuxer::Packet& packet) const noexcept {
    return to_ns(packet.frame.pts, packet.frame.time_base) + m_loop_offset_ns;
}

bool SourceNode::at_end() {
    const std::int64_t pass_length = m_pass_end_ns - m_pass_start_ns;
    // A pass that read nothing would loop forever without sending anything.
    if (!m_settings.loop || m_pass_frames == 0) {
        m_done = true;
        SWITCHBOARD_LOG(m_ctx.log(), info, "end of " << m_settings.path);
        m_ctx.finished();
        return false;
    }
    if (auto rewound = m_demuxer.rewind(); !rewound) {
        m_done = true;
        m_ctx.fail(rewound.error());
        return false;
    }
    // The next pass continues the timeline: pts keep increasing across loops.
    m_loop_offset_ns += std::max<std::int64_t>(pass_length, 1'000'000);
    m_pass_frames = 0;
    SWITCHBOARD_LOG(m_ctx.log(), debug, "looping " << m_settings.path);
    return true;
}

void SourceNode::emit(Demuxer::Packet&& packet) {
    Frame& frame = packet.frame;
    const auto& stream = m_demuxer.streams()[packet.stream];
    frame.pts += from_ns(m_loop_offset_ns, frame.time_base);
    frame.timing.capture_ns = monotonic_ns();
    if (!m_config_sent[packet.stream]) {
        frame.codec_config = stream.codec_config;
        m_config_sent[packet.stream] = true;
    }
    m_ctx.emit(PortIndex(packet.stream), std::move(frame));
}

}  // namespace switchboard::file
