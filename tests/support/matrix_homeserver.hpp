/// \file matrix_homeserver.hpp
/// \brief tests/peers/node/mini_homeserver.mjs (a Synapse-like Matrix homeserver) as a child
/// process for any test: started on a free 127.0.0.1 port, ended by its PID; user
/// registration and the server's /_test/ controls (what was sent, fault injection, held
/// syncs) over blocking HTTP requests, each with a timeout.
///
/// Needs SWITCHBOARD_NODE_PEERS_DIR defined for the test target (the node_peers copy of the
/// scripts; the homeserver needs no npm package). Runs with --quiet: its stderr, which only
/// carries error answers then, is printed when it ends.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "support/process.hpp"

namespace switchboard::test {

/// One room event as the homeserver stored it (GET /_test/events, stream order).
struct HomeserverEvent {
    std::string event_id;
    std::string type;
    std::string sender;
    std::string room_id;
    std::optional<std::string> state_key;                ///< set for state events
    std::string transaction_id;                          ///< unsigned.transaction_id; empty if none
    std::int64_t origin_server_ts = 0;                   ///< ms since the epoch
    std::string content_json;                            ///< `content` as compact JSON text
    std::shared_ptr<const rapidjson::Document> content;  ///< `content`, parsed
};

/// One attempt at a room send (PUT .../send/... or .../state/...), GET /_test/sends.
struct HomeserverSend {
    std::string user;     ///< the sender's user id
    std::string method;   ///< "PUT"
    std::string path;     ///< after /_matrix/client/v3
    std::string txn_id;   ///< the transaction id of a send/ PUT; empty for state
    int status = 0;       ///< the HTTP status it got
    std::int64_t ts = 0;  ///< ms since the epoch
};

/// The mini homeserver, running until destroyed. Every method that talks to it throws
/// std::runtime_error (with the endpoint and the answer) when it does not answer 200.
class MatrixHomeserver {
public:
    /// Starts it with "--port P --quiet" plus `extra_args` (e.g. {"--rc-message", "0.2:10"},
    /// {"--user", "gw:secret"}) and waits up to 15 s for it to accept connections.
    explicit MatrixHomeserver(std::vector<std::string> extra_args = {});
    /// Ends it with SIGTERM by its PID (SIGKILL after 5 s).
    ~MatrixHomeserver();
    MatrixHomeserver(const MatrixHomeserver&) = delete;
    MatrixHomeserver& operator=(const MatrixHomeserver&) = delete;

    /// Whether it accepted connections in time.
    bool ready() const noexcept { return m_ready; }
    std::uint16_t port() const noexcept { return m_port; }
    /// "http://127.0.0.1:PORT".
    std::string url() const;
    /// The server name in user ids ("localhost").
    static constexpr const char* server_name = "localhost";

    /// Registers `localpart` (POST /register, no login) and returns "@localpart:localhost".
    std::string register_user(const std::string& localpart, const std::string& password);

    /// Logs `localpart` in (m.login.password) and returns its access token.
    std::string login(const std::string& localpart, const std::string& password);
    /// POST /createRoom as the token's user with `body_json`; the new room id.
    std::string create_room(const std::string& token, const std::string& body_json);
    /// Sends one room event as the token's user; its event id.
    std::string send_event(const std::string& token, const std::string& room_id, const std::string& type,
                           const std::string& content_json);
    /// POST /join/{roomId} as the token's user.
    void join_room(const std::string& token, const std::string& room_id);
    /// Sets a state event as the token's user.
    void put_state(const std::string& token, const std::string& room_id, const std::string& type,
                   const std::string& content_json);

    /// Every room event so far, in stream order.
    std::vector<HomeserverEvent> events();
    /// Every room send attempt so far, in order.
    std::vector<HomeserverSend> sends();
    /// The next `count` room sends get 429 M_LIMIT_EXCEEDED with `retry_after_ms`.
    void fail_sends(int count, int retry_after_ms);
    /// Holds `user_id`'s /sync requests (they answer only after resume_sync).
    void pause_sync(const std::string& user_id);
    void resume_sync(const std::string& user_id);

private:
    /// A request to the server; throws unless it answers 200. The body of the answer.
    std::string request(const std::string& method, const std::string& target, const std::string& body = {});

    std::uint16_t m_port = 0;
    std::optional<ChildProcess> m_child;
    bool m_ready = false;
    std::chrono::milliseconds m_timeout{10000};  ///< per request
};

}  // namespace switchboard::test
