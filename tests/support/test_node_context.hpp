/// \file test_node_context.hpp
/// \brief A real NodeContext for unit tests of one node: an io_context, and records.
///
/// The node gets a strand on an io_context that the test runs on its own thread
/// (run_until()), so timers and posted steps behave as in the host, minus other nodes.
/// Everything the node tells its context is recorded: frames per output port, keyframe
/// requests per input, finished() and fail(). Waiting is always on a condition with a
/// timeout, never a fixed sleep.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <switchboard/call.hpp>
#include <switchboard/log.hpp>
#include <switchboard/node.hpp>
#include <switchboard/station.hpp>

#include "support/run_until.hpp"

namespace switchboard::test {

/// Keeps every line; prints warnings and errors so a failing test shows them.
class RecordingLogger final : public Logger {
public:
    bool enabled(LogLevel) const noexcept override { return true; }
    void write(LogLevel level, std::string_view message) noexcept override {
        std::lock_guard lock(m_mutex);
        m_lines.emplace_back(message);
        if (level >= LogLevel::warn) std::fprintf(stderr, "[node log] %.*s\n", int(message.size()), message.data());
    }
    std::shared_ptr<Logger> with_context(std::string_view) const override {
        return std::make_shared<RecordingLogger>();
    }
    std::vector<std::string> lines() const {
        std::lock_guard lock(m_mutex);
        return m_lines;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<std::string> m_lines;
};

class TestNodeContext final : public NodeContext {
public:
    explicit TestNodeContext(std::string name = "node")
        : m_name(std::move(name)), m_strand(boost::asio::make_strand(m_io)), m_work(m_io.get_executor()) {}

    // NodeContext -------------------------------------------------------------------

    std::string_view name() const noexcept override { return m_name; }
    Logger& log() noexcept override { return m_log; }
    boost::asio::any_io_executor executor() noexcept override { return m_strand; }
    boost::asio::any_io_executor io_executor() noexcept override { return m_io.get_executor(); }

    void emit(PortIndex output, Frame frame) noexcept override {
        std::lock_guard lock(m_mutex);
        m_frames[output].push_back(std::move(frame));
    }
    void request_keyframe(PortIndex input) noexcept override {
        std::lock_guard lock(m_mutex);
        ++m_keyframe_requests[input];
    }
    void request_bitrate(PortIndex input, std::uint64_t bits_per_second) noexcept override {
        std::lock_guard lock(m_mutex);
        m_bitrate_requests[input] = bits_per_second;
    }
    void finished() noexcept override {
        std::lock_guard lock(m_mutex);
        m_finished = true;
    }
    void fail(Error error) noexcept override {
        std::lock_guard lock(m_mutex);
        std::fprintf(stderr, "[node fail] %s\n", error.message.c_str());
        m_failures.push_back(std::move(error));
    }
    CallHost& calls() noexcept override { return m_calls ? *m_calls : m_no_calls; }
    std::string state_dir() const noexcept override { return m_state_dir; }
    void report_call(const StationCall& call) noexcept override {
        std::lock_guard lock(m_mutex);
        m_reported_calls.push_back(call);
    }

    // For the test ------------------------------------------------------------------

    /// Runs the io_context on this thread until `done()` holds or `timeout` passes;
    /// returns whether `done()` held.
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = std::chrono::seconds(5)) {
        return test::run_until(m_io, done, timeout);
    }

    /// Runs `fn` on the node's strand, as the host calls node methods, and waits for it.
    void call(std::function<void()> fn) {
        bool ran = false;
        boost::asio::post(m_strand, [&] {
            fn();
            ran = true;
        });
        run_until([&] { return ran; }, std::chrono::seconds(30));
    }

    /// What the node gave report_call(), in order.
    std::vector<StationCall> reported_calls() const {
        std::lock_guard lock(m_mutex);
        return m_reported_calls;
    }

    /// Runs every handler that is ready now (e.g. the aborted timers after stop()).
    void drain() { m_io.poll(); }

    boost::asio::io_context& io() noexcept { return m_io; }
    /// The CallHost calls() returns; by default one that has no WebRTC (unavailable).
    void set_call_host(CallHost* host) noexcept { m_calls = host; }
    void set_state_dir(std::string dir) { m_state_dir = std::move(dir); }
    RecordingLogger& logger() noexcept { return m_log; }

    std::vector<Frame> frames(PortIndex output) const {
        std::lock_guard lock(m_mutex);
        auto it = m_frames.find(output);
        return it == m_frames.end() ? std::vector<Frame>{} : it->second;
    }
    std::size_t frame_count(PortIndex output) const {
        std::lock_guard lock(m_mutex);
        auto it = m_frames.find(output);
        return it == m_frames.end() ? 0 : it->second.size();
    }
    /// Hands over the frames recorded on `output` and forgets them.
    std::vector<Frame> take_frames(PortIndex output) {
        std::lock_guard lock(m_mutex);
        return std::exchange(m_frames[output], {});
    }
    int keyframe_requests(PortIndex input) const {
        std::lock_guard lock(m_mutex);
        auto it = m_keyframe_requests.find(input);
        return it == m_keyframe_requests.end() ? 0 : it->second;
    }
    bool is_finished() const {
        std::lock_guard lock(m_mutex);
        return m_finished;
    }
    std::vector<Error> failures() const {
        std::lock_guard lock(m_mutex);
        return m_failures;
    }

private:
    std::string m_name;
    RecordingLogger m_log;
    boost::asio::io_context m_io;
    boost::asio::strand<boost::asio::io_context::executor_type> m_strand;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_work;

    std::vector<StationCall> m_reported_calls;
    mutable std::mutex m_mutex;
    std::map<PortIndex, std::vector<Frame>> m_frames;
    std::map<PortIndex, int> m_keyframe_requests;
    std::map<PortIndex, std::uint64_t> m_bitrate_requests;
    bool m_finished = false;
    std::vector<Error> m_failures;
    struct NoCalls final : CallHost {
        Result<std::unique_ptr<Call>> create_call(CallOptions, CallEvents) noexcept override {
            return Error::unavailable("this test context makes no calls");
        }
    } m_no_calls;
    CallHost* m_calls = nullptr;
    std::string m_state_dir;
};

}  // namespace switchboard::test
