/// \file sink_node.hpp
/// \brief chromecast.sink: shows each call of the station upstream on a Chromecast.
///
/// Inputs "video" and "audio", fed by a station's far-side outputs. The TV app launches
/// when a call starts ringing (Node::on_call), so the picture is there the moment it is
/// answered, and stops when the call ends; TvRemote keeps that true across TV drops.
///  - webrtc mode: the inputs take anything; the TV page's WHEP session sends what feeds
///    them (the host links it to the station's output), as whep.server does.
///  - media mode: the inputs take H264 and AAC (the graph puts the transcoder in front
///    when the far side sends VP8 and Opus); they are cut into LL-HLS for the Default
///    Media Receiver.
/// One call at a time is shown: the first that rings; another call waits for the TV.
///
/// Threads: the TV side (TvRemote, the HTTP server, WHEP sessions) lives on the io
/// executor; frames arrive on the node's strand. stop() runs after the host stopped its
/// control loop, so it closes the io side inline.
#pragma once

#include <memory>

#include <switchboard/node.hpp>

#include "sink_settings.hpp"

namespace switchboard::hls {
class HlsFeed;
}  // namespace switchboard::hls

namespace switchboard::chromecast {

class SinkNode final : public Node {
public:
    static constexpr PortIndex video = 0;
    static constexpr PortIndex audio = 1;

    SinkNode(NodeContext& context, SinkSettings settings);
    ~SinkNode() override;

    std::vector<PortSpec> input_ports() const noexcept override;
    std::vector<PortSpec> output_ports() const noexcept override { return {}; }
    Result<void> set_input_format(PortIndex input, const Format& format) noexcept override;
    Result<void> start() noexcept override;
    void stop() noexcept override;
    void on_frame(PortIndex input, Frame&& frame) noexcept override;
    void on_call(const StationCall& call) noexcept override;

private:
    class Tv;  ///< the io side: the remote and the delivery server

    /// Strand: the TV shows `call_id` (again); media mode starts a new HLS stream for it.
    void show_call(const std::string& call_id);
    /// Strand: the call shown is connected (media mode loads its stream then).
    void call_connected();

    NodeContext& m_ctx;
    SinkSettings m_settings;
    std::shared_ptr<Tv> m_tv;
    std::unique_ptr<hls::HlsFeed> m_media;  ///< media mode: the shown call's frames into its HLS
    Format m_audio_format;                  ///< media mode: the AAC the audio input settled on
    std::string m_call;                     ///< the call being shown (strand side)
    bool m_call_connected = false;          ///< and it is connected
};

}  // namespace switchboard::chromecast
