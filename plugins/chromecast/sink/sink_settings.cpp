// chromecast.sink config: schema and parsing; see sink_settings.hpp.
#include "sink_settings.hpp"

#include <cmath>

#include "http/listen_address.hpp"

namespace switchboard::chromecast {

const char* const sink_schema = R"({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "chromecast.sink",
  "description": "Shows each call of the station upstream on a Chromecast: the TV app launches when the call rings and stops when it ends.",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "host":        {"type": "string", "minLength": 1, "description": "The TV's address (or use name)."},
    "port":        {"type": "integer", "minimum": 1, "maximum": 65535, "default": 8009, "description": "The TV's CASTV2 port."},
    "name":        {"type": "string", "minLength": 1, "description": "The TV's name as its Google Home app shows it, found through mDNS (_googlecast._tcp); instead of host."},
    "discovery_timeout_s": {"type": "number", "minimum": 0.5, "maximum": 60, "default": 5, "description": "How long mDNS may take to find name."},
    "mode":        {"enum": ["webrtc", "media"], "default": "webrtc",
                    "description": "webrtc: a web receiver app shows our TV page, which plays the call over WHEP (well under half a second). media: the Default Media Receiver plays low-latency HLS (some 1.6 s behind); for receivers without a browser app."},
    "app_id":      {"type": "string", "pattern": "^[0-9A-Fa-f]{8}$", "description": "The receiver app: 84912283 (DashCast) in webrtc mode, CC1AD845 (Default Media Receiver) in media mode, or an app id you registered."},
    "app_namespace": {"type": "string", "pattern": "^urn:x-cast:", "default": "urn:x-cast:com.madmod.dashcast", "description": "webrtc mode: the namespace the web receiver takes {url, force, reload, reload_time} on."},
    "listen":      {"type": "string", "minLength": 3, "default": "0.0.0.0:8899", "description": "host:port the TV fetches the page and media from. Every URL carries a token made for the one call, so nothing else on the LAN can watch."},
    "advertised_base_url": {"type": "string", "pattern": "^https?://[^/]+$",
                    "description": "How the TV reaches listen, e.g. http://192.168.1.10:8899 (the TV cannot reach loopback). Required unless listen names one address."},
    "heartbeat_interval_s": {"type": "number", "minimum": 0.1, "maximum": 60, "default": 5, "description": "PING interval."},
    "dead_after_s": {"type": "number", "minimum": 0.3, "maximum": 600, "default": 20, "description": "A TV silent this long is dead: reconnect."},
    "connect_timeout_s": {"type": "number", "minimum": 0.1, "maximum": 120, "default": 10, "description": "TCP connect plus TLS handshake."},
    "reconnect_max_s": {"type": "number", "minimum": 0.1, "maximum": 600, "default": 10, "description": "Cap of the reconnect back-off (it starts at 0.5 s)."},
    "yield_to_other_apps": {"type": "boolean", "default": true, "description": "When someone switches the TV to another app during a call, leave it (false: take the TV back)."},
    "low_latency": {"type": "boolean", "default": true, "description": "media mode: false serves plain HLS (segments only), what most Chromecast integrations serve; for comparison."},
    "part_target_s": {"type": "number", "minimum": 0.1, "maximum": 0.5, "default": 0.334, "description": "media mode: LL-HLS part duration target."},
    "segment_target_s": {"type": "number", "minimum": 0.5, "maximum": 10, "default": 2, "description": "media mode: segment duration target (segments start on keyframes)."}
  }
})";

namespace {

std::chrono::milliseconds millis(double seconds) {
    return std::chrono::milliseconds(std::int64_t(std::llround(seconds * 1000.0)));
}

}  // namespace

Result<SinkSettings> SinkSettings::from(const NodeConfig& config) {
    SinkSettings s;
    s.host = config.string_or("host", "");
    s.name = config.string_or("name", "");
    if (s.host.empty() == s.name.empty())
        return Error::invalid(config.pointer() + ": give the TV as exactly one of \"host\" (its address) or \"name\" " +
                              "(found through mDNS)");
    s.port = std::uint16_t(config.integer_or("port", s.port));
    s.discovery_timeout = millis(config.number_or("discovery_timeout_s", 5));

    s.mode = config.string_or("mode", "webrtc") == "media" ? DeliveryMode::media : DeliveryMode::webrtc;
    s.app_id =
        config.string_or("app_id", s.mode == DeliveryMode::webrtc ? dashcast_app_id : default_media_receiver_app_id);
    s.app_namespace = config.string_or("app_namespace", s.app_namespace);

    const std::string listen = config.string_or("listen", "0.0.0.0:8899");
    auto endpoint = http::parse_listen(listen);
    if (!endpoint)
        return Error::invalid(config.pointer_to("listen") +
                              ": expected host:port with an IP address (\"0.0.0.0:8899\"), " + "found \"" + listen +
                              "\"");
    s.listen = *endpoint;
    s.advertised_base_url = config.string_or("advertised_base_url", "");
    if (s.advertised_base_url.empty()) {
        const auto address = s.listen.address();
        if (address.is_unspecified())
            return Error::invalid(config.pointer_to("advertised_base_url") + ": required when listen (" + listen +
                                  ") is every address: set it to how the TV reaches this machine, e.g. " +
                                  "\"http://192.168.1.10:" + std::to_string(s.listen.port()) + "\"");
        const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
        s.advertised_base_url = "http://" + host + ":" + std::to_string(s.listen.port());
    }

    s.heartbeat_interval = millis(config.number_or("heartbeat_interval_s", 5));
    s.dead_after = millis(config.number_or("dead_after_s", 20));
    if (s.dead_after <= s.heartbeat_interval)
        return Error::invalid(config.pointer_to("dead_after_s") + ": must be longer than heartbeat_interval_s (" +
                              std::to_string(s.heartbeat_interval.count()) + " ms), or a TV that answers every " +
                              "PING is declared dead");
    s.connect_timeout = millis(config.number_or("connect_timeout_s", 10));
    s.reconnect_max = std::max(millis(config.number_or("reconnect_max_s", 10)), s.reconnect_min);
    s.yield_to_other_apps = config.boolean_or("yield_to_other_apps", true);
    s.low_latency = config.boolean_or("low_latency", true);
    s.part_target = std::chrono::microseconds(std::llround(config.number_or("part_target_s", 0.334) * 1e6));
    s.segment_target = std::chrono::microseconds(std::llround(config.number_or("segment_target_s", 2) * 1e6));
    if (s.segment_target < 2 * s.part_target)
        return Error::invalid(config.pointer_to("segment_target_s") + ": must hold at least two parts (part_target_s " +
                              std::to_string(double(s.part_target.count()) / 1e6) + ")");
    return s;
}

}  // namespace switchboard::chromecast
