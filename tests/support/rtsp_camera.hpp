/// \file rtsp_camera.hpp
/// \brief The test IP camera (tests/peers/rtsp_camera.py, gst-rtsp-server) as a child
/// process on a free 127.0.0.1 port: started, killed and restarted by its PID, as a
/// camera that loses power would be.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/process.hpp"

namespace switchboard::test {

class RtspCamera {
public:
    /// Starts the camera with `args` (its options besides --port) and waits until it
    /// accepts connections; `ready()` says whether it did within 30 s. With `start`
    /// false it only takes a port, for a camera that is down when the gateway starts
    /// (restart() brings it up).
    explicit RtspCamera(std::vector<std::string> args, bool start = true);
    ~RtspCamera();
    RtspCamera(const RtspCamera&) = delete;
    RtspCamera& operator=(const RtspCamera&) = delete;

    bool ready() const noexcept { return m_ready; }
    std::uint16_t port() const noexcept { return m_port; }
    /// "rtsp://127.0.0.1:<port><path>" (rtsps:// with `tls`).
    std::string url(const std::string& path = "/cam", bool tls = false) const;

    /// Ends it with SIGKILL and returns what it printed.
    ProcessResult kill();
    /// Ends it with SIGTERM and returns what it printed.
    ProcessResult stop(std::chrono::milliseconds timeout = std::chrono::seconds(10));
    /// Starts it again, same port and options; false when it does not come up.
    bool restart();

private:
    std::vector<std::string> m_args;
    std::uint16_t m_port = 0;
    std::unique_ptr<ChildProcess> m_process;
    bool m_ready = false;
};

}  // namespace switchboard::test
