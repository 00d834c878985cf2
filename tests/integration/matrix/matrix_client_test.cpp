// The Matrix client library against the test homeserver (tests/peers/node/mini_homeserver.mjs,
// Synapse-like, started per test by support/matrix_homeserver.hpp): sign-in
// and restart, sends retried with the same transaction id, a burst larger than the
// timeline limit paged back, TURN credentials. The homeserver's /_test/ controls inject
// 429s and hold a user's /sync.
#include <csignal>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <boost/asio/io_context.hpp>

#include "matrix_client/client.hpp"
#include "matrix_client/event_sender.hpp"
#include "matrix_client/json_util.hpp"
#include "matrix_client/login.hpp"
#include "matrix_client/rooms.hpp"
#include "matrix_client/syncer.hpp"
#include "matrix_client/turn_server.hpp"
#include "support/loopback_ports.hpp"
#include "support/matrix_homeserver.hpp"
#include "support/process.hpp"

namespace switchboard::matrix {
namespace {

using namespace std::chrono_literals;
namespace http = boost::beast::http;

/// Keeps every line so a test can check that no secret was logged.
class LinesLogger final : public Logger {
public:
    bool enabled(LogLevel) const noexcept override { return true; }
    void write(LogLevel level, std::string_view message) noexcept override {
        std::lock_guard lock(m_mutex);
        m_lines.emplace_back(message);
        if (level >= LogLevel::warn) std::fprintf(stderr, "[matrix] %.*s\n", int(message.size()), message.data());
    }
    std::shared_ptr<Logger> with_context(std::string_view) const override { return std::make_shared<LinesLogger>(); }
    std::string all() const {
        std::lock_guard lock(m_mutex);
        std::string out;
        for (const auto& line : m_lines) out += line + "\n";
        return out;
    }

private:
    mutable std::mutex m_mutex;
    std::vector<std::string> m_lines;
};

class MatrixClientTest : public ::testing::Test {
protected:
    void SetUp() override {
        m_state_dir =
            std::filesystem::temp_directory_path() / ("sb-matrix-client-" + std::to_string(::getpid()) + "-" +
                                                      ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(m_state_dir);
    }
    void TearDown() override { std::filesystem::remove_all(m_state_dir); }

    void start_homeserver(std::vector<std::string> extra = {}) {
        extra.insert(extra.begin(), {"--user", "gw:gw-password"});
        m_hs.emplace(std::move(extra));
        ASSERT_TRUE(m_hs->ready()) << "the mini homeserver did not start";
        auto url = HomeserverUrl::parse(m_hs->url());
        ASSERT_TRUE(url);
        m_url = url.value();
    }

    /// Runs the io_context until `done()` or `timeout`.
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout = 15s) {
        auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done()) {
            if (std::chrono::steady_clock::now() >= deadline) return false;
            m_io.restart();
            m_io.run_for(10ms);
        }
        return true;
    }

    /// Starts an async operation and waits for its one result.
    template <class T>
    Result<T> await(const std::function<void(std::function<void(Result<T>)>)>& start,
                    std::chrono::milliseconds timeout = 15s) {
        std::optional<Result<T>> out;
        start([&](Result<T> r) { out.emplace(std::move(r)); });
        if (!run_until([&] { return out.has_value(); }, timeout))
            return Error(ErrorKind::timeout, "test", 0, {}, "no result in time");
        return std::move(*out);
    }

    std::shared_ptr<ClientApi> make_api() {
        return std::make_shared<ClientApi>(std::make_shared<HttpClient>(m_io.get_executor(), m_url));
    }

    /// Registers another user on the homeserver, signs it in and returns its api.
    std::shared_ptr<ClientApi> register_user(const std::string& name, std::string* user_id = nullptr) {
        auto api = make_api();
        auto id = m_hs->register_user(name, "pw");
        if (user_id) *user_id = id;
        auto answer = await<rapidjson::Document>([&](auto done) {
            api->post("/login",
                      R"({"type":"m.login.password","identifier":{"type":"m.id.user","user":")" + name +
                          R"("},"password":"pw"})",
                      std::move(done));
        });
        EXPECT_TRUE(answer) << answer.error().to_string();
        if (answer) api->set_access_token(json::string_or(answer.value(), "access_token", ""));
        return api;
    }

    Result<SessionState> sign_in_gw(ClientApi& api, const SessionStore& store) {
        Credentials credentials;
        credentials.user = "gw";
        credentials.password = "gw-password";
        return await<SessionState>(
            [&](auto done) { sign_in(api, store, m_hs->url(), credentials, m_log, std::move(done)); });
    }

    /// A room made by `owner` with `invitee` invited, joined by `invitee_api`.
    std::string shared_room(ClientApi& owner, const std::string& invitee, ClientApi& invitee_api) {
        auto room = await<std::string>([&](auto done) { create_direct_room(owner, invitee, "door", std::move(done)); });
        EXPECT_TRUE(room) << room.error().to_string();
        if (!room) return {};
        auto joined = await<std::string>([&](auto done) { join_room(invitee_api, room.value(), std::move(done)); });
        EXPECT_TRUE(joined) << joined.error().to_string();
        return room.value();
    }

    boost::asio::io_context m_io;
    std::shared_ptr<LinesLogger> m_log = std::make_shared<LinesLogger>();
    std::optional<test::MatrixHomeserver> m_hs;
    HomeserverUrl m_url;
    std::filesystem::path m_state_dir;
};

/// Collects what a Syncer delivers.
struct Delivered {
    std::vector<SyncBatch> batches;
    std::vector<std::string> events;  ///< "type n" of test events, in delivery order
    std::string last_next_batch;
    void add(const SyncBatch& batch) {
        last_next_batch = batch.next_batch;
        SyncBatch copy;
        copy.initial = batch.initial;
        copy.unfilled_gaps = batch.unfilled_gaps;
        for (const auto& event : batch.timeline)
            if (event.type.starts_with("org.switchboard.test"))
                events.push_back(event.type + " " + std::to_string(json::int_or(event.content, "n").value_or(-1)));
        batches.push_back(std::move(copy));
    }
};

std::string test_event(int n) {
    return "{\"n\":" + std::to_string(n) + "}";
}

TEST_F(MatrixClientTest, LoginCreatesADeviceAndARestartReusesItWithoutOldEvents) {
    start_homeserver();
    std::string bob_id;
    auto bob = register_user("bob", &bob_id);
    auto bob_sender = std::make_shared<EventSender>(m_io.get_executor(), *bob, SendOptions{}, m_log);
    SessionStore store(m_state_dir);
    std::string room;
    SessionState first;
    {
        auto api = make_api();
        auto session = sign_in_gw(*api, store);
        ASSERT_TRUE(session) << session.error().to_string();
        first = session.value();
        EXPECT_EQ(first.user_id, "@gw:localhost");
        EXPECT_FALSE(first.device_id.empty());
        EXPECT_EQ(std::filesystem::status(store.file()).permissions() & std::filesystem::perms::all,
                  std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);

        room = shared_room(*bob, first.user_id, *api);
        Delivered got;
        auto syncer = std::make_shared<Syncer>(m_io.get_executor(), *api, store, first, SyncOptions{}, m_log);
        syncer->start([&](const SyncBatch& b) { got.add(b); }, [](const Error& e) { ADD_FAILURE() << e.to_string(); });
        ASSERT_TRUE(run_until([&] { return !got.batches.empty(); }));
        EXPECT_TRUE(got.batches[0].initial);
        bob_sender->send(room, "org.switchboard.test", test_event(1));
        ASSERT_TRUE(run_until([&] { return got.events.size() == 1; })) << "event 1 not delivered";
        EXPECT_EQ(got.events[0], "org.switchboard.test 1");
        // Let the handler's batch be saved (after the handler returns), then stop.
        ASSERT_TRUE(run_until([&] { return syncer->state().next_batch == got.last_next_batch; }));
        syncer->stop();
    }
    auto saved = store.load();
    ASSERT_TRUE(saved && saved.value());
    EXPECT_FALSE(saved.value()->next_batch.empty());

    // The restart: a new client on the same state directory.
    auto api = make_api();
    auto session = sign_in_gw(*api, store);
    ASSERT_TRUE(session) << session.error().to_string();
    EXPECT_EQ(session.value().device_id, first.device_id);
    EXPECT_EQ(session.value().access_token, first.access_token);
    auto devices = await<rapidjson::Document>([&](auto done) { api->get("/devices", {}, std::move(done)); });
    ASSERT_TRUE(devices);
    EXPECT_EQ(devices.value()["devices"].Size(), 1u) << "a restart must not create a device";

    Delivered got;
    auto syncer = std::make_shared<Syncer>(m_io.get_executor(), *api, store, session.value(), SyncOptions{}, m_log);
    syncer->start([&](const SyncBatch& b) { got.add(b); }, [](const Error& e) { ADD_FAILURE() << e.to_string(); });
    bob_sender->send(room, "org.switchboard.test", test_event(2));
    ASSERT_TRUE(run_until([&] { return !got.events.empty(); })) << "event 2 not delivered";
    // Give a straggling re-delivery of event 1 a chance to show up before judging.
    run_until([] { return false; }, 300ms);
    syncer->stop();
    EXPECT_EQ(got.events, std::vector<std::string>{"org.switchboard.test 2"});
    for (const auto& batch : got.batches) EXPECT_FALSE(batch.initial);

    auto logged = m_log->all();
    EXPECT_EQ(logged.find("gw-password"), std::string::npos);
    EXPECT_EQ(logged.find(first.access_token), std::string::npos);
}

TEST_F(MatrixClientTest, StoredTokenRevokedLogsInAgainAsTheSameDevice) {
    start_homeserver();
    SessionStore store(m_state_dir);
    auto api = make_api();
    auto first = sign_in_gw(*api, store);
    ASSERT_TRUE(first);
    auto out = await<rapidjson::Document>([&](auto done) { api->post("/logout", "{}", std::move(done)); });
    ASSERT_TRUE(out);
    auto again = sign_in_gw(*make_api(), store);
    ASSERT_TRUE(again) << again.error().to_string();
    EXPECT_EQ(again.value().device_id, first.value().device_id);
    EXPECT_NE(again.value().access_token, first.value().access_token);
}

TEST_F(MatrixClientTest, SendRetriesReuseTheTransactionIdAndWaitAsAsked) {
    start_homeserver();
    std::string bob_id;
    auto bob = register_user("bob", &bob_id);
    SessionStore store(m_state_dir);
    auto api = make_api();
    auto session = sign_in_gw(*api, store);
    ASSERT_TRUE(session);

    // The room helpers the call plugin uses before it rings.
    auto room = await<std::string>([&](auto done) { create_direct_room(*api, bob_id, "door", std::move(done)); });
    ASSERT_TRUE(room) << room.error().to_string();
    auto encrypted = await<bool>([&](auto done) { is_encrypted(*api, room.value(), std::move(done)); });
    ASSERT_TRUE(encrypted) << encrypted.error().to_string();
    EXPECT_FALSE(encrypted.value());
    auto bob_joined = await<bool>([&](auto done) { is_joined(*api, room.value(), bob_id, std::move(done)); });
    ASSERT_TRUE(bob_joined);
    EXPECT_FALSE(bob_joined.value()) << "bob is only invited";
    auto marked = await<Done>(
        [&](auto done) { mark_direct_room(*api, session.value().user_id, bob_id, room.value(), std::move(done)); });
    ASSERT_TRUE(marked) << marked.error().to_string();
    auto direct = await<rapidjson::Document>([&](auto done) {
        api->get(api_path({"user", session.value().user_id, "account_data", "m.direct"}), {}, std::move(done));
    });
    ASSERT_TRUE(direct) << direct.error().to_string();
    ASSERT_TRUE(direct.value()[bob_id.c_str()].IsArray());
    EXPECT_STREQ(direct.value()[bob_id.c_str()][0].GetString(), room.value().c_str());

    m_hs->fail_sends(3, 300);
    SendOptions options;
    options.retry_min = 10ms;  // the server's 300 ms must be what we wait, not our own minimum
    auto sender = std::make_shared<EventSender>(m_io.get_executor(), *api, options, m_log);
    auto started = std::chrono::steady_clock::now();
    auto outcome = await<SendOutcome>(
        [&](auto done) { sender->send(room.value(), "org.switchboard.test", test_event(7), std::move(done)); });
    auto took = std::chrono::steady_clock::now() - started;
    ASSERT_TRUE(outcome) << outcome.error().to_string();
    EXPECT_EQ(outcome.value().attempts, 4u);
    EXPECT_GE(took, 900ms) << "three waits of retry_after_ms 300";

    std::vector<int> statuses;
    std::vector<std::int64_t> times;
    for (const auto& s : m_hs->sends()) {
        if (s.path.find("/send/org.switchboard.test/") == std::string::npos) continue;
        EXPECT_EQ(s.txn_id, outcome.value().txn_id);
        statuses.push_back(s.status);
        times.push_back(s.ts);
    }
    EXPECT_EQ(statuses, (std::vector<int>{429, 429, 429, 200}));
    for (std::size_t i = 1; i < times.size(); ++i) EXPECT_GE(times[i] - times[i - 1], 290) << "attempt " << i;

    int copies = 0;
    for (const auto& e : m_hs->events())
        if (e.type == "org.switchboard.test") {
            ++copies;
            EXPECT_EQ(e.event_id, outcome.value().event_id);
            EXPECT_EQ(e.transaction_id, outcome.value().txn_id);
            EXPECT_EQ(e.content_json, test_event(7));
        }
    EXPECT_EQ(copies, 1);
}

TEST_F(MatrixClientTest, BurstBeyondTheTimelineLimitIsPagedBackInOrderOnce) {
    start_homeserver();
    std::string bob_id;
    auto bob = register_user("bob", &bob_id);
    SessionStore store(m_state_dir);
    auto api = make_api();
    auto session = sign_in_gw(*api, store);
    ASSERT_TRUE(session);
    auto room = shared_room(*bob, session.value().user_id, *api);

    SyncOptions options;
    options.filter.timeline_limit = 10;
    options.gap_page_size = 4;  // several pages for the 5 missing events
    Delivered got;
    auto syncer = std::make_shared<Syncer>(m_io.get_executor(), *api, store, session.value(), options, m_log);
    syncer->start([&](const SyncBatch& b) { got.add(b); }, [](const Error& e) { ADD_FAILURE() << e.to_string(); });
    ASSERT_TRUE(run_until([&] { return !got.batches.empty(); }));
    // Past the initial sync: the syncer now long-polls with a since token.
    ASSERT_TRUE(run_until([&] { return !syncer->state().next_batch.empty(); }));

    m_hs->pause_sync(session.value().user_id);
    auto bob_sender = std::make_shared<EventSender>(m_io.get_executor(), *bob, SendOptions{}, m_log);
    int sent = 0;
    for (int n = 0; n < 15; ++n)
        bob_sender->send(room, "org.switchboard.test", test_event(n), [&](Result<SendOutcome> r) {
            EXPECT_TRUE(r) << r.error().to_string();
            ++sent;
        });
    ASSERT_TRUE(run_until([&] { return sent == 15; }));
    EXPECT_TRUE(got.events.empty()) << "the sync was paused";
    m_hs->resume_sync(session.value().user_id);

    ASSERT_TRUE(run_until([&] { return got.events.size() >= 15; })) << got.events.size() << " delivered";
    run_until([] { return false; }, 300ms);  // nothing more may come
    syncer->stop();
    std::vector<std::string> expected;
    for (int n = 0; n < 15; ++n) expected.push_back("org.switchboard.test " + std::to_string(n));
    EXPECT_EQ(got.events, expected);
    for (const auto& batch : got.batches) EXPECT_TRUE(batch.unfilled_gaps.empty());
    EXPECT_NE(m_log->all().find("is limited; paging back"), std::string::npos) << "the timeline was not limited";
}

TEST_F(MatrixClientTest, SynapsesOwnRateLimitIsWaitedOut) {
    start_homeserver({"--rc-message", "5:2"});  // Synapse's limiter, faster than its 0.2:10 default
    std::string bob_id;
    auto bob = register_user("bob", &bob_id);
    SessionStore store(m_state_dir);
    auto api = make_api();
    ASSERT_TRUE(sign_in_gw(*api, store));
    auto room = await<std::string>([&](auto done) { create_direct_room(*api, bob_id, {}, std::move(done)); });
    ASSERT_TRUE(room) << room.error().to_string();
    SendOptions options;
    options.retry_min = 10ms;
    auto sender = std::make_shared<EventSender>(m_io.get_executor(), *api, options, m_log);
    std::vector<std::string> ids;
    for (int n = 0; n < 5; ++n)
        sender->send(room.value(), "org.switchboard.test", test_event(n), [&](Result<SendOutcome> r) {
            ASSERT_TRUE(r) << r.error().to_string();
            ids.push_back(r.value().event_id);
        });
    ASSERT_TRUE(run_until([&] { return ids.size() == 5; }, 20s));
    int limited = 0;
    for (const auto& s : m_hs->sends())
        if (s.status == 429) ++limited;
    EXPECT_GT(limited, 0) << "the limiter never refused";
    int copies = 0;
    for (const auto& e : m_hs->events())
        if (e.type == "org.switchboard.test") ++copies;
    EXPECT_EQ(copies, 5);
}

TEST_F(MatrixClientTest, ARevokedTokenEndsTheSyncLoop) {
    start_homeserver();
    SessionStore store(m_state_dir);
    auto api = make_api();
    auto session = sign_in_gw(*api, store);
    ASSERT_TRUE(session);
    std::optional<Error> fatal;
    int batches = 0;
    auto syncer = std::make_shared<Syncer>(m_io.get_executor(), *api, store, session.value(), SyncOptions{}, m_log);
    syncer->start([&](const SyncBatch&) { ++batches; }, [&](const Error& e) { fatal = e; });
    ASSERT_TRUE(run_until([&] { return batches > 0; }));
    auto other = make_api();
    other->set_access_token(session.value().access_token);
    ASSERT_TRUE(await<rapidjson::Document>([&](auto done) { other->post("/logout", "{}", std::move(done)); }));
    // The long-poll in flight ends at its timeout; a short one keeps the test short.
    syncer->stop();
    SyncOptions options;
    options.long_poll = 200ms;
    syncer = std::make_shared<Syncer>(m_io.get_executor(), *api, store, session.value(), options, m_log);
    syncer->start([&](const SyncBatch&) {}, [&](const Error& e) { fatal = e; });
    ASSERT_TRUE(run_until([&] { return fatal.has_value(); }));
    EXPECT_TRUE(fatal->unknown_token()) << fatal->to_string();
}

TEST_F(MatrixClientTest, TheClientSignsInSyncsAndSeesItsOwnEcho) {
    start_homeserver();
    ClientConfig config;
    config.homeserver = m_hs->url();
    config.credentials.user = "gw";
    config.credentials.password = "gw-password";
    config.credentials.device_id = "STATION1";
    config.state_dir = m_state_dir;
    auto created = Client::create(m_io.get_executor(), config, m_log);
    ASSERT_TRUE(created) << created.error().to_string();
    auto& client = *created.value();
    std::optional<Result<SessionState>> ready;
    std::vector<std::string> echoes;  // our events, by the txn id the server hands back
    client.start([&](Result<SessionState> r) { ready.emplace(std::move(r)); },
                 [&](const SyncBatch& batch) {
                     for (const auto& event : batch.timeline)
                         if (!event.transaction_id.empty()) echoes.push_back(event.transaction_id);
                 },
                 [](const Error& e) { ADD_FAILURE() << e.to_string(); });
    ASSERT_TRUE(run_until([&] { return ready.has_value(); }));
    ASSERT_TRUE(*ready) << ready->error().to_string();
    EXPECT_EQ(client.session().device_id, "STATION1");
    auto own = await<rapidjson::Document>([&](auto done) { client.api().post("/createRoom", "{}", std::move(done)); });
    ASSERT_TRUE(own);
    std::string txn;
    auto sent = await<SendOutcome>([&](auto done) {
        txn = client.send(json::string_or(own.value(), "room_id", ""), "org.switchboard.test", test_event(1),
                          std::move(done));
    });
    ASSERT_TRUE(sent) << sent.error().to_string();
    ASSERT_TRUE(run_until([&] { return !echoes.empty() && echoes.back() == txn; }));
    client.stop();
}

TEST_F(MatrixClientTest, TurnServerCredentialsAreParsed) {
    start_homeserver({"--turn-uri", "turn:127.0.0.1:3478?transport=udp", "--turn-uri", "turns:127.0.0.1:5349"});
    SessionStore store(m_state_dir);
    auto api = make_api();
    ASSERT_TRUE(sign_in_gw(*api, store));
    auto turn = await<TurnServer>([&](auto done) { fetch_turn_server(*api, std::move(done)); });
    ASSERT_TRUE(turn) << turn.error().to_string();
    EXPECT_EQ(turn.value().uris,
              (std::vector<std::string>{"turn:127.0.0.1:3478?transport=udp", "turns:127.0.0.1:5349"}));
    EXPECT_NE(turn.value().username.find(":@gw:localhost"), std::string::npos);
    EXPECT_FALSE(turn.value().password.empty());
    EXPECT_EQ(turn.value().ttl, std::chrono::seconds(3600));
}

TEST_F(MatrixClientTest, ErrorsNameTheEndpointStatusAndErrcode) {
    start_homeserver();
    auto api = make_api();
    api->set_access_token("syt_not_a_token");
    auto who = await<WhoAmI>([&](auto done) { whoami(*api, std::move(done)); });
    ASSERT_FALSE(who);
    EXPECT_EQ(who.error().status, 401);
    EXPECT_EQ(who.error().errcode, "M_UNKNOWN_TOKEN");
    EXPECT_EQ(who.error().endpoint, "GET /_matrix/client/v3/account/whoami");
    EXPECT_EQ(who.error().to_string().find("syt_not_a_token"), std::string::npos);
}

TEST(MatrixClientHttp, PlainHttpToANonLoopbackHostIsRefused) {
    auto url = HomeserverUrl::parse("http://matrix.example.org:8008");
    ASSERT_FALSE(url);
    EXPECT_EQ(url.error().kind, ErrorKind::refused);
    EXPECT_EQ(url.error().to_string(),
              "homeserver url: refused: plain http is only allowed to a loopback host, not 'matrix.example.org': use "
              "https");
}

TEST(MatrixClientHttp, ConnectionRefusedAndTimeoutsAreNetworkErrors) {
    boost::asio::io_context io;
    auto port = test::free_loopback_port();
    HttpClient client(io.get_executor(), HomeserverUrl::parse("http://127.0.0.1:" + std::to_string(port)).value());
    std::optional<Result<HttpResponse>> out;
    client.request(HttpRequest{http::verb::get, "/x", {}, {}, 2000ms}, [&](Result<HttpResponse> r) { out.emplace(r); });
    io.run_for(5s);
    ASSERT_TRUE(out);
    ASSERT_FALSE(*out);
    EXPECT_EQ(out->error().kind, ErrorKind::network);
    EXPECT_TRUE(out->error().retryable());
}

/// `openssl s_server -www` with a fresh self-signed certificate for DNS:localhost.
class TlsServer {
public:
    explicit TlsServer(const std::filesystem::path& dir) {
        std::filesystem::create_directories(dir);
        m_cert = (dir / "cert.pem").string();
        auto key = (dir / "key.pem").string();
        auto made = test::run_process({"/usr/bin/openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                                       "ec_paramgen_curve:P-256", "-nodes", "-subj", "/CN=localhost", "-addext",
                                       "subjectAltName=DNS:localhost", "-keyout", key, "-out", m_cert, "-days", "1"},
                                      {}, 20s);
        if (made.exit_code != 0) return;
        m_port = test::free_loopback_port();
        m_child.emplace(std::vector<std::string>{"/usr/bin/openssl", "s_server", "-accept",
                                                 "127.0.0.1:" + std::to_string(m_port), "-cert", m_cert, "-key", key,
                                                 "-www", "-quiet"});
        m_ready = test::wait_for_tcp(m_port, 10s);
    }
    ~TlsServer() {
        if (!m_child) return;
        m_child->signal(SIGTERM);
        m_child->wait(5s);
    }
    bool ready() const { return m_ready; }
    const std::string& cert() const { return m_cert; }
    std::uint16_t port() const { return m_port; }

private:
    std::string m_cert;
    std::uint16_t m_port = 0;
    std::optional<test::ChildProcess> m_child;
    bool m_ready = false;
};

Result<HttpResponse> get_over_tls(const std::string& url, const std::string& ca_file) {
    boost::asio::io_context io;
    HttpClient client(io.get_executor(), HomeserverUrl::parse(url).value(), ca_file);
    std::optional<Result<HttpResponse>> out;
    client.request(HttpRequest{http::verb::get, "/_matrix/client/versions", {}, {}, 5000ms},
                   [&](Result<HttpResponse> r) { out.emplace(std::move(r)); });
    io.run_for(10s);
    if (!out) return Error(ErrorKind::timeout, "test", 0, {}, "no result");
    return std::move(*out);
}

TEST_F(MatrixClientTest, TlsVerifiesTheChainAndTheHostName) {
    TlsServer server(m_state_dir);
    ASSERT_TRUE(server.ready()) << "openssl s_server did not start";
    auto port = std::to_string(server.port());
    // A self-signed certificate is not trusted by the system CAs.
    auto untrusted = get_over_tls("https://localhost:" + port, {});
    ASSERT_FALSE(untrusted);
    EXPECT_EQ(untrusted.error().kind, ErrorKind::network);
    EXPECT_NE(untrusted.error().message.find("TLS handshake"), std::string::npos) << untrusted.error().to_string();
    // Trusted and named: the request goes through.
    auto trusted = get_over_tls("https://localhost:" + port, server.cert());
    ASSERT_TRUE(trusted) << trusted.error().to_string();
    EXPECT_EQ(trusted.value().status, 200u);
    // Trusted, but the certificate does not name 127.0.0.1.
    auto wrong_name = get_over_tls("https://127.0.0.1:" + port, server.cert());
    ASSERT_FALSE(wrong_name);
    EXPECT_NE(wrong_name.error().message.find("TLS handshake"), std::string::npos) << wrong_name.error().to_string();
}

}  // namespace
}  // namespace switchboard::matrix
