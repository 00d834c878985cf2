// whep.server; see server_node.hpp.
#include "server_node.hpp"

#include <atomic>
#include <chrono>
#include <future>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include "http/http_server.hpp"
#include "http/page_response.hpp"
#include "session_service.hpp"
#include "viewer_page.hpp"

namespace switchboard::whep {

namespace {

Format format(MediaKind kind, Codec codec) {
    Format f;
    f.kind = kind;
    f.codec = codec;
    return f;
}

/// Where the io executor stands relative to the caller.
enum class IoState {
    this_thread,  ///< the caller is running on it: touch io state directly
    stopped,      ///< nothing runs it (the host stops its control loop before the nodes)
    elsewhere,    ///< another thread runs it: post and wait
};

IoState io_state(const boost::asio::any_io_executor& io) {
    using IoExecutor = boost::asio::io_context::executor_type;
    if (const auto* e = io.target<IoExecutor>()) {
        if (e->running_in_this_thread()) return IoState::this_thread;
        return e->context().stopped() ? IoState::stopped : IoState::elsewhere;
    }
    if (const auto* s = io.target<boost::asio::strand<IoExecutor>>()) {
        if (s->running_in_this_thread()) return IoState::this_thread;
        return s->get_inner_executor().context().stopped() ? IoState::stopped : IoState::elsewhere;
    }
    return IoState::elsewhere;
}

}  // namespace

ServerNode::ServerNode(NodeContext& context, ServerSettings settings)
    : m_ctx(context), m_settings(std::move(settings)) {}

ServerNode::~ServerNode() {
    shut_down();
}

std::vector<PortSpec> ServerNode::input_ports() const noexcept {
    return {{"video", MediaKind::video, {format(MediaKind::video, Codec::any)}, false},
            {"audio", MediaKind::audio, {format(MediaKind::audio, Codec::any)}, false}};
}

std::vector<PortSpec> ServerNode::output_ports() const noexcept {
    // What browsers publish over WHIP, best first.
    Format vp8 = format(MediaKind::video, Codec::vp8);
    vp8.clock_rate = 90000;
    Format h264 = format(MediaKind::video, Codec::h264);
    h264.clock_rate = 90000;
    h264.packetization_mode = 1;
    Format opus = format(MediaKind::audio, Codec::opus);
    opus.sample_rate = 48000;
    opus.clock_rate = 48000;
    return {{"video", MediaKind::video, {vp8, h264}, true}, {"audio", MediaKind::audio, {opus}, true}};
}

Result<void> ServerNode::start() noexcept {
    try {
        ServiceConfig config;
        config.authorize = fixed_token(m_settings.token);
        config.max_sessions = std::size_t(m_settings.max_sessions);
        config.viewer_media.send_video = video;
        config.viewer_media.send_audio = audio;
        config.publisher_media.receive_video = video;
        config.publisher_media.receive_audio = audio;
        auto log = m_ctx.log().with_context("http");
        m_service = std::make_shared<SessionService>(m_ctx.io_executor(), m_ctx.calls(), std::move(config), log);
        http::HttpLimits limits;
        limits.max_body_bytes = m_settings.max_body_bytes;
        limits.read_timeout = m_settings.read_timeout;
        std::weak_ptr<SessionService> service = m_service;
        m_server = std::make_shared<http::HttpServer>(
            m_ctx.io_executor(), limits,
            [service](http::Request&& request, http::Reply reply) {
                const std::string_view target(request.target().data(), request.target().size());
                const auto path = target.substr(0, target.find('?'));  // "/?token=..." from a link
                if (path == "/" || path == "/index.html") return reply(http::page_response(request, viewer_page()));
                if (auto s = service.lock()) return s->handle(std::move(request), std::move(reply));
                http::Response r{http::status::service_unavailable, request.version()};
                r.body() = "the server is shutting down\n";
                reply(std::move(r));
            },
            log);
        auto bound = m_server->listen(m_settings.listen);
        if (!bound) {
            m_server.reset();
            m_service.reset();
            return Error::unavailable(std::string(m_ctx.name()) + ": " + bound.error().message);
        }
        m_bound = bound.value();
        SWITCHBOARD_LOG(m_ctx.log(), info,
                        "WHEP at " << viewer_url() << "whep, WHIP at " << viewer_url() << "whip"
                                   << (m_settings.token ? " (bearer token required)" : ""));
        SWITCHBOARD_LOG(m_ctx.log(), info, "viewer page: " << viewer_url());
        return {};
    } catch (const std::exception& e) {
        return Error::runtime(std::string(m_ctx.name()) + ": " + e.what());
    }
}

std::string ServerNode::viewer_url() const {
    const auto address = m_bound.address();
    const std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
    return "http://" + host + ":" + std::to_string(m_bound.port()) + "/";
}

void ServerNode::stop() noexcept {
    if (!m_server && !m_service) return;
    // Sockets and Calls belong to the io executor. The host stops its control loop
    // before it stops the nodes, so usually nothing runs it and we close inline; if
    // another thread does run it, close there and wait. Whoever claims first closes.
    auto io = m_ctx.io_executor();
    bool closed_there = false;
    if (io_state(io) == IoState::elsewhere) {
        try {
            struct Closing {
                std::atomic<bool> claimed{false};
                std::promise<void> done;
            };
            auto closing = std::make_shared<Closing>();
            auto closed = closing->done.get_future();
            boost::asio::post(io, [closing, server = m_server, service = m_service] {
                if (!closing->claimed.exchange(true)) {
                    if (server) server->close();
                    if (service) service->close();
                }
                closing->done.set_value();
            });
            // If the loop stops before it runs the closure, close inline after all.
            closed_there = true;
            while (closed.wait_for(std::chrono::milliseconds(20)) != std::future_status::ready) {
                if (io_state(io) == IoState::stopped && !closing->claimed.exchange(true)) {
                    closed_there = false;
                    break;
                }
            }
        } catch (...) {
        }
    }
    if (closed_there) {
        m_server.reset();
        m_service.reset();
    } else {
        shut_down();
    }
    SWITCHBOARD_LOG(m_ctx.log(), info, "stopped");
}

void ServerNode::shut_down() noexcept {
    if (m_server) m_server->close();
    if (m_service) m_service->close();
    m_server.reset();
    m_service.reset();
}

}  // namespace switchboard::whep
