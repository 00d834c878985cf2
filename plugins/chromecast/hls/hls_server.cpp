#include "hls/hls_server.hpp"

#include "http/http_server.hpp"

namespace switchboard::hls {

namespace http = switchboard::http;

namespace {

constexpr const char* playlist_type = "application/vnd.apple.mpegurl";

/// CORS (Fetch standard §3.2): the receiver app's origin is not ours.
void allow_cross_origin(http::Response& res) {
    res.set("Access-Control-Allow-Origin", "*");
    res.set("Access-Control-Expose-Headers", "Content-Length, Content-Type");
}

http::Response make(const http::Request& req, http::status status, std::string_view type, std::string body,
                    std::string_view cache) {
    http::Response res(status, req.version());
    res.set(http::field::content_type, std::string(type));
    res.set(http::field::cache_control, std::string(cache));
    allow_cross_origin(res);
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    return res;
}

http::Response text(const http::Request& req, http::status status, std::string body) {
    return make(req, status, "text/plain; charset=utf-8", std::move(body) + "\n", "no-store");
}

}  // namespace

struct HlsServer::State : std::enable_shared_from_this<State> {
    std::shared_ptr<Logger> log;
    std::map<std::string, std::shared_ptr<HlsStream>, std::less<>> streams;

    void handle(http::Request&& req, http::Reply reply);
    void serve(const http::Request& req, const HlsTarget& target, HlsStream& stream, const http::Reply& reply);
    /// Answers once `stream` has what `target` asks for.
    void after_wait(http::Request req, HlsTarget target, std::uint64_t msn, std::optional<std::uint32_t> part,
                    http::Reply reply);
};

void HlsServer::State::handle(http::Request&& req, http::Reply reply) {
    if (req.method() == http::verb::options) {
        http::Response res(http::status::no_content, req.version());
        allow_cross_origin(res);
        res.set("Access-Control-Allow-Methods", "GET, OPTIONS");
        // Whatever headers the preflight names (Range, say) may be sent.
        auto asked = req[http::field::access_control_request_headers];
        if (!asked.empty()) res.set("Access-Control-Allow-Headers", asked);
        res.set("Access-Control-Max-Age", "600");
        res.keep_alive(req.keep_alive());
        reply(std::move(res));
        return;
    }
    if (req.method() != http::verb::get) {
        auto res = text(req, http::status::method_not_allowed,
                        "only GET and OPTIONS (core/http sizes every body, so HEAD is not offered)");
        res.set(http::field::allow, "GET, OPTIONS");
        reply(std::move(res));
        return;
    }
    TargetParse parsed = parse_hls_target(std::string_view(req.target().data(), req.target().size()));
    if (parsed.status == TargetParse::Status::bad_request) {
        reply(text(req, http::status::bad_request, parsed.reason));
        return;
    }
    auto it = parsed.status == TargetParse::Status::ok ? streams.find(parsed.target.token) : streams.end();
    if (it == streams.end()) {
        reply(text(req, http::status::not_found, "no such stream or resource"));
        return;
    }
    const HlsTarget& t = parsed.target;
    HlsStream& stream = *it->second;
    using R = HlsTarget::Resource;
    // What to wait for first, if anything: the asked part or segment; a plain playlist
    // or init request before the first part waits for that part.
    std::optional<std::pair<std::uint64_t, std::optional<std::uint32_t>>> wait;
    if (!stream.playlist().settings().low_latency) {
        // Plain HLS: no parts, no blocking; only the first requests wait for a first
        // segment to list (and a playlist with no segment would stall some players).
        if (t.resource == R::part) {
            reply(text(req, http::status::not_found, "plain HLS stream: no parts"));
            return;
        }
        bool first = t.resource == R::multivariant || t.resource == R::media_playlist || t.resource == R::init;
        if (first && stream.playlist().next_msn() == 0) wait = {{0, std::nullopt}};
    } else if (t.resource == R::media_playlist && t.block_msn) {
        wait = {{*t.block_msn, t.block_part}};
    } else if (t.resource == R::part && !stream.part(t.msn, t.index)) {
        const auto& pl = stream.playlist();
        bool hinted =
            t.msn == pl.next_msn() ? t.index == pl.parts_in_progress() : (t.msn == pl.next_msn() + 1 && t.index == 0);
        if (hinted) wait = {{t.msn, t.index}};
    } else if (t.resource == R::segment && !stream.segment(t.msn) && t.msn == stream.playlist().next_msn()) {
        wait = {{t.msn, std::nullopt}};
    } else if (!stream.has_init() || stream.playlist().parts_in_progress() + stream.playlist().next_msn() == 0) {
        if (t.resource != R::part && t.resource != R::segment) wait = {{0, 0}};
    }
    if (!wait) {
        serve(req, t, stream, reply);
        return;
    }
    after_wait(std::move(req), t, wait->first, wait->second, std::move(reply));
}

void HlsServer::State::after_wait(http::Request req, HlsTarget target, std::uint64_t msn,
                                  std::optional<std::uint32_t> part, http::Reply reply) {
    auto stream = streams.at(target.token);
    stream->wait_for(msn, part,
                     [self = shared_from_this(), req = std::move(req), target, reply](HlsStream::Wait result) {
                         auto it = self->streams.find(target.token);
                         if (it == self->streams.end() || result == HlsStream::Wait::closed) {
                             reply(text(req, http::status::not_found, "the stream ended"));
                         } else if (result == HlsStream::Wait::too_far) {
                             // §6.2.5.2: too far ahead to wait for.
                             reply(text(req, http::status::bad_request, "_HLS_msn/_HLS_part too far in the future"));
                         } else if (result == HlsStream::Wait::timed_out) {
                             // §6.2.5.2: not there within three target durations.
                             reply(text(req, http::status::service_unavailable, "the part did not come in time"));
                         } else {
                             self->serve(req, target, *it->second, reply);
                         }
                     });
}

void HlsServer::State::serve(const http::Request& req, const HlsTarget& t, HlsStream& stream,
                             const http::Reply& reply) {
    using R = HlsTarget::Resource;
    // Parts and segments never change under their name; an hour is more than any window.
    constexpr std::string_view immutable = "public, max-age=3600";
    http::Response res;
    HlsStream::Bytes bytes;
    switch (t.resource) {
        case R::multivariant: {
            std::string body = stream.multivariant_playlist();
            if (body.empty()) {
                reply(text(req, http::status::service_unavailable, "the stream has not started"));
                return;
            }
            res = make(req, http::status::ok, playlist_type, std::move(body), "no-cache");
            break;
        }
        case R::media_playlist:
            res = make(req, http::status::ok, playlist_type, stream.media_playlist(), "no-cache");
            break;
        case R::init:
            bytes = stream.init();
            if (bytes) res = make(req, http::status::ok, "video/mp4", *bytes, immutable);
            break;
        case R::segment:
            bytes = stream.segment(t.msn);
            if (bytes) res = make(req, http::status::ok, "video/iso.segment", *bytes, immutable);
            break;
        case R::part:
            bytes = stream.part(t.msn, t.index);
            if (bytes) res = make(req, http::status::ok, "video/iso.segment", *bytes, immutable);
            break;
    }
    if (t.resource != R::multivariant && t.resource != R::media_playlist && !bytes) {
        reply(text(req, http::status::not_found, "no such part or segment (any more)"));
        return;
    }
    reply(std::move(res));
}

HlsServer::HlsServer(boost::asio::any_io_executor io, std::shared_ptr<Logger> log)
    : m_state(std::make_shared<State>()) {
    m_state->log = log;
    m_server = std::make_shared<http::HttpServer>(
        std::move(io), http::HttpLimits{},
        [state = m_state](http::Request&& req, http::Reply reply) { state->handle(std::move(req), std::move(reply)); },
        std::move(log));
}

HlsServer::~HlsServer() {
    close();
}

Result<boost::asio::ip::tcp::endpoint> HlsServer::listen(const boost::asio::ip::tcp::endpoint& endpoint) {
    return m_server->listen(endpoint);
}

Result<void> HlsServer::add_stream(const std::string& token, std::shared_ptr<HlsStream> stream) {
    if (!valid_token(token)) return Error::invalid("hls server: a stream token is 1-128 of [A-Za-z0-9_-]");
    if (!m_state->streams.emplace(token, std::move(stream)).second)
        return Error::invalid("hls server: a stream already has that token");
    return {};
}

void HlsServer::remove_stream(const std::string& token) {
    auto it = m_state->streams.find(token);
    if (it == m_state->streams.end()) return;
    auto stream = it->second;
    m_state->streams.erase(it);
    stream->close();
}

void HlsServer::close() noexcept {
    m_server->close();
    for (auto& [token, stream] : m_state->streams) stream->close();
}

}  // namespace switchboard::hls
