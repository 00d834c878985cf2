/// \file call_node.hpp
/// \brief `rtc.call`: a call's place in the graph. What reaches its inputs goes to the far
/// side through the call's peer connection.
///
/// Its inputs are negotiated (PortSpec::negotiated): they list what the call could send
/// until SDP settles, then Graph::attach() links each to a source in the one format the
/// far side took. It has no outputs: what the far side sends leaves through the
/// signalling node's ports, which the config links.
#pragma once

#include <memory>
#include <string>

#include <switchboard/node.hpp>

#include "graph/latency_histogram.hpp"

namespace switchboard::core {

struct CallSession;

class CallNode final : public Node {
public:
    static constexpr PortIndex video_input = 0;
    static constexpr PortIndex audio_input = 1;

    CallNode(std::shared_ptr<CallSession> session, FormatSet video, FormatSet audio);

    std::vector<PortSpec> input_ports() const noexcept override { return m_inputs; }
    std::vector<PortSpec> output_ports() const noexcept override { return {}; }
    Result<void> set_input_format(PortIndex input, const Format& format) noexcept override;
    void on_frame(PortIndex input, Frame&& frame) noexcept override;
    void on_end_of_stream() noexcept override;
    void stop() noexcept override;

    /// The call's stats, logged when it ends: how each kind reached it (passthrough or
    /// transcoded, and the path), then "video send latency ...": how long frames took
    /// from being queued for this node to their last SRTP packet leaving, keyframes and
    /// delta frames apart (they differ by an order of magnitude in packets).
    std::string latency_summary() const;

private:
    std::shared_ptr<CallSession> m_session;
    LatencyHistogram m_keyframes;
    LatencyHistogram m_delta_frames;
    LatencyHistogram m_handoff;                      ///< queued -> on_frame starts
    LatencyHistogram m_keyframe_send, m_delta_send;  ///< on_frame alone
    std::vector<PortSpec> m_inputs;
};

}  // namespace switchboard::core
