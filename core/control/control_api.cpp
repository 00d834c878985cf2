// The control API's requests; see control_api.hpp.
#include "control/control_api.hpp"

#include <utility>

#include <boost/asio/steady_timer.hpp>

#include "http/http_util.hpp"

namespace switchboard::core {

namespace {

http::Response error_response(http::status status, std::string_view message) {
    return json_response(status, error_json(message));
}

http::Response method_not_allowed(const char* allow) {
    auto r = error_response(http::status::method_not_allowed, std::string("method not allowed; allowed: ") + allow);
    r.set(http::field::allow, allow);
    return r;
}

http::status status_of(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::invalid:
            return http::status::bad_request;
        case ErrorKind::not_found:
            return http::status::not_found;
        case ErrorKind::unavailable:
            return http::status::conflict;
        case ErrorKind::runtime:
            break;
    }
    return http::status::internal_server_error;
}

/// The path's segments, percent-decoded, query dropped: "/calls/a%20b?x" -> {"calls",
/// "a b"}; nullopt for a malformed escape.
std::optional<std::vector<std::string>> segments(std::string_view target) {
    target = target.substr(0, target.find('?'));
    std::vector<std::string> out;
    while (!target.empty()) {
        if (target.front() == '/') target.remove_prefix(1);
        const auto slash = target.find('/');
        auto segment = http::percent_decode(target.substr(0, slash));
        if (!segment) return std::nullopt;
        out.push_back(std::move(*segment));
        target.remove_prefix(slash == std::string_view::npos ? target.size() : slash);
    }
    return out;
}

std::string_view text(boost::beast::string_view s) noexcept {
    return {s.data(), s.size()};
}

/// One place_call waiting for its station. The timer's wait owns it; the station's
/// handler only holds it weakly, so whichever comes second finds it answered (or gone)
/// and does nothing.
struct PendingPlace {
    explicit PendingPlace(boost::asio::any_io_executor io) : timer(io) {}
    boost::asio::steady_timer timer;
    http::Reply reply;
    bool answered = false;
};

}  // namespace

http::Response json_response(http::status status, std::string body) {
    http::Response r{status, 11};
    r.set(http::field::content_type, "application/json");
    r.set(http::field::cache_control, "no-store");
    r.body() = std::move(body);
    return r;
}

ControlApi::ControlApi(boost::asio::any_io_executor io, std::vector<StationEntry> stations, ControlApiOptions options,
                       std::shared_ptr<Logger> log)
    : m_io(std::move(io)), m_stations(std::move(stations)), m_options(std::move(options)), m_log(std::move(log)) {}

bool ControlApi::authorized(const http::Request& request) const {
    if (!m_options.token) return true;
    const auto header = request.find(http::field::authorization);
    if (header == request.end()) return false;
    const auto token = http::bearer_token(text(header->value()));
    return token && http::constant_time_equal(*token, *m_options.token);
}

const StationEntry* ControlApi::find(const std::string& name) const {
    for (const auto& entry : m_stations)
        if (entry.info.name == name) return &entry;
    return nullptr;
}

void ControlApi::handle(http::Request&& request, http::Reply reply) {
    if (!authorized(request)) {
        auto r = error_response(http::status::unauthorized, "a valid \"Authorization: Bearer <token>\" is required");
        r.set(http::field::www_authenticate, "Bearer");
        return reply(std::move(r));
    }
    const auto path = segments(text(request.target()));
    if (!path) return reply(error_response(http::status::bad_request, "malformed percent-escape in the path"));
    const auto method = request.method();
    const auto& p = *path;
    if (p.size() == 1 && p[0] == "health") {
        if (method != http::verb::get) return reply(method_not_allowed("GET"));
        return reply(json_response(http::status::ok, health_json()));
    }
    if (p.size() == 1 && p[0] == "stations") {
        if (method != http::verb::get) return reply(method_not_allowed("GET"));
        std::vector<StationInfo> infos;
        for (const auto& entry : m_stations) infos.push_back(entry.info);
        return reply(json_response(http::status::ok, stations_json(infos)));
    }
    if (p.size() == 1 && p[0] == "calls") {
        if (method != http::verb::get) return reply(method_not_allowed("GET"));
        return reply(list_calls());
    }
    if (p.size() == 3 && p[0] == "stations" && p[2] == "call") {
        if (method != http::verb::post) return reply(method_not_allowed("POST"));
        return place_call(p[1], request, std::move(reply));
    }
    if (p.size() == 2 && p[0] == "calls") {
        if (method != http::verb::delete_) return reply(method_not_allowed("DELETE"));
        return reply(end_call(p[1]));
    }
    reply(error_response(http::status::not_found, "no such resource: " + std::string(text(request.target()))));
}

http::Response ControlApi::list_calls() const {
    std::vector<StationCall> all;
    for (const auto& entry : m_stations) {
        auto calls = entry.station->calls();
        all.insert(all.end(), std::make_move_iterator(calls.begin()), std::make_move_iterator(calls.end()));
    }
    return json_response(http::status::ok, calls_json(all));
}

void ControlApi::place_call(const std::string& name, const http::Request& request, http::Reply reply) {
    const auto* entry = find(name);
    if (!entry) return reply(error_response(http::status::not_found, "no station named \"" + name + "\""));
    auto call_request = parse_call_request(request.body());
    if (!call_request) return reply(error_response(http::status::bad_request, call_request.error().message));

    auto pending = std::make_shared<PendingPlace>(m_io);
    pending->reply = std::move(reply);
    const auto timeout = m_options.place_timeout;
    pending->timer.expires_after(timeout);
    pending->timer.async_wait([pending, name, timeout, log = m_log](boost::system::error_code error) {
        if (error || pending->answered) return;
        pending->answered = true;
        SWITCHBOARD_LOG(*log, warn,
                        "station \"" << name << "\" did not place the call in " << timeout.count() << " ms");
        pending->reply(error_response(http::status::gateway_timeout, "station \"" + name + "\" did not answer in " +
                                                                         std::to_string(timeout.count()) + " ms"));
    });
    SWITCHBOARD_LOG(*m_log, info,
                    "placing a call from \""
                        << name << "\" to "
                        << (call_request->target.empty() ? "its default target" : "\"" + call_request->target + "\""));
    std::weak_ptr<PendingPlace> weak = pending;
    entry->station->place_call(std::move(call_request.value()), [weak, name, log = m_log](Result<StationCall> placed) {
        auto pending = weak.lock();
        if (!pending || pending->answered) {
            // The client got 504 already, but the call may ring all the same.
            if (placed)
                SWITCHBOARD_LOG(*log, warn,
                                "call=" << placed->id << " placed by \"" << name
                                        << "\" after its request timed out; DELETE /calls/" << placed->id
                                        << " ends it");
            return;
        }
        pending->answered = true;
        pending->timer.cancel();
        if (!placed) {
            SWITCHBOARD_LOG(*log, info,
                            "station \"" << name << "\" did not place the call: " << placed.error().message);
            return pending->reply(error_response(status_of(placed.error().kind), placed.error().message));
        }
        SWITCHBOARD_LOG(*log, info, "call=" << placed->id << " placed by \"" << name << "\" to " << placed->peer);
        pending->reply(json_response(http::status::created, placed_json(placed.value())));
    });
}

http::Response ControlApi::end_call(const std::string& id) {
    for (const auto& entry : m_stations) {
        for (const auto& call : entry.station->calls()) {
            if (call.id != id || call.state == CallState::ended) continue;
            if (auto ended = entry.station->end_call(id); !ended)
                return error_response(status_of(ended.error().kind), ended.error().message);
            SWITCHBOARD_LOG(*m_log, info, "call=" << id << " ended through the control API");
            return json_response(http::status::ok, ended_json(id));
        }
    }
    return error_response(http::status::not_found, "no running call with id \"" + id + "\"");
}

}  // namespace switchboard::core
