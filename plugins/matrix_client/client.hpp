/// \file client.hpp
/// \brief One Matrix account, put together: the HTTP client, the CS API, the session
/// store, sign-in, the sync loop and the send queue. What a plugin holds per station.
///
/// start() signs in (reusing the stored device and sync position), then syncs; send()
/// works once signed in. Everything runs on the given executor (serial); handlers run
/// there too. stop() before destruction ends every request and timer.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/any_io_executor.hpp>

#include <switchboard/log.hpp>

#include "matrix_client/client_api.hpp"
#include "matrix_client/event_sender.hpp"
#include "matrix_client/login.hpp"
#include "matrix_client/session_store.hpp"
#include "matrix_client/syncer.hpp"
#include "matrix_client/turn_server.hpp"

namespace switchboard::matrix {

struct ClientConfig {
    std::string homeserver;  ///< base URL; plain http only to loopback
    Credentials credentials;
    std::filesystem::path state_dir;
    std::string state_file = "matrix_session.json";
    std::string extra_ca_file;  ///< PEM trusted besides the system CAs
    std::chrono::milliseconds request_timeout{20'000};
    SyncOptions sync;
    SendOptions send;
};

class Client {
public:
    /// Checks the URL (an Error for plain http off loopback or a malformed URL).
    static Result<std::unique_ptr<Client>> create(boost::asio::any_io_executor executor, ClientConfig config,
                                                  std::shared_ptr<Logger> log);
    ~Client();
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    /// Signs in, then syncs: `on_ready` once signed in (or with the Error that stopped
    /// sign-in), `on_batch` per sync batch, `on_fatal` if syncing ends by itself.
    void start(std::function<void(Result<SessionState>)> on_ready, Syncer::BatchHandler on_batch,
               Syncer::FatalHandler on_fatal);
    void stop();

    /// Queues a room event (see EventSender::send). Refused before sign-in.
    std::string send(std::string room_id, std::string type, std::string content_json, SendHandler handler = {});

    /// The signed-in session (user_id, device_id; empty before).
    const SessionState& session() const noexcept { return m_session; }
    /// For the room helpers (rooms.hpp) and TURN (turn_server.hpp).
    ClientApi& api() noexcept { return m_api; }

private:
    Client(boost::asio::any_io_executor executor, HomeserverUrl url, ClientConfig config, std::shared_ptr<Logger> log);

    boost::asio::any_io_executor m_executor;
    ClientConfig m_config;
    std::shared_ptr<Logger> m_log;
    ClientApi m_api;
    SessionStore m_store;
    SessionState m_session;
    std::shared_ptr<Syncer> m_syncer;
    std::shared_ptr<EventSender> m_sender;
    /// Handlers of a sign-in still in flight check it: the Client may be gone.
    std::shared_ptr<bool> m_alive = std::make_shared<bool>(true);
};

}  // namespace switchboard::matrix
