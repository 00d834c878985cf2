#include "call/call_node.hpp"

#include <boost/asio/post.hpp>

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
    m_session->send(input == video_input ? MediaKind::video : MediaKind::audio, frame);
}

void CallNode::on_end_of_stream() noexcept {
    // The sources ended (the graph drains): the call has nothing more to send.
    auto session = m_session;
    boost::asio::post(session->io, [session] { session->end("shutdown"); });
}

void CallNode::stop() noexcept {
    m_session->close_transport();
}

}  // namespace switchboard::core
