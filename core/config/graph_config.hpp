/// \file graph_config.hpp
/// \brief The deployment file: what a config says, checked and in typed form.
///
///   {
///     "description": "test pattern to an MKV file",
///     "duration_s": 5,
///     "nodes": [ {"name": "camera", "type": "testsrc.camera", "config": {...}}, ... ],
///     "links": [ {"from": "camera.video", "to": "h264.in", "queue": 8, "convert": "auto"} ]
///   }
///
/// load_graph_config() reads, parses (errors with line and column), substitutes
/// ${env:...}/${file:...}, validates the top level against its schema and checks what a
/// schema cannot (unique names). Node configs are validated later, against their node
/// type's schema, once the plugins are loaded.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <rapidjson/document.h>
#include <boost/asio/ip/tcp.hpp>

#include <switchboard/errors.hpp>
#include <switchboard/log.hpp>

#include "config/substitution.hpp"

namespace switchboard::core {

struct NodeSpec {
    std::string name;
    std::string type;
    std::string pointer;             ///< "/nodes/2"
    const rapidjson::Value* config;  ///< the "config" object (an empty object if absent)
};

struct PortName {
    std::string node;
    std::string port;
    std::string text() const { return node + "." + port; }
};

struct LinkSpec {
    PortName from;
    PortName to;
    bool convert_auto = false;
    std::size_t queue = 0;  ///< 0: the default for the media kind
    std::string pointer;    ///< "/links/0"
};

/// Protocol and runtime timers; every one is configurable so tests never wait out
/// production defaults.
struct TimerSpec {
    double shutdown_grace_s = 5.0;             ///< how long a drain may take before nodes are stopped
    double keyframe_request_interval_s = 0.5;  ///< a request repeated sooner is coalesced
};

/// A TURN server for calls (`/rtc/turn/N`).
struct TurnSpec {
    std::string host;
    std::uint16_t port = 3478;
    bool tcp = false;
    std::string username;
    std::string password;  ///< a secret: give it as ${env:NAME} or ${file:PATH}
};

/// How calls reach the network (`/rtc`).
struct RtcSpec {
    /// Local addresses ICE gathers on; empty: every interface.
    std::vector<std::string> gather_addresses;
    std::optional<std::pair<std::string, std::uint16_t>> stun;  ///< host, port
    std::vector<TurnSpec> turn;
    double ice_timeout_s = 30;  ///< checking this long without a working pair ends the call
    /// Benchmarks only: every call's SRTP keys are appended here (srtp_key_log.hpp), so a
    /// relay can read what left the gateway. Anyone with the file can decrypt the calls;
    /// each call warns when it writes. Empty: off.
    std::string srtp_key_log;
};

/// The control API (`/control`; core/control/).
struct ControlSpec {
    /// Where it listens; port 0 picks a free one.
    boost::asio::ip::tcp::endpoint listen{boost::asio::ip::make_address_v4("127.0.0.1"), 8890};
    /// The bearer token every request must carry; required off loopback. A secret.
    std::optional<std::string> token;
};

struct GraphConfig {
    std::string path;  ///< the file it came from
    std::string description;
    std::optional<double> duration_s;  ///< run this long, then drain and exit
    std::size_t workers = 0;           ///< media threads; 0: one per core
    LogLevel log_level = LogLevel::info;
    std::vector<std::string> plugin_path;
    TimerSpec timers;
    /// Where state that must survive a restart lives (the DTLS certificate); unset: none
    /// is kept, and a new certificate is made on each run.
    std::optional<std::string> state_dir;
    RtcSpec rtc;
    /// Set when the config has `control`; without it the control API still starts, with
    /// the defaults, when a node is a station.
    std::optional<ControlSpec> control;
    std::vector<NodeSpec> nodes;
    std::vector<LinkSpec> links;

    /// The document the specs point into, after substitution.
    std::shared_ptr<rapidjson::Document> document;
    Redactions redactions;
};

/// Reads and checks a config file. Every error is Error::invalid with the file name and
/// either a line:column (syntax) or a JSON pointer (content).
Result<GraphConfig> load_graph_config(const std::string& path);

/// The same from text already in memory; `origin` names it in errors and `base_dir`
/// resolves relative ${file:...} paths.
Result<GraphConfig> parse_graph_config(std::string_view text, const std::string& origin, const std::string& base_dir);

}  // namespace switchboard::core
