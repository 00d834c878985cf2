#include "graph/stats_report.hpp"

#include <cstdio>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

namespace switchboard::core {

namespace {

std::string ms(std::int64_t ns) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3f", double(ns) / 1e6);
    return buf;
}

template <class Writer>
void write_latency(Writer& w, const char* key, const LatencySummary& l) {
    w.Key(key);
    w.StartObject();
    w.Key("count");
    w.Uint64(l.count);
    w.Key("p50");
    w.Int64(l.p50_ns);
    w.Key("p99");
    w.Int64(l.p99_ns);
    w.Key("max");
    w.Int64(l.max_ns);
    w.EndObject();
}

}  // namespace

StatsReport collect_stats(const Graph& graph) {
    StatsReport r;
    for (const auto* n : graph.nodes()) r.nodes.push_back(n->report());
    r.nodes.insert(r.nodes.end(), graph.retired_nodes().begin(), graph.retired_nodes().end());
    for (const auto& l : graph.links()) r.links.push_back(l->report());
    r.links.insert(r.links.end(), graph.retired_links().begin(), graph.retired_links().end());
    return r;
}

std::string format_table(const StatsReport& report) {
    std::string out;
    char line[256];
    std::snprintf(line, sizeof line, "%-22s %-18s %8s %8s %7s %10s %10s\n", "node", "type", "in", "out", "drops",
                  "p50 ms", "p99 ms");
    out += line;
    bool any_retired = false;
    for (const auto& n : report.nodes) {
        any_retired = any_retired || n.retired;
        const std::string name = n.retired ? n.name + " *" : n.name;
        std::snprintf(line, sizeof line, "%-22s %-18s %8llu %8llu %7llu %10s %10s\n", name.c_str(), n.type.c_str(),
                      (unsigned long long)n.stats.frames_in, (unsigned long long)n.stats.frames_out,
                      (unsigned long long)n.stats.drops, ms(n.latency.p50_ns).c_str(), ms(n.latency.p99_ns).c_str());
        out += line;
    }
    if (any_retired) out += "* left while the graph ran\n";
    std::snprintf(line, sizeof line, "%-42s %7s %14s %14s\n", "link (core handoff)", "drops", "p50 ms", "p99 ms");
    out += line;
    for (const auto& l : report.links) {
        std::snprintf(line, sizeof line, "%-42s %7llu %14s %14s\n", l.text.c_str(), (unsigned long long)l.drops,
                      ms(l.handoff.p50_ns).c_str(), ms(l.handoff.p99_ns).c_str());
        out += line;
    }
    return out;
}

std::string format_json(const StatsReport& report) {
    rapidjson::StringBuffer buf;
    rapidjson::Writer<rapidjson::StringBuffer> w(buf);
    w.StartObject();
    w.Key("nodes");
    w.StartArray();
    for (const auto& n : report.nodes) {
        w.StartObject();
        w.Key("name");
        w.String(n.name.c_str());
        w.Key("type");
        w.String(n.type.c_str());
        w.Key("frames_in");
        w.Uint64(n.stats.frames_in);
        w.Key("frames_out");
        w.Uint64(n.stats.frames_out);
        w.Key("drops");
        w.Uint64(n.stats.drops);
        w.Key("keyframe_requests");
        w.Uint64(n.stats.keyframe_requests);
        w.Key("keyframe_coalesced");
        w.Uint64(n.stats.keyframe_coalesced);
        write_latency(w, "latency_ns", n.latency);
        w.Key("retired");
        w.Bool(n.retired);
        w.EndObject();
    }
    w.EndArray();
    w.Key("links");
    w.StartArray();
    for (const auto& l : report.links) {
        w.StartObject();
        w.Key("link");
        w.String(l.text.c_str());
        w.Key("format");
        w.String(l.format.c_str());
        w.Key("drops");
        w.Uint64(l.drops);
        write_latency(w, "handoff_ns", l.handoff);
        w.Key("retired");
        w.Bool(l.retired);
        w.EndObject();
    }
    w.EndArray();
    w.EndObject();
    return buf.GetString();
}

}  // namespace switchboard::core
