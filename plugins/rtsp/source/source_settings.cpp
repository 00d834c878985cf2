#include "rtsp/source/source_settings.hpp"

namespace switchboard::rtsp {

const char* const source_schema = R"({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "rtsp.source",
  "description": "An IP camera over RTSP: its video (H264, H265, MJPEG) and audio (AAC, G.711, Opus), codecs read from its SDP.",
  "type": "object",
  "additionalProperties": false,
  "required": ["url"],
  "properties": {
    "url":       {"type": "string", "pattern": "^[Rr][Tt][Ss][Pp][Ss]?://",
                  "description": "rtsp://host[:port]/path or rtsps:// (RTSP over TLS). Credentials belong in user/password, not here."},
    "user":      {"type": "string", "minLength": 1, "description": "User name for Basic or Digest sign-in."},
    "password":  {"type": "string", "description": "Password; use ${env:NAME}, it is never logged."},
    "transport": {"enum": ["tcp", "udp"], "default": "tcp",
                  "description": "RTP over the RTSP connection (tcp, interleaved) or over UDP port pairs."},
    "tls":       {"type": "object", "additionalProperties": false,
                  "description": "For rtsps:// URLs.",
                  "properties": {
                    "verify":  {"type": "boolean", "default": true,
                                "description": "Check the camera's certificate and host name. false accepts any certificate (logged as a warning)."},
                    "ca_file": {"type": "string", "minLength": 1,
                                "description": "PEM file of a CA (or the camera's own self-signed certificate) to trust."}
                  }},
    "audio":     {"type": "boolean", "default": true, "description": "Offer the camera's audio on output port 1."},
    "timeout_ms": {"type": "integer", "minimum": 100, "maximum": 120000, "default": 10000,
                   "description": "Connecting, and each RTSP answer, must take less than this."},
    "no_media_timeout_ms": {"type": "integer", "minimum": 100, "maximum": 600000, "default": 5000,
                   "description": "A camera that sends no RTP for this long is reconnected."},
    "reconnect_min_ms": {"type": "integer", "minimum": 10, "maximum": 600000, "default": 250,
                   "description": "First wait before reconnecting; doubles on each failure."},
    "reconnect_max_ms": {"type": "integer", "minimum": 10, "maximum": 3600000, "default": 30000,
                   "description": "Cap of the doubling wait between reconnects."},
    "expect":    {"type": "object", "additionalProperties": false,
                  "description": "What the camera sends, so the gateway can start while the camera is unreachable (it is retried); without it the camera must answer at start. Checked against the camera's SDP once it answers.",
                  "properties": {
                    "video": {"enum": ["h264", "h265", "mjpeg", "none"], "default": "h264"},
                    "audio": {"enum": ["aac", "pcmu", "pcma", "opus", "none"], "default": "none"}
                  }}
  }
})";

Result<SourceSettings> SourceSettings::from(const NodeConfig& config) {
    SourceSettings s;
    auto url = parse_rtsp_url(config.string_or("url", ""));
    if (!url) return Error::invalid(config.pointer_to("url") + ": " + url.error().message);
    s.url = std::move(url).value();
    if (auto user = config.string("user")) {
        if (!s.url.user.empty())
            return Error::invalid(config.pointer_to("user") +
                                  ": the URL carries credentials too; keep them in user/password only");
        s.url.user = *user;
        s.url.password = config.string_or("password", "");
    } else if (config.has("password")) {
        return Error::invalid(config.pointer_to("password") + ": set user as well");
    }
    s.transport = config.string_or("transport", "tcp") == "udp" ? MediaTransport::udp : MediaTransport::tcp;
    if (auto it = config.json().FindMember("tls"); it != config.json().MemberEnd()) {
        NodeConfig tls(it->value, config.pointer_to("tls"));
        s.tls.verify = tls.boolean_or("verify", true);
        s.tls.ca_file = tls.string_or("ca_file", "");
        if (!s.url.tls) return Error::invalid(tls.pointer() + ": only for rtsps:// URLs");
    }
    s.audio = config.boolean_or("audio", s.audio);
    s.timeout = std::chrono::milliseconds(config.integer_or("timeout_ms", s.timeout.count()));
    s.no_media = std::chrono::milliseconds(config.integer_or("no_media_timeout_ms", s.no_media.count()));
    s.reconnect_min = std::chrono::milliseconds(config.integer_or("reconnect_min_ms", s.reconnect_min.count()));
    s.reconnect_max = std::chrono::milliseconds(config.integer_or("reconnect_max_ms", s.reconnect_max.count()));
    if (auto it = config.json().FindMember("expect"); it != config.json().MemberEnd()) {
        NodeConfig expect(it->value, config.pointer_to("expect"));
        for (const char* kind : {"video", "audio"}) {
            const std::string name = expect.string_or(kind, kind == std::string("video") ? "h264" : "none");
            if (name == "none") continue;
            Format f;
            f.kind = kind == std::string("video") ? MediaKind::video : MediaKind::audio;
            // The schema's names are the SDK's codec names, in lower case.
            f.codec = codec_from_string(name).value_or(Codec::any);
            // RTP clocks (RFC 3551, 7587); AAC's is its sample rate, unknown until the SDP.
            if (f.kind == MediaKind::video)
                f.clock_rate = 90000;
            else if (f.codec == Codec::opus)
                f.clock_rate = 48000;
            else if (f.codec != Codec::aac)
                f.clock_rate = 8000;
            if (f.codec == Codec::h264) f.packetization_mode = 1;
            s.expect.push_back(f);
        }
        if (s.expect.empty()) return Error::invalid(expect.pointer() + ": expects neither video nor audio");
    }
    if (s.reconnect_max < s.reconnect_min)
        return Error::invalid(config.pointer_to("reconnect_max_ms") + ": must not be below reconnect_min_ms");
    return s;
}

}  // namespace switchboard::rtsp
