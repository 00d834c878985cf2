/// \file station_node.hpp
/// \brief matrix.signalling: a call station on Matrix, as a graph node.
///
/// Ports: inputs "video" and "audio" take the camera (a call sends what feeds them; the
/// host links the call to their upstream, so frames reaching this node are ignored).
/// Outputs "video" (VP8, H264) and "audio" (Opus) are negotiated: they carry the far
/// side of the running call. The Matrix work runs on the io executor (station.hpp).
#pragma once

#include <memory>

#include <switchboard/node.hpp>
#include <switchboard/station.hpp>

#include "matrix/station/station_settings.hpp"

namespace switchboard::matrix {

class MatrixStation;

class StationNode final : public Node {
public:
    static constexpr PortIndex video = 0;
    static constexpr PortIndex audio = 1;

    StationNode(NodeContext& context, StationSettings settings);
    ~StationNode() override;

    std::vector<PortSpec> input_ports() const noexcept override;
    std::vector<PortSpec> output_ports() const noexcept override;
    switchboard::Result<void> start() noexcept override;
    void stop() noexcept override;
    Station* station() noexcept override;

private:
    NodeContext& m_ctx;
    StationSettings m_settings;
    std::shared_ptr<MatrixStation> m_station;
};

}  // namespace switchboard::matrix
