// Run-time nodes of the graph: calls that join and leave while it runs, and the converter
// chains they share. See Graph::attach() in graph.hpp.
//
// A running producer's output links are read by its emit() on its strand, and a
// consumer's input links by its drain() on its own strand, so every change to them runs
// on that strand (NodeRuntime::run_blocking). Removal goes producer first: once the
// producer has dropped the link nothing new is queued, and a blocking step on the
// consumer's strand then runs after any drain already scheduled, so nothing touches the
// link or the consumer once they are destroyed.
#include <algorithm>
#include <cctype>

#include "config/json_text.hpp"
#include "graph/graph.hpp"

namespace switchboard::core {

namespace {

/// "vp8" from "video/VP8": for the names of shared converters.
std::string codec_name(Codec c) {
    Format f;
    f.codec = c;
    std::string text = to_string(f);
    text = text.substr(text.find('/') + 1);
    text = text.substr(0, text.find(' '));
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char ch) { return std::tolower(ch); });
    return text;
}

}  // namespace

Result<NodeRuntime*> Graph::add_runtime_node(const std::string& name, const std::string& type,
                                             std::unique_ptr<Node> node) {
    auto& loaded = m_runtime_types[type];
    if (!loaded) {
        loaded = std::make_unique<LoadedNodeType>();
        loaded->info.type = type;
        loaded->info.role = NodeRole::sink;
    }
    auto runtime = std::make_unique<NodeRuntime>(m_next_index++, name, *loaded, static_cast<GraphEvents&>(*this), m_io,
                                                 m_workers, m_log.with_context(name), m_keyframe_interval_ns);
    runtime->adopt(std::move(node));
    if (auto r = runtime->start_blocking(); !r) {
        runtime->stop_blocking();
        return Error{r.error().kind, "node \"" + name + "\" (" + type + ") failed to start: " + r.error().message};
    }
    m_unended.fetch_add(1);
    m_nodes.push_back(std::move(runtime));
    m_order.push_back(m_nodes.back().get());
    return m_nodes.back().get();
}

LinkRuntime& Graph::link_running(NodeRuntime& from, PortIndex from_port, NodeRuntime& to, PortIndex to_port,
                                 const Format& format, const std::string& pointer) {
    auto link = std::make_unique<LinkRuntime>();
    link->from = &from;
    link->from_port = from_port;
    link->to = &to;
    link->to_port = to_port;
    link->format = format;
    link->offered = from.outputs()[from_port].formats;
    link->accepted = FormatSet{format};
    link->pointer = pointer;
    const bool raw_media = is_raw(format.codec);
    // Room for the producer's cached group of pictures on top of the usual depth (a few
    // frames more may come before the replay).
    std::size_t replay = 0;
    from.run_blocking([&] { replay = from.cached_frames(from_port); });
    const std::size_t depth = format.kind == MediaKind::video && raw_media ? 4 : 16;
    link->queue = std::make_unique<LinkQueue>(depth + (replay ? replay + depth : 0));
    if (format.kind == MediaKind::video && !raw_media) link->queue->start_at_keyframe();
    LinkRuntime* raw = link.get();
    m_links.push_back(std::move(link));
    to.run_blocking([&] { to.input_links()[to_port] = raw; });
    from.run_blocking([&] { from.attach_output(from_port, raw); });
    return *raw;
}

Result<NodeRuntime*> Graph::make_chain(const LinkRuntime& tap, const FormatSet& wanted) {
    for (auto& chain : m_chains)
        if (chain.producer == tap.from && chain.port == tap.from_port && chain.codec == wanted.front().codec)
            return chain.nodes.back();

    // A call may want what no configured node makes: look through every plugin (once).
    for (const auto& e : m_host.load_all())
        SWITCHBOARD_LOG(m_log, debug, "while looking for converters: " << e.message);
    std::optional<std::vector<ConverterStep>> plan;
    for (const auto* type : m_host.converters()) {
        plan = type->info.convert(tap.format, wanted);
        if (plan && !plan->empty()) break;
        plan.reset();
    }
    if (!plan) return Error::invalid("no loaded plugin converts " + to_string(tap.format) + " to " + to_string(wanted));

    SharedChain chain;
    chain.producer = tap.from;
    chain.port = tap.from_port;
    chain.codec = wanted.front().codec;
    const std::string base =
        std::string(tap.from->name()) + "." + tap.from->outputs()[tap.from_port].name + "~" + codec_name(chain.codec);
    const std::string pointer = tap.pointer + " (shared by calls)";
    std::vector<LinkRuntime*> inner;
    std::string text;
    auto fail = [&](Error e) -> Result<NodeRuntime*> {
        for (auto it = chain.nodes.rbegin(); it != chain.nodes.rend(); ++it) unlink_and_destroy(**it);
        return e;
    };
    Format input = tap.format;
    for (std::size_t j = 0; j < plan->size(); ++j) {
        const auto& step = (*plan)[j];
        auto type = m_host.node_type(step.type);
        if (!type) return fail(type.error());
        auto doc = std::make_unique<rapidjson::Document>();
        if (auto r = parse_json(step.config_json, "converter config of " + step.type, *doc); !r) return fail(r.error());
        auto node =
            add_node(base + (plan->size() > 1 ? "~" + std::to_string(j + 1) : ""), *type.value(), *doc, pointer, {});
        m_inserted_configs.push_back(std::move(doc));
        if (!node) return fail(node.error());
        NodeRuntime* conv = node.value();
        chain.nodes.push_back(conv);
        m_order.push_back(conv);
        if (conv->inputs().empty() || conv->outputs().empty())
            return fail(Error::runtime("converter " + step.type + " has no input or no output port"));
        auto common = intersect(FormatSet{input}, conv->inputs()[0].formats);
        if (common.empty())
            return fail(Error::runtime("converter " + step.type + " does not take " + to_string(input)));
        if (auto r = conv->node().set_input_format(0, common.front()); !r)
            return fail(Error::runtime("converter " + step.type + " cannot take " + to_string(common.front()) + ": " +
                                       r.error().message));
        conv->outputs() = conv->node().output_ports();
        if (auto r = conv->start_blocking(); !r) return fail(r.error());
        if (j > 0) {
            // Inside the chain, before its head is hooked up: nothing runs through it yet.
            NodeRuntime* prev = chain.nodes[j - 1];
            link_running(*prev, 0, *conv, 0, common.front(), pointer);
        }
        input = conv->outputs()[0].formats.empty() ? Format{} : conv->outputs()[0].formats.front();
        text += (text.empty() ? "" : " -> ") + step.type + " " + step.config_json;
    }
    if (intersect(FormatSet{input}, wanted).empty())
        return fail(Error::runtime("the converter chain makes " + to_string(input) + ", not " + to_string(wanted)));
    link_running(*tap.from, tap.from_port, *chain.nodes.front(), 0, tap.format, pointer);
    SWITCHBOARD_LOG(m_log, info,
                    "calls share a new converter chain from "
                        << tap.from->name() << "." << tap.from->outputs()[tap.from_port].name << ": " << text);
    m_chains.push_back(std::move(chain));
    return m_chains.back().nodes.back();
}

Result<Format> Graph::attach(NodeRuntime& consumer, PortIndex input, const LinkRuntime& tap, const FormatSet& wanted) {
    if (input >= consumer.inputs().size()) return Error::runtime("attach: no input " + std::to_string(input));
    if (wanted.empty()) return Error::invalid("attach: no wanted format");
    NodeRuntime* from = tap.from;
    PortIndex from_port = tap.from_port;
    auto common = intersect(FormatSet{tap.format}, wanted);
    if (common.empty()) {
        auto tail = make_chain(tap, wanted);
        if (!tail) return tail.error();
        from = tail.value();
        from_port = 0;
        for (auto& chain : m_chains)
            if (chain.nodes.back() == from) ++chain.users;
        common = intersect(FormatSet{from->outputs()[0].formats.front()}, wanted);
    }
    const Format format = common.front();
    if (auto r = consumer.node().set_input_format(input, format); !r) return r.error();
    consumer.inputs()[input].formats = FormatSet{format};
    auto& link = link_running(*from, from_port, consumer, input, format, tap.pointer + " (call)");
    SWITCHBOARD_LOG(m_log, info,
                    link.text() << ": " << (from == tap.from ? "passthrough " : "through a shared converter, ")
                                << to_string(format) << "; path: " << path_to(consumer, input));
    consumer.request_keyframe(input);
    return format;
}

std::string Graph::path_to(const NodeRuntime& node, PortIndex input) const {
    std::string path = std::string(node.name()) + " (" + node.type() + ")";
    const LinkRuntime* link = input < node.input_links().size() ? node.input_links()[input] : nullptr;
    // Back along the links of this kind; a node with several such inputs is a mixer,
    // and the walk follows its first.
    while (link) {
        const NodeRuntime* from = link->from;
        path = std::string(from->name()) + " (" + from->type() + ") -> " + path;
        const MediaKind kind = from->outputs()[link->from_port].kind;
        link = nullptr;
        for (PortIndex i = 0; i < from->inputs().size() && !link; ++i)
            if (from->inputs()[i].kind == kind) link = from->input_links()[i];
    }
    return path;
}

void Graph::unlink_and_destroy(NodeRuntime& node) {
    for (PortIndex i = 0; i < node.input_links().size(); ++i) {
        LinkRuntime* link = node.input_links()[i];
        if (!link) continue;
        NodeRuntime& from = *link->from;
        from.run_blocking([&] {
            auto& outs = from.output_links()[link->from_port];
            outs.erase(std::remove(outs.begin(), outs.end(), link), outs.end());
        });
        from.forget_bitrate_requests(link);
    }
    node.stop_blocking();
    node.run_blocking([&] { std::fill(node.input_links().begin(), node.input_links().end(), nullptr); });
    node.retire();
    // Its figures outlive it, for the run's report.
    auto keep = [](auto& retired, auto report) {
        report.retired = true;
        retired.push_back(std::move(report));
        if (retired.size() > max_retired) retired.pop_front();
    };
    keep(m_retired_nodes, node.report());
    for (const auto& l : m_links)
        if (l->to == &node) keep(m_retired_links, l->report());
    m_links.erase(std::remove_if(m_links.begin(), m_links.end(), [&](const auto& l) { return l->to == &node; }),
                  m_links.end());
    m_order.erase(std::remove(m_order.begin(), m_order.end(), &node), m_order.end());
    m_nodes.erase(std::remove_if(m_nodes.begin(), m_nodes.end(), [&](const auto& n) { return n.get() == &node; }),
                  m_nodes.end());
}

void Graph::remove_runtime_node(NodeRuntime& node) {
    std::vector<NodeRuntime*> feeders;
    for (auto* link : node.input_links())
        if (link) feeders.push_back(link->from);
    unlink_and_destroy(node);
    for (auto* feeder : feeders) {
        auto chain = std::find_if(m_chains.begin(), m_chains.end(),
                                  [&](const SharedChain& c) { return c.nodes.back() == feeder; });
        if (chain == m_chains.end() || --chain->users > 0) continue;
        SWITCHBOARD_LOG(m_log, info, "no call is fed from " << feeder->name() << " any more: removing its chain");
        // Back to front: each node is unhooked from one that is still alive.
        for (auto it = chain->nodes.rbegin(); it != chain->nodes.rend(); ++it) unlink_and_destroy(**it);
        m_chains.erase(chain);
    }
}

}  // namespace switchboard::core
