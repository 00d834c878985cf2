#include "call/call_node.hpp"

#include <boost/asio/post.hpp>

#include <sstream>

#include "call/call_session.hpp"

namespace switchboard::core {

CallNode::CallNode(std::shared_ptr<CallSession> session, FormatSet video, FormatSet audio)
    : m_session(std::move(session)) {
    m_inputs.push_back(PortSpec{"video", MediaKind::video, std::move(video), true});
    m_inputs.push_back(PortSpec{"audio", MediaKind::audio, std::move(audio), true});
}

Result<void> CallNode::set_input_format(PortIndex input, const Format& format) noexcept {
    if (input >= m_inputs.size()) return Error::invalid("no input " + std::to_string(input));
    if (intersect(FormatSet{format}, m_inputs[input].formats).empty())
        return Error::invalid("the call does not send " + to_string(format));
    return {};
}

void CallNode::on_frame(PortIndex input, Frame&& frame) noexcept {
    if (input != video_input) return m_session->send(MediaKind::audio, frame);
    const auto start = monotonic_ns();
    m_session->send(MediaKind::video, frame);
    const auto end = monotonic_ns();
    // The graph stamped the frame when it was queued for us: the newest stamp is ours.
    if (const auto* stamp = frame.timing.last(); stamp && stamp->in_ns) {
        (frame.keyframe ? m_keyframes : m_delta_frames).record(end - stamp->in_ns);
        m_handoff.record(start - stamp->in_ns);
    }
    (frame.keyframe ? m_keyframe_send : m_delta_send).record(end - start);
}

std::string CallNode::latency_summary() const {
    auto line = [](const char* what, const LatencyHistogram& h) {
        std::ostringstream out;
        out << what << " n=" << h.count();
        if (h.count())
            out << " p50=" << h.quantile(0.5) / 1000 << "us p99=" << h.quantile(0.99) / 1000
                << "us max=" << h.max() / 1000 << "us";
        return out.str();
    };
    std::string paths;
    for (const auto& p : m_session->media_paths) paths += p + "; ";
    return paths +
           "video send latency (queued for the call -> last SRTP packet sent): " + line("keyframes", m_keyframes) +
           "; " + line("delta frames", m_delta_frames) + "; of which the graph's handoff: " + line("all", m_handoff) +
           "; packetize+protect+send: " + line("keyframes", m_keyframe_send) + ", " +
           line("delta frames", m_delta_send);
}

void CallNode::on_end_of_stream() noexcept {
    // The sources ended (the graph drains): the call has nothing more to send.
    auto session = m_session;
    boost::asio::post(session->io, [session] { session->end("shutdown"); });
}

void CallNode::stop() noexcept {
    if (m_keyframes.count() || m_delta_frames.count()) SWITCHBOARD_LOG(*m_session->log, info, latency_summary());
    m_session->close_transport();
}

}  // namespace switchboard::core
