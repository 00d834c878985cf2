#include "rtsp/source/source_node.hpp"

#include <random>
#include <stdexcept>

#include "rtsp/source/camera_probe.hpp"

namespace switchboard::rtsp {

namespace {

/// RFC 3550 §6.2 asks for about 5 s between reports at these rates; cameras that
/// watch receiver reports time out after several missed ones.
constexpr std::chrono::seconds report_interval{2};

std::string track_text(const CameraTrack& t) {
    return to_string(t.format) +
           (t.control_url.empty() ? std::string() : " (payload type " + std::to_string(t.codec.payload_type) + ")");
}

}  // namespace

SourceNode::SourceNode(NodeContext& context, SourceSettings settings)
    : m_ctx(context),
      m_settings(std::move(settings)),
      m_backoff(m_settings.reconnect_min, m_settings.reconnect_max),
      m_retry(context.executor()),
      m_watchdog(context.executor()),
      m_reports(context.executor()),
      m_report_ssrc(std::random_device{}()) {
    if (m_settings.url.tls && !m_settings.tls.verify)
        SWITCHBOARD_LOG(m_ctx.log(), warn,
                        m_settings.url.to_string()
                            << ": the camera's TLS certificate is not checked (tls.verify false)");
    auto description = probe_camera(m_settings);
    if (description) {
        for (const auto& skipped : description.value().skipped)
            SWITCHBOARD_LOG(m_ctx.log(), warn, m_settings.url.to_string() << ": " << skipped);
        for (MediaKind kind : {MediaKind::video, MediaKind::audio})
            if (const auto* track = description.value().track(kind))
                if (kind == MediaKind::video || m_settings.audio) m_outputs.push_back(Output{*track});
    } else if (description.error().kind == ErrorKind::unavailable && !m_settings.expect.empty()) {
        // Down (or not up yet) at start: run with what the config says it sends; the
        // first session checks that against the camera's SDP.
        SWITCHBOARD_LOG(m_ctx.log(), warn,
                        description.error().message << "; starting with the expected media, and retrying");
        for (const auto& f : m_settings.expect)
            if (f.kind == MediaKind::video || m_settings.audio)
                m_outputs.push_back(Output{CameraTrack{f.kind, {}, {}, f}});
    } else {
        // A refused sign-in, a wrong path or codecs we cannot read will not mend by
        // waiting; an unreachable camera without "expect" leaves the ports unknown.
        throw std::runtime_error(description.error().message +
                                 (description.error().kind == ErrorKind::unavailable
                                      ? " (to start while the camera is unreachable, set \"expect\")"
                                      : ""));
    }
    std::string what;
    for (const auto& o : m_outputs) what += (what.empty() ? "" : ", ") + track_text(o.track);
    SWITCHBOARD_LOG(m_ctx.log(), info,
                    m_settings.url.to_string() << (description ? " sends " : " expected to send ") << what);
}

SourceNode::~SourceNode() {
    stop();
}

std::vector<PortSpec> SourceNode::output_ports() const noexcept {
    std::vector<PortSpec> ports;
    for (const auto& o : m_outputs)
        ports.push_back({std::string(to_string(o.track.kind)), o.track.kind, {o.track.format}, false});
    return ports;
}

Result<void> SourceNode::start() noexcept {
    connect();
    return {};
}

void SourceNode::stop() noexcept {
    if (m_stopped) return;
    m_stopped = true;
    m_retry.cancel();
    m_watchdog.cancel();
    m_reports.cancel();
    if (m_session) m_session->stop();
    m_session.reset();
}

void SourceNode::connect() {
    SessionEvents events;
    events.on_described = [this](const CameraDescription& d) { on_described(d); };
    events.on_playing = [this] { on_playing(); };
    events.on_packet = [this](std::size_t track, bool rtcp, std::span<const std::uint8_t> p) {
        on_packet(track, rtcp, p);
    };
    events.on_ended = [this](const Error& e) { on_ended(e); };
    // The session's handlers run on our executor and stop() clears its events before
    // the node goes, so `this` is safe in them.
    m_session = RtspSession::create(m_ctx.executor(), session_options(m_settings), std::move(events));
    m_session->start();
}

void SourceNode::on_described(const CameraDescription& d) {
    m_receivers.clear();
    m_clock.new_session();
    m_track_ports.assign(d.tracks.size(), std::nullopt);
    for (PortIndex port = 0; port < m_outputs.size(); ++port) {
        const auto& want = m_outputs[port].track;
        const auto* now = d.track(want.kind);
        if (!now || now->format.codec != want.format.codec ||
            (want.format.clock_rate && now->format.clock_rate != want.format.clock_rate)) {
            // The graph was built for what the camera sent at start; a camera that was
            // reconfigured needs a restart, which is no reason to stop retrying.
            const std::string why =
                now ? "now sends " + track_text(*now) : "no longer sends " + std::string(to_string(want.kind));
            SWITCHBOARD_LOG(m_ctx.log(), error,
                            m_settings.url.to_string() << " " << why << ", but the graph was set up for "
                                                       << track_text(want) << "; restart switchboard to follow it");
            continue;
        }
        const auto index = std::size_t(now - d.tracks.data());
        m_track_ports[index] = port;
        m_outputs[port].pts.new_session();
        m_outputs[port].resumed = false;
    }
    m_receivers.resize(d.tracks.size());
    for (std::size_t i = 0; i < d.tracks.size(); ++i)
        if (m_track_ports[i]) m_receivers[i] = std::make_unique<TrackReceiver>(d.tracks[i]);
}

void SourceNode::on_playing() {
    ++m_sessions;
    m_backoff.reset();
    m_last_packet_ns = monotonic_ns();
    SWITCHBOARD_LOG(m_ctx.log(), info,
                    m_settings.url.to_string()
                        << " playing"
                        << (m_reconnects > 0 ? " again after reconnect " + std::to_string(m_reconnects) : std::string())
                        << " (session timeout " << m_session->session_timeout().count() << " s, RTP over "
                        << (m_settings.transport == MediaTransport::tcp ? "TCP" : "UDP") << ")");
    arm_watchdog();
    arm_reports();
}

void SourceNode::on_packet(std::size_t track, bool rtcp, std::span<const std::uint8_t> packet) {
    if (track >= m_receivers.size() || !m_receivers[track]) return;
    auto& receiver = *m_receivers[track];
    const std::int64_t now = monotonic_ns();
    if (rtcp) return receiver.on_rtcp(packet, now / 1'000'000);
    m_last_packet_ns = now;
    receiver.on_rtp(packet, now, m_clock, m_frames);
    const PortIndex port = *m_track_ports[track];
    auto& output = m_outputs[port];
    for (auto& frame : m_frames) {
        frame.pts = output.pts.map(frame.pts, frame.time_base.den, now);
        if (!output.resumed) {
            output.resumed = true;
            if (m_reconnects > 0)
                SWITCHBOARD_LOG(m_ctx.log(), info,
                                to_string(output.track.kind) << " resumed after reconnect " << m_reconnects);
        }
        m_ctx.emit(port, std::move(frame));
    }
    m_frames.clear();
}

void SourceNode::on_ended(const Error& error) {
    if (m_stopped) return;
    m_watchdog.cancel();
    m_reports.cancel();
    m_session.reset();
    m_receivers.clear();
    const auto wait = m_backoff.next();
    ++m_reconnects;
    SWITCHBOARD_LOG(m_ctx.log(), warn,
                    error.message << "; reconnect " << m_reconnects << " in " << wait.count() << " ms");
    m_retry.expires_after(wait);
    m_retry.async_wait([this](const boost::system::error_code& ec) {
        if (ec || m_stopped) return;
        connect();
    });
}

void SourceNode::arm_watchdog() {
    m_watchdog.expires_after(m_settings.no_media / 4);
    m_watchdog.async_wait([this](const boost::system::error_code& ec) {
        if (ec || m_stopped || !m_session) return;
        const auto silent_ms = (monotonic_ns() - m_last_packet_ns) / 1'000'000;
        if (silent_ms >= m_settings.no_media.count()) {
            auto session = std::move(m_session);
            session->stop();
            return on_ended(
                Error::unavailable(m_settings.url.to_string() + ": no media for " + std::to_string(silent_ms) + " ms"));
        }
        arm_watchdog();
    });
}

void SourceNode::arm_reports() {
    m_reports.expires_after(report_interval);
    m_reports.async_wait([this](const boost::system::error_code& ec) {
        if (ec || m_stopped || !m_session) return;
        send_reports();
        arm_reports();
    });
}

void SourceNode::send_reports() {
    const std::int64_t now_ms = monotonic_ns() / 1'000'000;
    for (std::size_t i = 0; i < m_receivers.size(); ++i)
        if (m_receivers[i])
            if (auto rr = m_receivers[i]->receiver_report(m_report_ssrc, now_ms)) m_session->send_rtcp(i, *rr);
}

}  // namespace switchboard::rtsp
