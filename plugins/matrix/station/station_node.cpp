// matrix.signalling; see station_node.hpp.
#include "matrix/station/station_node.hpp"

#include "matrix/station/station.hpp"

namespace switchboard::matrix {

namespace {

Format format(MediaKind kind, Codec codec, std::uint32_t clock_rate) {
    Format f;
    f.kind = kind;
    f.codec = codec;
    f.clock_rate = clock_rate;
    return f;
}

}  // namespace

StationNode::StationNode(NodeContext& context, StationSettings settings)
    : m_ctx(context), m_settings(std::move(settings)) {}

StationNode::~StationNode() {
    stop();
}

std::vector<PortSpec> StationNode::input_ports() const noexcept {
    return {{"video", MediaKind::video, {format(MediaKind::video, Codec::any, 0)}, false},
            {"audio", MediaKind::audio, {format(MediaKind::audio, Codec::any, 0)}, false}};
}

std::vector<PortSpec> StationNode::output_ports() const noexcept {
    // What browsers and js-sdk send, best first (libwebrtc in Node has no H264).
    Format vp8 = format(MediaKind::video, Codec::vp8, 90000);
    Format h264 = format(MediaKind::video, Codec::h264, 90000);
    h264.packetization_mode = 1;
    Format opus = format(MediaKind::audio, Codec::opus, 48000);
    opus.sample_rate = 48000;
    return {{"video", MediaKind::video, {vp8, h264}, true}, {"audio", MediaKind::audio, {opus}, true}};
}

switchboard::Result<void> StationNode::start() noexcept {
    try {
        CallMedia media;
        media.send_video = video;
        media.send_audio = audio;
        media.receive_video = video;
        media.receive_audio = audio;
        m_station = std::make_shared<MatrixStation>(m_ctx, m_settings, media, m_ctx.log().with_context(""));
        // The station lives on the io executor. The host starts the nodes before it runs
        // the control loop, so nothing runs there yet and it may be set up from here.
        auto r = m_station->start();
        if (!r) m_station.reset();
        return r;
    } catch (const std::exception& e) {
        return switchboard::Error::runtime(std::string(m_ctx.name()) + ": " + e.what());
    }
}

void StationNode::stop() noexcept {
    if (!m_station) return;
    // The host stops its control loop before the nodes: nothing else touches the station now.
    m_station->stop();
    m_station.reset();
}

Station* StationNode::station() noexcept {
    return m_station.get();
}

}  // namespace switchboard::matrix
