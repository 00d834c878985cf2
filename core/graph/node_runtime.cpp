#include "graph/node_runtime.hpp"

#include <algorithm>
#include <filesystem>
#include <future>

#include <boost/asio/defer.hpp>
#include <boost/asio/post.hpp>

#include "plugin_host/plugin_host.hpp"

namespace switchboard::core {

std::string LinkRuntime::text() const {
    return std::string(from->name()) + "." + from->outputs()[from_port].name + " -> " + std::string(to->name()) + "." +
           to->inputs()[to_port].name;
}

LinkReport LinkRuntime::report() const {
    return {text(), to_string(format), queue ? queue->drops() : 0, handoff.summary()};
}

NodeRuntime::NodeRuntime(std::uint32_t index, std::string name, const LoadedNodeType& type, GraphEvents& events,
                         boost::asio::io_context& io, boost::asio::thread_pool& workers, std::shared_ptr<Logger> log,
                         std::int64_t keyframe_request_interval_ns)
    : m_index(index),
      m_name(std::move(name)),
      m_type(type),
      m_plugin(type.plugin),
      m_events(events),
      m_io(io),
      m_strand(boost::asio::make_strand(workers.get_executor())),
      m_log(std::move(log)),
      m_keyframe_interval_ns(keyframe_request_interval_ns) {}

NodeRuntime::~NodeRuntime() = default;

const std::string& NodeRuntime::type() const noexcept {
    return m_type.info.type;
}

Result<void> NodeRuntime::create(const NodeConfig& config) {
    auto made = m_type.info.create(*this, config);
    if (!made) return made.error();
    if (!made.value()) return Error::runtime(m_name + ": the factory of " + type() + " returned no node");
    adopt(std::move(made.value()));
    return {};
}

void NodeRuntime::adopt(std::unique_ptr<Node> node) {
    m_node = std::move(node);
    m_inputs = m_node->input_ports();
    m_outputs = m_node->output_ports();
    m_input_links.assign(m_inputs.size(), nullptr);
    m_output_links.assign(m_outputs.size(), {});
    m_output_state = std::make_unique<OutputState[]>(m_outputs.size());
    // A node with a video input passes keyframe requests up (or is an encoder that makes
    // one); a video source of encoded frames cannot, so its last group is kept.
    const bool video_input =
        std::any_of(m_inputs.begin(), m_inputs.end(), [](const PortSpec& p) { return p.kind == MediaKind::video; });
    for (std::size_t o = 0; o < m_outputs.size(); ++o) {
        const auto& formats = m_outputs[o].formats;
        m_output_state[o].cache_gop = !video_input && m_outputs[o].kind == MediaKind::video && !formats.empty() &&
                                      std::all_of(formats.begin(), formats.end(), [](const Format& f) {
                                          return f.codec != Codec::any && !is_raw(f.codec);
                                      });
    }
}

std::size_t NodeRuntime::cached_frames(PortIndex output) const noexcept {
    return output < m_outputs.size() ? m_output_state[output].gop.frames().size() : 0;
}

void NodeRuntime::attach_output(PortIndex output, LinkRuntime* link) {
    const auto now = monotonic_ns();
    for (const auto& cached : m_output_state[output].gop.frames()) {
        Frame copy = cached;
        copy.timing.push({link->to->m_index, now, 0});
        link->queue->push(std::move(copy));
    }
    m_output_links[output].push_back(link);
    if (!m_output_state[output].gop.frames().empty()) link->to->schedule_drain();
}

bool NodeRuntime::has_linked_input() const noexcept {
    for (auto* l : m_input_links)
        if (l) return true;
    return false;
}

void NodeRuntime::emit(PortIndex output, Frame frame) noexcept {
    if (output >= m_output_links.size()) {
        SWITCHBOARD_LOG(*m_log, error, "emit on output " << output << ", but the node has " << m_outputs.size());
        return;
    }
    const auto now = monotonic_ns();
    if (auto* last = frame.timing.last(); last && last->node == m_index && last->out_ns == 0) {
        last->out_ns = now;
        m_latency.record(now - last->in_ns);
    } else {
        // A frame this node made from nothing it received: a source. Its latency is
        // from capture (when the source knows it) to emission.
        const auto in = frame.timing.capture_ns ? frame.timing.capture_ns : now;
        frame.timing.push({m_index, in, now});
        if (!has_linked_input()) m_latency.record(now - in);
    }
    m_frames_out.fetch_add(1, std::memory_order_relaxed);
    if (frame.keyframe) m_output_state[output].keyframe_pending_since.store(0, std::memory_order_relaxed);
    if (m_output_state[output].cache_gop) m_output_state[output].gop.on_frame(frame);

    auto& links = m_output_links[output];
    for (std::size_t i = 0; i < links.size(); ++i) {
        auto* link = links[i];
        Frame copy = i + 1 == links.size() ? std::move(frame) : frame;
        copy.timing.push({link->to->m_index, now, 0});
        auto pushed = link->queue->push(std::move(copy));
        if (pushed.need_keyframe) keyframe_requested(output);
        link->to->schedule_drain();
    }
}

void NodeRuntime::schedule_drain() {
    if (!m_drain_scheduled.exchange(true, std::memory_order_acq_rel)) boost::asio::defer(m_strand, [this] { drain(); });
}

void NodeRuntime::drain() {
    // Cleared first: a push racing with this drain schedules another, never none.
    m_drain_scheduled.store(false, std::memory_order_release);
    if (m_stopped) return;
    constexpr int budget = 64;  // then yield the thread, so one busy node cannot starve others
    const bool is_sink = m_outputs.empty();
    int delivered = 0;
    bool more = true;
    while (more && delivered < budget) {
        more = false;
        for (PortIndex i = 0; i < m_input_links.size(); ++i) {
            auto* link = m_input_links[i];
            if (!link) continue;
            auto frame = link->queue->pop();
            if (!frame) continue;
            more = true;
            ++delivered;
            const auto start = monotonic_ns();
            auto* stamp = frame->timing.last();
            const auto in_ns = stamp && stamp->node == m_index ? stamp->in_ns : start;
            link->handoff.record(start - in_ns);
            m_frames_in.fetch_add(1, std::memory_order_relaxed);
            m_node->on_frame(i, std::move(*frame));
            if (is_sink) m_latency.record(monotonic_ns() - in_ns);
            if (m_stopped) return;
        }
    }
    if (more) {
        schedule_drain();
        return;
    }
    if (m_eos_delivered || !has_linked_input()) return;
    for (auto* link : m_input_links)
        if (link && !link->queue->ended()) return;
    m_eos_delivered = true;
    m_node->on_end_of_stream();
    end_outputs();
}

void NodeRuntime::end_outputs() {
    for (auto& links : m_output_links)
        for (auto* link : links) {
            link->queue->close();
            link->to->schedule_drain();
        }
    if (!m_ended.exchange(true)) m_events.node_ended(*this);
}

void NodeRuntime::report_call(const StationCall& call) noexcept {
    try {
        boost::asio::post(m_strand, [this, call] { forward_call(call); });
    } catch (...) {
        // Out of memory: the sinks miss one change, which a later one corrects.
    }
}

void NodeRuntime::forward_call(const StationCall& call) {
    if (m_stopped) return;
    for (const auto& links : m_output_links)
        for (const LinkRuntime* link : links) link->to->deliver_call(call);
}

void NodeRuntime::deliver_call(StationCall call) {
    boost::asio::post(m_strand, [this, call = std::move(call)] {
        if (m_stopped) return;
        auto [seen, fresh] = m_calls_seen.try_emplace(call.id, call.state);
        if (!fresh && seen->second == call.state) return;
        seen->second = call.state;
        // Ended calls are forgotten first when the list grows (a station's history).
        if (m_calls_seen.size() > 64)
            std::erase_if(m_calls_seen,
                          [&](const auto& c) { return c.second == CallState::ended && c.first != call.id; });
        m_node->on_call(call);
        forward_call(call);
    });
}

void NodeRuntime::request_keyframe(PortIndex input) noexcept {
    if (input >= m_input_links.size() || !m_input_links[input]) return;
    auto* link = m_input_links[input];
    link->from->keyframe_requested(link->from_port);
}

void NodeRuntime::keyframe_requested(PortIndex output) {
    m_keyframe_requests.fetch_add(1, std::memory_order_relaxed);
    const auto now = monotonic_ns();
    auto& pending = m_output_state[output].keyframe_pending_since;
    auto since = pending.load(std::memory_order_relaxed);
    // Coalesce: one request travels until a keyframe passes, or until the interval
    // has gone by (a producer that ignored it gets asked again).
    do {
        if (since != 0 && now - since < m_keyframe_interval_ns) {
            m_keyframe_coalesced.fetch_add(1, std::memory_order_relaxed);
            return;
        }
    } while (!pending.compare_exchange_weak(since, now, std::memory_order_relaxed));
    boost::asio::post(m_strand, [this, output] {
        if (m_stopped) return;
        {
            std::lock_guard lock(m_keyframe_sources_mutex);
            bool asked = false;
            for (const auto& source : m_keyframe_sources)
                if (source.output == output) {
                    source.ask();
                    asked = true;
                }
            if (asked) return;
        }
        if (m_node->on_keyframe_request(output)) return;
        for (PortIndex i = 0; i < m_inputs.size(); ++i)
            if (m_inputs[i].kind == m_outputs[output].kind) request_keyframe(i);
    });
}

std::uint64_t NodeRuntime::add_keyframe_source(PortIndex output, std::function<void()> source) {
    std::lock_guard lock(m_keyframe_sources_mutex);
    const auto id = m_next_keyframe_source++;
    m_keyframe_sources.push_back({id, output, std::move(source)});
    return id;
}

void NodeRuntime::remove_keyframe_source(std::uint64_t id) {
    std::lock_guard lock(m_keyframe_sources_mutex);
    std::erase_if(m_keyframe_sources, [id](const KeyframeSource& s) { return s.id == id; });
}

void NodeRuntime::request_bitrate(PortIndex input, std::uint64_t bits_per_second) noexcept {
    if (input >= m_input_links.size() || !m_input_links[input]) return;
    auto* link = m_input_links[input];
    link->from->bitrate_requested(link->from_port, link, bits_per_second);
}

void NodeRuntime::bitrate_requested(PortIndex output, const LinkRuntime* link, std::uint64_t bits_per_second) {
    // A receiver that stopped asking (it left, or its estimate stopped) must not hold the
    // rate down for the others.
    constexpr std::int64_t fresh_ns = 5'000'000'000;
    const auto now = monotonic_ns();
    std::uint64_t smallest = bits_per_second;
    {
        auto& state = m_output_state[output];
        std::lock_guard lock(state.bitrate_mutex);
        auto& requests = state.bitrate_requests;
        auto it = std::find_if(requests.begin(), requests.end(), [&](const auto& r) { return r.link == link; });
        if (it == requests.end())
            requests.push_back({link, bits_per_second, now});
        else
            *it = {link, bits_per_second, now};
        requests.erase(
            std::remove_if(requests.begin(), requests.end(), [&](const auto& r) { return now - r.at_ns > fresh_ns; }),
            requests.end());
        for (const auto& r : requests) smallest = std::min(smallest, r.bits_per_second);
    }
    boost::asio::post(m_strand, [this, output, smallest] {
        if (m_stopped) return;
        if (m_node->on_bitrate_request(output, smallest)) return;
        for (PortIndex i = 0; i < m_inputs.size(); ++i)
            if (m_inputs[i].kind == m_outputs[output].kind) request_bitrate(i, smallest);
    });
}

void NodeRuntime::forget_bitrate_requests(const LinkRuntime* link) {
    for (std::size_t o = 0; o < m_outputs.size(); ++o) {
        auto& state = m_output_state[o];
        std::lock_guard lock(state.bitrate_mutex);
        auto& requests = state.bitrate_requests;
        requests.erase(std::remove_if(requests.begin(), requests.end(), [&](const auto& r) { return r.link == link; }),
                       requests.end());
    }
}

void NodeRuntime::finished() noexcept {
    boost::asio::post(m_strand, [this] {
        if (m_production_ended.exchange(true)) return;
        end_outputs();
    });
}

void NodeRuntime::end_production() {
    if (has_linked_input()) return;
    boost::asio::post(m_strand, [this] {
        if (m_production_ended.exchange(true)) return;
        if (!m_stopped) {
            m_stopped = true;
            m_node->stop();
        }
        end_outputs();
    });
}

void NodeRuntime::fail(Error error) noexcept {
    m_events.node_failed(*this, std::move(error));
}

namespace {

/// The CallHost of a node in a graph without WebRTC (`switchboard check`, unit tests).
class NoCallHost final : public CallHost {
public:
    Result<std::unique_ptr<Call>> create_call(CallOptions options, CallEvents) noexcept override {
        return Error::unavailable("call " + options.id + ": this graph runs without WebRTC");
    }
};

}  // namespace

void NodeRuntime::set_state_root(const std::string& root) {
    m_state_dir = root.empty() ? std::string() : (std::filesystem::path(root) / m_name).string();
}

CallHost& NodeRuntime::calls() noexcept {
    static NoCallHost none;
    return m_call_host ? *m_call_host : none;
}

Result<void> NodeRuntime::start_blocking() {
    std::promise<Result<void>> done;
    auto result = done.get_future();
    boost::asio::post(m_strand, [&] { done.set_value(m_node->start()); });
    return result.get();
}

void NodeRuntime::stop_blocking() {
    std::promise<void> done;
    auto result = done.get_future();
    boost::asio::post(m_strand, [&] {
        if (!m_stopped) {
            m_stopped = true;
            m_node->stop();
        }
        done.set_value();
    });
    result.wait();
}

void NodeRuntime::run_blocking(const std::function<void()>& fn) {
    std::promise<void> done;
    auto result = done.get_future();
    boost::asio::post(m_strand, [&] {
        fn();
        done.set_value();
    });
    result.wait();
}

void NodeRuntime::retire() {
    if (!m_ended.exchange(true)) m_events.node_ended(*this);
}

NodeRuntime::Stats NodeRuntime::stats() const {
    Stats s;
    s.frames_in = m_frames_in.load();
    s.frames_out = m_frames_out.load();
    s.keyframe_requests = m_keyframe_requests.load();
    s.keyframe_coalesced = m_keyframe_coalesced.load();
    for (auto* l : m_input_links)
        if (l) s.drops += l->queue->drops();
    return s;
}

NodeRuntime::Report NodeRuntime::report() const {
    return {std::string(name()), type(), stats(), m_latency.summary()};
}

}  // namespace switchboard::core
