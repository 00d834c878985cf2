#include "matrix_client/client.hpp"

#include <utility>

#include <boost/asio/post.hpp>

namespace switchboard::matrix {

Result<std::unique_ptr<Client>> Client::create(boost::asio::any_io_executor executor, ClientConfig config,
                                               std::shared_ptr<Logger> log) {
    auto url = HomeserverUrl::parse(config.homeserver);
    if (!url) return url.error();
    try {
        return std::unique_ptr<Client>(new Client(executor, std::move(url.value()), std::move(config), std::move(log)));
    } catch (const std::exception& e) {  // an unreadable CA file
        return Error(ErrorKind::io, "extra_ca_file", 0, {}, e.what());
    }
}

Client::Client(boost::asio::any_io_executor executor, HomeserverUrl url, ClientConfig config,
               std::shared_ptr<Logger> log)
    : m_executor(executor),
      m_config(std::move(config)),
      m_log(std::move(log)),
      m_api(std::make_shared<HttpClient>(executor, std::move(url), m_config.extra_ca_file)),
      m_store(m_config.state_dir, m_config.state_file) {
    m_api.set_default_timeout(m_config.request_timeout);
}

Client::~Client() {
    stop();
}

void Client::start(std::function<void(Result<SessionState>)> on_ready, Syncer::BatchHandler on_batch,
                   Syncer::FatalHandler on_fatal) {
    sign_in(m_api, m_store, m_config.homeserver, m_config.credentials, m_log,
            [this, alive = m_alive, on_ready = std::move(on_ready), on_batch = std::move(on_batch),
             on_fatal = std::move(on_fatal)](Result<SessionState> result) mutable {
                if (!*alive) return;
                if (!result) return on_ready(result.error());
                m_session = result.value();
                m_sender = std::make_shared<EventSender>(m_executor, m_api, m_config.send, m_log);
                m_syncer = std::make_shared<Syncer>(m_executor, m_api, m_store, m_session, m_config.sync, m_log);
                on_ready(std::move(result));
                if (*alive && m_syncer) m_syncer->start(std::move(on_batch), std::move(on_fatal));
            });
}

void Client::stop() {
    *m_alive = false;
    if (m_syncer) m_syncer->stop();
    if (m_sender) m_sender->stop();
    m_api.cancel_all();
}

std::string Client::send(std::string room_id, std::string type, std::string content_json, SendHandler handler) {
    if (!m_sender) {
        if (handler)
            boost::asio::post(m_executor, [handler = std::move(handler)] {
                handler(Error(ErrorKind::refused, "send", 0, {}, "not signed in yet"));
            });
        return {};
    }
    return m_sender->send(std::move(room_id), std::move(type), std::move(content_json), std::move(handler));
}

}  // namespace switchboard::matrix
