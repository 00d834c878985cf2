/// Test-only plugin "testplug": small nodes whose behaviour a graph test controls
/// exactly, for properties no real codec makes easy to pin down (a sink that is slow on
/// purpose, a source with a chosen keyframe interval, a port negotiated later).
///
///  testplug.source   live source of fake encoded video; never waits for anyone; with
///                   `call_id`, also a station whose call rings, connects and ends
///  testplug.sink     sink that takes `delay_ms` per frame, logs what it got (frames to
///                   `log`, calls to `call_log`), and can ask for keyframes or fail on
///                   purpose
///  testplug.pass     passthrough; keyframe requests go upstream
///  testplug.call     a stand-in for a call node: a negotiated video output
#include <atomic>
#include <chrono>
#include <fstream>
#include <thread>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

#include <switchboard/switchboard.hpp>

namespace {

using namespace switchboard;

Format fake_h264() {
    Format f;
    f.kind = MediaKind::video;
    f.codec = Codec::h264;
    f.width = 320;
    f.height = 240;
    f.packetization_mode = 1;
    return f;
}

/// Emits `count` frames (0: until stopped), one every `interval_ms` (0: as fast as its
/// strand lets it, each frame a separate handler), a keyframe every `gop` frames and
/// when asked. All frames share one payload buffer, so the source itself allocates
/// nothing per frame (the handoff benchmark counts the core's allocations). Writes how
/// long each emit() took, in ns, to `emit_log` when set: the test checks the source
/// never blocked.
class Source final : public Node {
public:
    Source(NodeContext& ctx, const NodeConfig& cfg)
        : m_ctx(ctx),
          m_timer(ctx.executor()),
          m_interval(std::chrono::microseconds(std::int64_t(cfg.number_or("interval_ms", 1) * 1000))),
          m_count(cfg.integer_or("count", 0)),
          m_gop(cfg.integer_or("gop", 10)),
          m_payload(Buffer::allocate(std::size_t(cfg.integer_or("payload_bytes", 1000)))),
          m_emit_log(cfg.string_or("emit_log", "")),
          m_keyframe_delay(cfg.integer_or("keyframe_delay", 0)),
          m_call_id(cfg.string_or("call_id", "")) {
        if (m_gop < 1) throw std::invalid_argument("gop must be at least 1");
    }

    std::vector<PortSpec> input_ports() const noexcept override { return {}; }
    std::vector<PortSpec> output_ports() const noexcept override {
        return {{"video", MediaKind::video, {fake_h264()}}};
    }

    Result<void> start() noexcept override {
        m_next = std::chrono::steady_clock::now();
        tick();
        return {};
    }
    void stop() noexcept override {
        m_stopped = true;
        m_timer.cancel();
        if (!m_emit_log.empty()) {
            std::ofstream out(m_emit_log);
            for (auto ns : m_emit_ns) out << ns << "\n";
        }
    }
    bool on_keyframe_request(PortIndex) noexcept override {
        // Like an encoder, the keyframe comes some frames after the request.
        if (m_key_countdown < 0) m_key_countdown = m_keyframe_delay;
        return true;
    }

private:
    /// With `call_id`: the call rings at the first frame, connects at a third of `count`
    /// (reported twice, as a station may) and ends at two thirds.
    void report_call() {
        if (m_call_id.empty() || m_count < 3) return;
        StationCall call;
        call.id = m_call_id;
        call.station = std::string(m_ctx.name());
        call.direction = "outgoing";
        if (m_sent == 0) {
            call.state = CallState::ringing;
        } else if (m_sent == m_count / 3 || m_sent == m_count / 3 + 1) {
            call.state = CallState::connected;
        } else if (m_sent == 2 * m_count / 3) {
            call.state = CallState::ended;
            call.reason = "user_hangup";
        } else {
            return;
        }
        m_ctx.report_call(call);
    }

    void tick() {
        if (m_stopped) return;
        Frame f;
        f.format = fake_h264();
        f.buffer = m_payload;
        f.pts = m_sent;
        f.time_base = {1, 1000};
        f.keyframe = m_key_countdown == 0 || m_sent % m_gop == 0;
        if (m_key_countdown >= 0) --m_key_countdown;
        f.timing.capture_ns = monotonic_ns();
        report_call();
        const auto t0 = monotonic_ns();
        m_ctx.emit(0, std::move(f));
        if (!m_emit_log.empty()) m_emit_ns.push_back(monotonic_ns() - t0);
        ++m_sent;
        if (m_count && m_sent >= m_count) {
            m_ctx.finished();
            return;
        }
        if (m_interval.count() == 0) {
            boost::asio::post(m_ctx.executor(), [this] { tick(); });
            return;
        }
        m_next += m_interval;
        m_timer.expires_at(m_next);
        m_timer.async_wait([this](boost::system::error_code ec) {
            if (!ec) tick();
        });
    }

    NodeContext& m_ctx;
    boost::asio::steady_timer m_timer;
    std::chrono::steady_clock::duration m_interval;
    std::chrono::steady_clock::time_point m_next;
    std::int64_t m_count;
    std::int64_t m_gop;
    Buffer m_payload;
    std::string m_emit_log;
    std::vector<std::int64_t> m_emit_ns;
    std::int64_t m_keyframe_delay;
    std::int64_t m_key_countdown = -1;  // frames until a requested keyframe; -1: none asked
    std::string m_call_id;
    std::int64_t m_sent = 0;
    bool m_stopped = false;
};

/// Takes `delay_ms` per frame (blocking its own strand, as a slow encoder would) and
/// writes "<pts> <keyframe>" per frame to `log` at stop.
class Sink final : public Node {
public:
    Sink(NodeContext& ctx, const NodeConfig& cfg)
        : m_delay(std::chrono::microseconds(std::int64_t(cfg.number_or("delay_ms", 0) * 1000))),
          m_log(cfg.string_or("log", "")),
          m_request_keyframe_every(cfg.integer_or("request_keyframe_every", 0)),
          m_fail_after(cfg.integer_or("fail_after", 0)),
          m_call_log(cfg.string_or("call_log", "")),
          m_ctx(ctx) {}

    std::vector<PortSpec> input_ports() const noexcept override {
        Format any_video;
        any_video.kind = MediaKind::video;
        return {{"in", MediaKind::video, {any_video}}};
    }
    std::vector<PortSpec> output_ports() const noexcept override { return {}; }

    void on_frame(PortIndex, Frame&& f) noexcept override {
        ++m_count;
        if (!m_log.empty()) m_seen.emplace_back(f.pts, f.keyframe);
        if (m_fail_after && m_count == m_fail_after)
            m_ctx.fail(Error::runtime("gave up after " + std::to_string(m_fail_after) + " frames"));
        if (m_request_keyframe_every && m_count % m_request_keyframe_every == 0) m_ctx.request_keyframe(0);
        if (m_delay.count()) std::this_thread::sleep_for(m_delay);
    }
    void on_call(const StationCall& call) noexcept override { m_calls += call.id + " " + to_string(call.state) + "\n"; }
    void stop() noexcept override {
        if (!m_call_log.empty()) std::ofstream(m_call_log) << m_calls;
        if (m_log.empty()) return;
        std::ofstream out(m_log);
        for (auto [pts, key] : m_seen) out << pts << " " << (key ? 1 : 0) << "\n";
    }

private:
    std::chrono::microseconds m_delay;
    std::string m_log;
    std::int64_t m_request_keyframe_every;
    std::int64_t m_fail_after;
    std::string m_call_log;
    std::string m_calls;
    NodeContext& m_ctx;
    std::vector<std::pair<std::int64_t, bool>> m_seen;
    std::int64_t m_count = 0;
};

class Pass final : public Node {
public:
    Pass(NodeContext& ctx, const NodeConfig&) : m_ctx(ctx) {}
    std::vector<PortSpec> input_ports() const noexcept override {
        Format v;
        v.kind = MediaKind::video;
        return {{"in", MediaKind::video, {v}}};
    }
    std::vector<PortSpec> output_ports() const noexcept override { return {{"out", MediaKind::video, {m_format}}}; }
    Result<void> set_input_format(PortIndex, const Format& f) noexcept override {
        m_format = f;
        return {};
    }
    void on_frame(PortIndex, Frame&& f) noexcept override { m_ctx.emit(0, std::move(f)); }

private:
    NodeContext& m_ctx;
    Format m_format{};
};

/// What a call node looks like before its SDP settles: the far side may pick VP8 or
/// H264, so its output is negotiated.
class Call final : public Node {
public:
    Call(NodeContext&, const NodeConfig&) {}
    std::vector<PortSpec> input_ports() const noexcept override {
        Format vp8, h264;
        vp8.codec = Codec::vp8;
        h264.codec = Codec::h264;
        h264.packetization_mode = 1;
        return {{"video", MediaKind::video, {vp8, h264}, true}};
    }
    std::vector<PortSpec> output_ports() const noexcept override { return {}; }
};

constexpr const char* source_schema = R"({
  "type": "object", "additionalProperties": false,
  "properties": {
    "interval_ms": {"type": "number", "minimum": 0},
    "count": {"type": "integer", "minimum": 0},
    "gop": {"type": "integer"},
    "payload_bytes": {"type": "integer", "minimum": 1},
    "emit_log": {"type": "string"},
    "keyframe_delay": {"type": "integer", "minimum": 0},
    "call_id": {"type": "string"}
  }
})";
constexpr const char* sink_schema = R"({
  "type": "object", "additionalProperties": false,
  "properties": {
    "delay_ms": {"type": "number", "minimum": 0},
    "log": {"type": "string"},
    "request_keyframe_every": {"type": "integer", "minimum": 0},
    "fail_after": {"type": "integer", "minimum": 0},
    "call_log": {"type": "string"},
    "secret": {"type": "string", "minLength": 100}
  }
})";

PluginInfo describe() {
    return {
        "testplug",
        "1.0",
        {
            {"testplug.source",
             NodeRole::source,
             "fake encoded video at a set rate",
             source_schema,
             node_factory<Source>(),
             {}},
            {"testplug.sink", NodeRole::sink, "a sink that is slow on purpose", sink_schema, node_factory<Sink>(), {}},
            {"testplug.pass", NodeRole::filter, "passthrough", "{}", node_factory<Pass>(), {}},
            {"testplug.call", NodeRole::signalling, "a negotiated input, like a call", "{}", node_factory<Call>(), {}},
        }};
}

}  // namespace

SWITCHBOARD_PLUGIN(describe)
