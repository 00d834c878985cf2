#include "graph/graph.hpp"

#include <algorithm>
#include <map>
#include <sstream>

#include <boost/asio/post.hpp>

#include "call/call_service.hpp"
#include "config/json_text.hpp"

namespace switchboard::core {

namespace {

std::string port_list(const std::vector<PortSpec>& ports) {
    std::string s;
    for (const auto& p : ports) s += (s.empty() ? "" : ", ") + p.name;
    return s.empty() ? "none" : s;
}

std::optional<PortIndex> find_port(const std::vector<PortSpec>& ports, const std::string& name) {
    for (PortIndex i = 0; i < ports.size(); ++i)
        if (ports[i].name == name) return i;
    return std::nullopt;
}

/// Queue length when the config does not say: short for raw video, where every frame
/// is large and only the newest matters; longer for encoded media and audio, whose
/// frames are small and where a drop costs a keyframe or an audible gap.
std::size_t default_capacity(const Format& f) {
    if (f.kind == MediaKind::video) return is_raw(f.codec) ? 4 : 16;
    if (f.kind == MediaKind::audio) return 16;
    return 64;
}

std::string in_quotes(std::string_view s) {
    return "\"" + std::string(s) + "\"";
}

}  // namespace

Graph::Graph(PluginHost& host, Logger& log, boost::asio::io_context& io, boost::asio::thread_pool& workers,
             std::int64_t keyframe_interval_ns)
    : m_host(host), m_log(log), m_io(io), m_workers(workers), m_keyframe_interval_ns(keyframe_interval_ns) {}

Graph::~Graph() = default;

Result<NodeRuntime*> Graph::add_node(const std::string& name, const LoadedNodeType& type,
                                     const rapidjson::Value& config, const std::string& pointer,
                                     const Redactions& redactions) {
    if (auto r = type.schema->validate(config, pointer, redactions); !r) return r.error();
    auto node = std::make_unique<NodeRuntime>(m_next_index++, name, type, static_cast<GraphEvents&>(*this), m_io,
                                              m_workers, m_log.with_context(name), m_keyframe_interval_ns);
    node->set_state_root(m_state_root);
    if (auto r = node->create(NodeConfig(config, pointer)); !r) {
        if (r.error().kind == ErrorKind::invalid) return r.error();
        return Error{r.error().kind, "node " + in_quotes(name) + " (" + type.info.type + "): " + r.error().message};
    }
    m_nodes.push_back(std::move(node));
    m_unended.fetch_add(1);
    return m_nodes.back().get();
}

Result<std::unique_ptr<Graph>> Graph::build(const GraphConfig& config, PluginHost& host, Logger& log,
                                            boost::asio::io_context& io, boost::asio::thread_pool& workers) {
    auto in_file = [&](const Error& e) { return Error{e.kind, config.path + ": " + e.message}; };
    std::unique_ptr<Graph> g(
        new Graph(host, log, io, workers, std::int64_t(config.timers.keyframe_request_interval_s * 1e9)));
    g->m_calls = std::make_unique<CallService>(*g, config.rtc, config.state_dir, log, io);
    g->m_state_root = config.state_dir.value_or("");

    std::map<std::string, NodeRuntime*> by_name;
    for (const auto& spec : config.nodes) {
        auto type = host.node_type(spec.type);
        if (!type) return in_file(Error::invalid(spec.pointer + "/type: " + type.error().message));
        auto node = g->add_node(spec.name, *type.value(), *spec.config, spec.pointer + "/config", config.redactions);
        if (!node) return in_file(node.error());
        by_name[spec.name] = node.value();
        node.value()->set_call_host(&g->m_calls->host_for(*node.value()));
    }

    for (const auto& spec : config.links) {
        auto endpoint = [&](const PortName& p, bool output) -> Result<std::pair<NodeRuntime*, PortIndex>> {
            const std::string where = spec.pointer + (output ? "/from" : "/to");
            auto it = by_name.find(p.node);
            if (it == by_name.end()) return Error::invalid(where + ": no node named " + in_quotes(p.node));
            auto& ports = output ? it->second->outputs() : it->second->inputs();
            auto idx = find_port(ports, p.port);
            if (!idx)
                return Error::invalid(where + ": node " + in_quotes(p.node) + " (" + it->second->type() + ") has no " +
                                      (output ? "output" : "input") + " port " + in_quotes(p.port) + "; its " +
                                      (output ? "outputs" : "inputs") + ": " + port_list(ports));
            return std::pair{it->second, *idx};
        };
        auto from = endpoint(spec.from, true);
        if (!from) return in_file(from.error());
        auto to = endpoint(spec.to, false);
        if (!to) return in_file(to.error());
        auto [to_node, to_port] = to.value();
        if (auto* existing = to_node->input_links()[to_port])
            return in_file(Error::invalid(spec.pointer + "/to: input " + in_quotes(spec.to.text()) +
                                          " already has a link from " +
                                          in_quotes(existing->text().substr(0, existing->text().find(" -> "))) + " (" +
                                          existing->pointer + "); an input takes one link"));
        auto link = std::make_unique<LinkRuntime>();
        link->from = from.value().first;
        link->from_port = from.value().second;
        link->to = to_node;
        link->to_port = to_port;
        link->pointer = spec.pointer;
        link->convert_auto = spec.convert_auto;
        link->capacity = spec.queue;
        link->from->output_links()[link->from_port].push_back(link.get());
        to_node->input_links()[to_port] = link.get();
        g->m_links.push_back(std::move(link));
    }

    if (auto r = g->sort_topologically(); !r) return in_file(r.error());

    // Negotiate producers first; converters inserted on the way land before their consumer.
    for (std::size_t k = 0; k < g->m_order.size(); ++k) {
        NodeRuntime* node = g->m_order[k];
        for (PortIndex i = 0; i < node->inputs().size(); ++i)
            if (node->input_links()[i])
                if (auto r = g->negotiate_input(*node, i); !r) return in_file(r.error());
        node->outputs() = node->node().output_ports();
        k = std::size_t(std::find(g->m_order.begin(), g->m_order.end(), node) - g->m_order.begin());
    }

    for (auto& link : g->m_links)
        link->queue = std::make_unique<LinkQueue>(link->capacity ? link->capacity : default_capacity(link->format));
    return g;
}

Result<void> Graph::sort_topologically() {
    std::map<NodeRuntime*, std::size_t> pending;  // linked inputs not yet placed
    for (auto& n : m_nodes) {
        std::size_t count = 0;
        for (auto* l : n->input_links()) count += l ? 1 : 0;
        pending[n.get()] = count;
    }
    std::vector<NodeRuntime*> ready;
    for (auto& n : m_nodes)
        if (pending[n.get()] == 0) ready.push_back(n.get());
    while (!ready.empty()) {
        NodeRuntime* n = ready.front();
        ready.erase(ready.begin());
        m_order.push_back(n);
        for (auto& links : n->output_links())
            for (auto* l : links)
                if (--pending[l->to] == 0) ready.push_back(l->to);
    }
    if (m_order.size() == m_nodes.size()) return {};

    // Walk back along inputs from a node left over: every one of them lies on or after a
    // cycle, so the walk must come back to a node it has seen.
    NodeRuntime* start = nullptr;
    for (auto& [n, count] : pending)
        if (count > 0 && (!start || n->index() < start->index())) start = n;
    std::vector<LinkRuntime*> path;
    std::vector<NodeRuntime*> seen{start};
    NodeRuntime* at = start;
    while (true) {
        LinkRuntime* back = nullptr;
        for (auto* l : at->input_links())
            if (l && pending[l->from] > 0) {
                back = l;
                break;
            }
        path.push_back(back);
        at = back->from;
        auto hit = std::find(seen.begin(), seen.end(), at);
        if (hit != seen.end()) {
            path.erase(path.begin(), path.begin() + (hit - seen.begin()));
            break;
        }
        seen.push_back(at);
    }
    std::reverse(path.begin(), path.end());
    std::string cycle;
    for (auto* l : path) cycle += (cycle.empty() ? "" : ", ") + l->text() + " (" + l->pointer + ")";
    return Error::invalid("/links: the graph has a cycle: " + cycle);
}

Result<void> Graph::negotiate_input(NodeRuntime& node, PortIndex input) {
    LinkRuntime& link = *node.input_links()[input];
    link.offered = link.from->outputs()[link.from_port].formats;
    link.accepted = node.inputs()[input].formats;
    auto common = intersect(link.offered, link.accepted);
    // A negotiated output delivers whichever of its formats the far side picks: a
    // consumer that cannot take every one of them needs the converter even when some
    // are common (a TV that takes H264 from a caller who may send VP8).
    const bool some_not_taken = link.from->outputs()[link.from_port].negotiated &&
                                std::any_of(link.offered.begin(), link.offered.end(), [&](const Format& f) {
                                    return intersect(FormatSet{f}, link.accepted).empty();
                                });
    if (common.empty() || (some_not_taken && link.convert_auto)) {
        const std::string sides =
            "output " + in_quotes(std::string(link.from->name()) + "." + link.from->outputs()[link.from_port].name) +
            " offers " + to_string(link.offered) + ", input " +
            in_quotes(std::string(node.name()) + "." + node.inputs()[input].name) + " accepts " +
            to_string(link.accepted);
        if (!link.convert_auto)
            return Error::invalid(link.pointer + ": no common format: " + sides +
                                  " (set \"convert\": \"auto\" on the link to insert a converter)");
        if (auto r = insert_converter(link); !r)
            return Error::invalid(link.pointer + ": " + r.error().message + "; " + sides);
        link.offered = link.from->outputs()[link.from_port].formats;
        common = intersect(link.offered, link.accepted);
        if (common.empty())
            return Error::invalid(link.pointer + ": the inserted converter offers " + to_string(link.offered) +
                                  ", input " + in_quotes(node.inputs()[input].name) + " accepts " +
                                  to_string(link.accepted));
    }
    link.format = common.front();
    if (auto r = node.node().set_input_format(input, link.format); !r)
        return Error::invalid(link.pointer + ": node " + in_quotes(node.name()) + " cannot take " +
                              to_string(link.format) + ": " + r.error().message);
    return {};
}

Result<void> Graph::insert_converter(LinkRuntime& link) {
    for (const auto& e : m_host.load_all())
        SWITCHBOARD_LOG(m_log, debug, "while looking for converters: " << e.message);
    const auto& offered = link.from->outputs()[link.from_port].formats;
    if (offered.empty()) return Error::invalid("the producer offers no format to convert from");
    std::optional<std::vector<ConverterStep>> plan;
    for (const auto* type : m_host.converters()) {
        plan = type->info.convert(offered.front(), link.accepted);
        if (plan && !plan->empty()) break;
        plan.reset();
    }
    if (!plan)
        return Error::invalid("\"convert\": \"auto\", but no loaded plugin converts " + to_string(offered.front()));

    NodeRuntime* consumer = link.to;
    std::string chain;
    for (std::size_t j = 0; j < plan->size(); ++j) {
        const auto& step = (*plan)[j];
        auto type = m_host.node_type(step.type);
        if (!type) return type.error();
        auto doc = std::make_unique<rapidjson::Document>();
        if (auto r = parse_json(step.config_json, "converter config of " + step.type, *doc); !r) return r.error();
        const std::string name =
            std::string(consumer->name()) + "." + consumer->inputs()[link.to_port].name + "~" + std::to_string(j + 1);
        auto node = add_node(name, *type.value(), *doc, link.pointer + " (inserted " + step.type + ")", {});
        m_inserted_configs.push_back(std::move(doc));
        if (!node) return node.error();
        NodeRuntime* conv = node.value();
        if (conv->inputs().empty() || conv->outputs().empty())
            return Error::runtime("converter " + step.type + " has no input or no output port");

        // link.from -> conv.0 replaces link.from -> consumer in the producer's list.
        auto hop = std::make_unique<LinkRuntime>();
        hop->from = link.from;
        hop->from_port = link.from_port;
        hop->to = conv;
        hop->to_port = 0;
        hop->pointer = link.pointer;
        hop->inserted = true;
        auto& outs = link.from->output_links()[link.from_port];
        std::replace(outs.begin(), outs.end(), &link, hop.get());
        conv->input_links()[0] = hop.get();
        m_links.push_back(std::move(hop));
        m_order.insert(std::find(m_order.begin(), m_order.end(), consumer), conv);
        if (auto r = negotiate_input(*conv, 0); !r) return r.error();
        conv->outputs() = conv->node().output_ports();
        link.from = conv;
        link.from_port = 0;
        conv->output_links()[0].push_back(&link);
        chain += (chain.empty() ? "" : " -> ") + step.type + " " + step.config_json;
    }
    link.inserted = true;
    SWITCHBOARD_LOG(m_log, info,
                    link.pointer << ": \"convert\": \"auto\" inserted " << chain << " before " << consumer->name()
                                 << "." << consumer->inputs()[link.to_port].name);
    return {};
}

std::string Graph::plan_for(const Format& far_side, const FormatSet& other, bool far_is_producer) const {
    const FormatSet far{far_side};
    if (!intersect(far, other).empty()) return "passthrough";
    const Format from = far_is_producer ? far_side : (other.empty() ? Format{} : other.front());
    const FormatSet to = far_is_producer ? other : far;
    for (const auto* type : m_host.converters())
        if (auto plan = type->info.convert(from, to); plan && !plan->empty()) {
            std::string s = "convert via ";
            for (std::size_t i = 0; i < plan->size(); ++i) s += (i ? " -> " : "") + (*plan)[i].type;
            return s;
        }
    return "no plan (no converter loaded)";
}

std::string Graph::describe() const {
    std::ostringstream out;
    out << "nodes (" << m_order.size() << ", producers first):\n";
    for (const auto* n : m_order) {
        out << "  " << n->name() << "  " << n->type() << "\n";
        for (const auto& p : n->inputs())
            out << "      in  " << p.name << "  " << to_string(p.formats) << (p.negotiated ? "  (negotiated)" : "")
                << "\n";
        for (const auto& p : n->outputs())
            out << "      out " << p.name << "  " << to_string(p.formats) << (p.negotiated ? "  (negotiated)" : "")
                << "\n";
    }
    out << "links (" << m_links.size() << "):\n";
    for (const auto& l : m_links) {
        out << "  " << l->text() << "  [" << l->pointer << (l->inserted ? ", inserted by convert: auto" : "") << "]\n"
            << "      format   " << to_string(l->format) << "\n"
            << "      offered  " << to_string(l->offered) << "\n"
            << "      accepted " << to_string(l->accepted) << "\n"
            << "      queue    " << (l->queue ? l->queue->capacity() : 0) << " frames\n";
        const auto& out_port = l->from->outputs()[l->from_port];
        const auto& in_port = l->to->inputs()[l->to_port];
        if (out_port.negotiated)
            for (const auto& f : out_port.formats)
                out << "      if " << l->from->name() << " negotiates " << to_string(f) << ": "
                    << plan_for(f, l->accepted, true) << "\n";
        if (in_port.negotiated)
            for (const auto& f : in_port.formats)
                out << "      if " << l->to->name() << " negotiates " << to_string(f) << ": "
                    << plan_for(f, l->offered, false) << "\n";
    }
    return out.str();
}

Result<void> Graph::start(Callbacks callbacks) {
    m_callbacks = std::move(callbacks);
    // Consumers first, so that no frame reaches a node that has not started.
    for (auto it = m_order.rbegin(); it != m_order.rend(); ++it) {
        auto r = (*it)->start_blocking();
        if (!r) {
            stop();
            return Error{r.error().kind, "node " + in_quotes((*it)->name()) + " (" + (*it)->type() +
                                             ") failed to start: " + r.error().message};
        }
        ++m_started;
    }
    return {};
}

void Graph::end() {
    for (auto* n : m_order) n->end_production();
}

void Graph::stop() {
    m_calls->close_all("shutdown");
    for (auto* n : m_order) n->stop_blocking();
}

void Graph::node_ended(NodeRuntime& node) noexcept {
    SWITCHBOARD_LOG(node.log(), debug, "ended");
    if (m_unended.fetch_sub(1) == 1 && m_callbacks.on_done) boost::asio::post(m_io, m_callbacks.on_done);
}

void Graph::node_failed(NodeRuntime& node, Error error) noexcept {
    if (!m_callbacks.on_failure) return;
    boost::asio::post(m_io, [cb = m_callbacks.on_failure, name = std::string(node.name()), error = std::move(error)] {
        cb(name, error);
    });
}

}  // namespace switchboard::core
