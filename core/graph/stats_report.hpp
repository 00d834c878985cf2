/// \file stats_report.hpp
/// \brief What a run did, per node and per link: the table printed at exit and its JSON.
///
/// Per node: frames in and out, drops on its input links, keyframe requests, and the
/// latency it added (from a frame entering its input queue, or from capture for a
/// source, to its result leaving). Per link: the handoff delay (push to on_frame), which
/// is the core's own share of the latency. Nodes that joined and left while the graph
/// ran (calls, their converters) are in it too, as they were when they left.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "graph/graph.hpp"

namespace switchboard::core {

using NodeReport = NodeRuntime::Report;

struct StatsReport {
    std::vector<NodeReport> nodes;
    std::vector<LinkReport> links;
};

StatsReport collect_stats(const Graph& graph);
/// The fixed-width table for a terminal.
std::string format_table(const StatsReport& report);
/// {"nodes": [...], "links": [...]} with latencies in nanoseconds.
std::string format_json(const StatsReport& report);

}  // namespace switchboard::core
