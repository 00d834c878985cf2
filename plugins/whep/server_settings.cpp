// whep.server config: schema and parsing; see server_settings.hpp.
#include "server_settings.hpp"

#include "http/listen_address.hpp"

namespace switchboard::whep {

const char* const server_schema = R"({
  "$schema": "http://json-schema.org/draft-04/schema#",
  "title": "whep.server",
  "description": "WHEP (draft-ietf-wish-whep) viewers and WHIP (RFC 9725) publishers over HTTP, and a viewer page at /.",
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "listen":       {"type": "string", "minLength": 3, "default": "127.0.0.1:8889",
                     "description": "host:port to listen on (an IP address or localhost; [::1]:8889 for IPv6; port 0 picks a free one)."},
    "token":        {"type": "string", "minLength": 1,
                     "description": "Bearer token WHEP/WHIP requests must carry. Required unless listen is a loopback address. Use ${env:NAME}."},
    "max_sessions": {"type": "integer", "minimum": 1, "maximum": 1024, "default": 16,
                     "description": "Viewers and publishers at once; more get 503."},
    "read_timeout_s": {"type": "number", "minimum": 0.05, "maximum": 300, "default": 10,
                     "description": "How long a client may take to send a request before its connection is closed."}
  }
})";

Result<ServerSettings> ServerSettings::from(const NodeConfig& config) {
    ServerSettings s;
    if (auto listen = config.string("listen")) {
        auto endpoint = http::parse_listen(*listen);
        if (!endpoint)
            return Error::invalid(config.pointer_to("listen") +
                                  ": expected host:port with an IP address or localhost (" +
                                  "\"127.0.0.1:8889\", \"[::1]:8889\"), found \"" + *listen + "\"");
        s.listen = *endpoint;
    }
    s.token = config.string("token");
    if (s.token && s.token->empty()) s.token.reset();
    if (!s.token && !s.listen.address().is_loopback())
        return Error::invalid(config.pointer_to("token") + ": required when listen (" + s.listen.address().to_string() +
                              ") is not a loopback address, or anyone who reaches the port may watch and publish; " +
                              "set it with \"${env:NAME}\"");
    s.max_sessions = int(config.integer_or("max_sessions", s.max_sessions));
    if (s.max_sessions < 1) return Error::invalid(config.pointer_to("max_sessions") + ": must be at least 1");
    const double timeout_s = config.number_or("read_timeout_s", 10.0);
    if (!(timeout_s > 0)) return Error::invalid(config.pointer_to("read_timeout_s") + ": must be positive");
    s.read_timeout = std::chrono::milliseconds(std::int64_t(timeout_s * 1000.0 + 0.5));
    return s;
}

}  // namespace switchboard::whep
