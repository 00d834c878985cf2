// The test IP camera as a child process; see rtsp_camera.hpp.
#include "support/rtsp_camera.hpp"

#include <csignal>

#include "support/loopback_ports.hpp"

namespace switchboard::test {

namespace {
const std::string camera_script = std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/peers/rtsp_camera.py";
}

RtspCamera::RtspCamera(std::vector<std::string> args, bool start)
    : m_args(std::move(args)), m_port(free_loopback_port()) {
    if (start) restart();
}

RtspCamera::~RtspCamera() {
    if (m_process) kill();
}

std::string RtspCamera::url(const std::string& path, bool tls) const {
    return std::string(tls ? "rtsps" : "rtsp") + "://127.0.0.1:" + std::to_string(m_port) + path;
}

bool RtspCamera::restart() {
    std::vector<std::string> argv{"/usr/bin/python3", camera_script, "--port", std::to_string(m_port)};
    argv.insert(argv.end(), m_args.begin(), m_args.end());
    m_process = std::make_unique<ChildProcess>(argv);
    m_ready = wait_for_tcp(m_port, std::chrono::seconds(30));
    return m_ready;
}

ProcessResult RtspCamera::kill() {
    if (!m_process) return {};
    m_process->signal(SIGKILL);
    auto result = m_process->wait(std::chrono::seconds(10));
    m_process.reset();
    return result;
}

ProcessResult RtspCamera::stop(std::chrono::milliseconds timeout) {
    if (!m_process) return {};
    m_process->signal(SIGTERM);
    auto result = m_process->wait(timeout);
    m_process.reset();
    return result;
}

}  // namespace switchboard::test
