#include "config/graph_config.hpp"

#include <filesystem>
#include <set>

#include "config/json_schema.hpp"
#include "config/json_text.hpp"
#include "http/listen_address.hpp"
#include "log/console_logger.hpp"

namespace switchboard::core {

namespace {

constexpr const char* top_level_schema = R"json({
  "type": "object",
  "additionalProperties": false,
  "required": ["nodes"],
  "properties": {
    "description": {"type": "string"},
    "duration_s": {"type": "number", "minimum": 0, "exclusiveMinimum": true},
    "workers": {"type": "integer", "minimum": 1, "maximum": 64},
    "log_level": {"enum": ["trace", "debug", "info", "warn", "error"]},
    "plugin_path": {"type": "array", "items": {"type": "string"}},
    "timers": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "shutdown_grace_s": {"type": "number", "minimum": 0},
        "keyframe_request_interval_s": {"type": "number", "minimum": 0}
      }
    },
    "state_dir": {"type": "string", "minLength": 1},
    "rtc": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "gather_addresses": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "stun": {"type": "string", "pattern": "^[^:]+:[0-9]{1,5}$"},
        "turn": {
          "type": "array",
          "items": {
            "type": "object",
            "additionalProperties": false,
            "required": ["host", "username", "password"],
            "properties": {
              "host": {"type": "string", "minLength": 1},
              "port": {"type": "integer", "minimum": 1, "maximum": 65535},
              "transport": {"enum": ["udp", "tcp"]},
              "username": {"type": "string"},
              "password": {"type": "string"}
            }
          }
        },
        "ice_timeout_s": {"type": "number", "minimum": 1},
        "srtp_key_log": {"type": "string", "minLength": 1}
      }
    },
    "control": {
      "type": "object",
      "additionalProperties": false,
      "properties": {
        "listen": {"type": "string", "minLength": 1},
        "token": {"type": "string", "minLength": 1}
      }
    },
    "nodes": {
      "type": "array",
      "minItems": 1,
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["name", "type"],
        "properties": {
          "name": {"type": "string", "pattern": "^[A-Za-z0-9_-]+$"},
          "type": {"type": "string", "pattern": "^[a-z0-9_]+\\.[a-z0-9_]+$"},
          "config": {"type": "object"}
        }
      }
    },
    "links": {
      "type": "array",
      "items": {
        "type": "object",
        "additionalProperties": false,
        "required": ["from", "to"],
        "properties": {
          "from": {"type": "string", "pattern": "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$"},
          "to": {"type": "string", "pattern": "^[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+$"},
          "convert": {"enum": ["none", "auto"]},
          "queue": {"type": "integer", "minimum": 1, "maximum": 1024}
        }
      }
    }
  }
})json";

Result<ControlSpec> parse_control(const rapidjson::Value& c, const std::string& origin) {
    ControlSpec control;
    if (c.HasMember("listen")) {
        const std::string listen = c["listen"].GetString();
        auto endpoint = http::parse_listen(listen);
        if (!endpoint)
            return Error::invalid(origin +
                                  ": /control/listen: expected host:port with an IP address or localhost "
                                  "(\"127.0.0.1:8890\", \"[::1]:8890\"), found \"" +
                                  listen + "\"");
        control.listen = *endpoint;
    }
    if (c.HasMember("token")) control.token = c["token"].GetString();
    // Off loopback anyone who reaches the port could place calls from the camera.
    if (!control.token && !control.listen.address().is_loopback())
        return Error::invalid(origin + ": /control/token: required when listen (" +
                              control.listen.address().to_string() +
                              ") is not a loopback address; set it with \"${env:NAME}\"");
    return control;
}

PortName split_port(const rapidjson::Value& v) {
    std::string s(v.GetString(), v.GetStringLength());
    auto dot = s.find('.');
    return {s.substr(0, dot), s.substr(dot + 1)};
}

}  // namespace

Result<GraphConfig> parse_graph_config(std::string_view text, const std::string& origin, const std::string& base_dir) {
    auto doc = std::make_shared<rapidjson::Document>();
    if (auto r = parse_json(text, origin, *doc); !r) return r.error();

    auto redactions = substitute_references(*doc, base_dir);
    if (!redactions) return Error::invalid(origin + ": " + redactions.error().message);

    static const auto schema = [] {
        auto s = JsonSchema::compile(top_level_schema, "the config schema");
        return s ? s.value() : nullptr;
    }();
    if (!schema) return Error::runtime("internal error: the embedded config schema does not compile");
    if (auto r = schema->validate(*doc, "", redactions.value()); !r)
        return Error::invalid(origin + ": " + r.error().message);

    GraphConfig config;
    config.path = origin;
    config.document = doc;
    config.redactions = std::move(redactions.value());
    const auto& root = *doc;
    if (root.HasMember("description")) config.description = root["description"].GetString();
    if (root.HasMember("duration_s")) config.duration_s = root["duration_s"].GetDouble();
    if (root.HasMember("workers")) config.workers = root["workers"].GetUint();
    if (root.HasMember("log_level")) config.log_level = *log_level_from_string(root["log_level"].GetString());
    if (root.HasMember("plugin_path")) {
        for (auto& p : root["plugin_path"].GetArray()) {
            std::filesystem::path dir(p.GetString());
            if (dir.is_relative()) dir = std::filesystem::path(base_dir) / dir;
            config.plugin_path.push_back(dir.lexically_normal().string());
        }
    }
    if (root.HasMember("timers")) {
        const auto& t = root["timers"];
        if (t.HasMember("shutdown_grace_s")) config.timers.shutdown_grace_s = t["shutdown_grace_s"].GetDouble();
        if (t.HasMember("keyframe_request_interval_s"))
            config.timers.keyframe_request_interval_s = t["keyframe_request_interval_s"].GetDouble();
    }

    if (root.HasMember("state_dir")) {
        std::filesystem::path dir(root["state_dir"].GetString());
        if (dir.is_relative()) dir = std::filesystem::path(base_dir) / dir;
        config.state_dir = dir.lexically_normal().string();
    }
    if (root.HasMember("rtc")) {
        const auto& r = root["rtc"];
        if (r.HasMember("gather_addresses"))
            for (const auto& a : r["gather_addresses"].GetArray())
                config.rtc.gather_addresses.emplace_back(a.GetString());
        if (r.HasMember("srtp_key_log")) {
            std::filesystem::path log(r["srtp_key_log"].GetString());
            if (log.is_relative()) log = std::filesystem::path(base_dir) / log;
            config.rtc.srtp_key_log = log.lexically_normal().string();
        }
        if (r.HasMember("stun")) {
            const std::string stun = r["stun"].GetString();
            const auto colon = stun.rfind(':');
            const auto port = std::stoul(stun.substr(colon + 1));
            if (port == 0 || port > 65535)
                return Error::invalid(origin + ": /rtc/stun: port " + stun.substr(colon + 1) + " is out of range");
            config.rtc.stun = {stun.substr(0, colon), std::uint16_t(port)};
        }
        if (r.HasMember("turn"))
            for (const auto& t : r["turn"].GetArray()) {
                TurnSpec turn;
                turn.host = t["host"].GetString();
                if (t.HasMember("port")) turn.port = std::uint16_t(t["port"].GetUint());
                turn.tcp = t.HasMember("transport") && std::string_view(t["transport"].GetString()) == "tcp";
                turn.username = t["username"].GetString();
                turn.password = t["password"].GetString();
                config.rtc.turn.push_back(std::move(turn));
            }
        if (r.HasMember("ice_timeout_s")) config.rtc.ice_timeout_s = r["ice_timeout_s"].GetDouble();
    }

    if (root.HasMember("control")) {
        auto control = parse_control(root["control"], origin);
        if (!control) return control.error();
        config.control = std::move(control.value());
    }

    static const rapidjson::Value empty_object(rapidjson::kObjectType);
    std::set<std::string> names;
    const auto& nodes = root["nodes"];
    for (rapidjson::SizeType i = 0; i < nodes.Size(); ++i) {
        const auto& n = nodes[i];
        NodeSpec spec;
        spec.pointer = "/nodes/" + std::to_string(i);
        spec.name = n["name"].GetString();
        spec.type = n["type"].GetString();
        spec.config = n.HasMember("config") ? &n["config"] : &empty_object;
        if (!names.insert(spec.name).second)
            return Error::invalid(origin + ": " + spec.pointer + "/name: duplicate node name \"" + spec.name + "\"");
        config.nodes.push_back(std::move(spec));
    }
    if (root.HasMember("links")) {
        const auto& links = root["links"];
        for (rapidjson::SizeType i = 0; i < links.Size(); ++i) {
            const auto& l = links[i];
            LinkSpec spec;
            spec.pointer = "/links/" + std::to_string(i);
            spec.from = split_port(l["from"]);
            spec.to = split_port(l["to"]);
            spec.convert_auto = l.HasMember("convert") && std::string_view(l["convert"].GetString()) == "auto";
            if (l.HasMember("queue")) spec.queue = l["queue"].GetUint();
            config.links.push_back(std::move(spec));
        }
    }
    return config;
}

Result<GraphConfig> load_graph_config(const std::string& path) {
    auto text = read_text_file(path);
    if (!text) return text.error();
    auto base = std::filesystem::absolute(path).parent_path().string();
    return parse_graph_config(text.value(), path, base);
}

}  // namespace switchboard::core
