// The control API over real HTTP on 127.0.0.1, against a scripted Station: every route,
// every error mapping, the token, and a station that answers after the request timed out.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include <rapidjson/document.h>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include "cli/control_client.hpp"
#include "control/control_api.hpp"
#include "http/http_server.hpp"
#include "support/test_node_context.hpp"

using namespace switchboard;
using namespace switchboard::core;
using namespace std::chrono_literals;
using boost::beast::http::verb;

namespace {

StationCall make_call(std::string id, std::string station, CallState state = CallState::ringing) {
    StationCall call;
    call.id = std::move(id);
    call.station = std::move(station);
    call.direction = "outgoing";
    call.peer = "@alice:example.org";
    call.place = "!room:example.org";
    call.state = state;
    call.started_unix_ms = 1'700'000'000'123;
    return call;
}

/// A station whose place_call answers as the test says: with a call, with an error, or
/// not at all (the handler is kept for the test to run later). Called on the io thread;
/// the test reads it under the mutex.
class ScriptedStation final : public Station {
public:
    explicit ScriptedStation(std::string name, boost::asio::any_io_executor io) : m_name(std::move(name)), m_io(io) {}

    void place_call(CallRequest request, PlaceHandler done) noexcept override {
        std::lock_guard lock(m_mutex);
        requests.push_back(request);
        if (hold) {
            held = std::move(done);
            return;
        }
        Result<StationCall> result = error ? Result<StationCall>(*error) : Result<StationCall>(make_call("c1", m_name));
        if (result) m_calls.push_back(result.value());
        // Never inside place_call (station.hpp).
        boost::asio::post(m_io, [done = std::move(done), result = std::move(result)]() mutable { done(result); });
    }
    Result<void> end_call(const std::string& id) noexcept override {
        std::lock_guard lock(m_mutex);
        if (end_error) return *end_error;
        for (auto& call : m_calls)
            if (call.id == id && call.state != CallState::ended) {
                call.state = CallState::ended;
                call.reason = "user_hangup";
                ended.push_back(id);
                return {};
            }
        return Error::not_found("no call " + id);
    }
    std::vector<StationCall> calls() const noexcept override {
        std::lock_guard lock(m_mutex);
        return m_calls;
    }
    void add(StationCall call) {
        std::lock_guard lock(m_mutex);
        m_calls.push_back(std::move(call));
    }

    mutable std::mutex m_mutex;
    bool hold = false;
    std::optional<Error> error;
    std::optional<Error> end_error;
    PlaceHandler held;
    std::vector<CallRequest> requests;
    std::vector<std::string> ended;

private:
    std::string m_name;
    boost::asio::any_io_executor m_io;
    std::vector<StationCall> m_calls;
};

class ControlApiTest : public testing::Test {
protected:
    void start(ControlApiOptions options = {}) {
        auto exec = m_io.get_executor();
        m_api = std::make_shared<ControlApi>(
            exec,
            std::vector<StationEntry>{{{"phone", "matrix.signalling"}, &m_phone}, {{"desk", "test.station"}, &m_desk}},
            options, m_log);
        m_server = std::make_shared<http::HttpServer>(
            exec, http::HttpLimits{},
            [api = m_api](http::Request&& request, http::Reply reply) { api->handle(std::move(request), reply); },
            m_log);
        auto bound = m_server->listen({boost::asio::ip::make_address("127.0.0.1"), 0});
        ASSERT_TRUE(bound) << bound.error().message;
        m_endpoint.address = "127.0.0.1:" + std::to_string(bound->port());
        m_thread = std::thread([this] { m_io.run(); });
    }
    void TearDown() override {
        if (m_server) boost::asio::post(m_io, [s = m_server] { s->close(); });
        m_work.reset();
        m_io.stop();
        if (m_thread.joinable()) m_thread.join();
    }

    ControlReply send(verb method, const std::string& target, const std::string& body = "",
                      std::optional<std::string> token = std::nullopt) {
        auto endpoint = m_endpoint;
        if (token) endpoint.token = token;
        auto reply = control_request(endpoint, method, target, body, 10s);
        EXPECT_TRUE(reply) << reply.error().message;
        return reply ? reply.value() : ControlReply{};
    }
    static rapidjson::Document json(const ControlReply& reply) {
        rapidjson::Document doc;
        doc.Parse(reply.body.c_str());
        EXPECT_FALSE(doc.HasParseError()) << reply.body;
        return doc;
    }

    boost::asio::io_context m_io;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> m_work{m_io.get_executor()};
    std::shared_ptr<test::RecordingLogger> m_log = std::make_shared<test::RecordingLogger>();
    ScriptedStation m_phone{"phone", m_io.get_executor()};
    ScriptedStation m_desk{"desk", m_io.get_executor()};
    std::shared_ptr<ControlApi> m_api;
    std::shared_ptr<http::HttpServer> m_server;
    ControlEndpoint m_endpoint;
    std::thread m_thread;
};

}  // namespace

TEST_F(ControlApiTest, HealthAndStations) {
    start();
    auto health = send(verb::get, "/health");
    EXPECT_EQ(health.status, 200u);
    EXPECT_EQ(health.body, R"({"status":"ok"})");
    auto stations = send(verb::get, "/stations");
    EXPECT_EQ(stations.status, 200u);
    EXPECT_EQ(stations.body,
              R"({"stations":[{"name":"phone","type":"matrix.signalling"},{"name":"desk","type":"test.station"}]})");
}

TEST_F(ControlApiTest, CallsListsEveryStationsCalls) {
    m_phone.add(make_call("a1", "phone", CallState::connected));
    m_desk.add(make_call("b2", "desk", CallState::ended));
    start();
    auto reply = send(verb::get, "/calls");
    ASSERT_EQ(reply.status, 200u);
    auto doc = json(reply);
    ASSERT_EQ(doc["calls"].Size(), 2u);
    const auto& a = doc["calls"][0];
    EXPECT_STREQ(a["id"].GetString(), "a1");
    EXPECT_STREQ(a["station"].GetString(), "phone");
    EXPECT_STREQ(a["direction"].GetString(), "outgoing");
    EXPECT_STREQ(a["peer"].GetString(), "@alice:example.org");
    EXPECT_STREQ(a["place"].GetString(), "!room:example.org");
    EXPECT_STREQ(a["state"].GetString(), "connected");
    EXPECT_STREQ(a["reason"].GetString(), "");
    EXPECT_EQ(a["started_unix_ms"].GetInt64(), 1'700'000'000'123);
    EXPECT_STREQ(doc["calls"][1]["state"].GetString(), "ended");
}

TEST_F(ControlApiTest, PlaceCallPassesTargetAndOptions) {
    start();
    auto reply = send(verb::post, "/stations/phone/call", R"({"target":"@bob:hs","options":{"version": 0}})");
    ASSERT_EQ(reply.status, 201u) << reply.body;
    auto doc = json(reply);
    EXPECT_STREQ(doc["call"]["id"].GetString(), "c1");
    EXPECT_STREQ(doc["call"]["state"].GetString(), "ringing");
    std::lock_guard lock(m_phone.m_mutex);
    ASSERT_EQ(m_phone.requests.size(), 1u);
    EXPECT_EQ(m_phone.requests[0].target, "@bob:hs");
    EXPECT_EQ(m_phone.requests[0].options_json, R"({"version":0})");
}

TEST_F(ControlApiTest, PlaceCallWithoutBodyUsesTheDefaults) {
    start();
    auto reply = send(verb::post, "/stations/desk/call");
    ASSERT_EQ(reply.status, 201u) << reply.body;
    std::lock_guard lock(m_desk.m_mutex);
    ASSERT_EQ(m_desk.requests.size(), 1u);
    EXPECT_EQ(m_desk.requests[0].target, "");
    EXPECT_EQ(m_desk.requests[0].options_json, "{}");
}

TEST_F(ControlApiTest, PercentEscapedStationName) {
    start();
    EXPECT_EQ(send(verb::post, "/stations/ph%6Fne/call").status, 201u);
    EXPECT_EQ(send(verb::post, "/stations/ph%zzne/call").status, 400u);
}

TEST_F(ControlApiTest, UnknownStationIs404) {
    start();
    auto reply = send(verb::post, "/stations/nosuch/call", R"({"target":"@a:b"})");
    EXPECT_EQ(reply.status, 404u);
    EXPECT_EQ(reply.error_message(), "no station named \"nosuch\"");
}

TEST_F(ControlApiTest, BadBodiesAre400NamingTheProblem) {
    start();
    auto not_json = send(verb::post, "/stations/phone/call", "{target");
    EXPECT_EQ(not_json.status, 400u);
    EXPECT_NE(not_json.error_message().find("the body is not JSON"), std::string::npos) << not_json.body;
    auto array = send(verb::post, "/stations/phone/call", "[]");
    EXPECT_EQ(array.status, 400u);
    EXPECT_NE(array.error_message().find("must be a JSON object"), std::string::npos);
    auto target = send(verb::post, "/stations/phone/call", R"({"target": 7})");
    EXPECT_EQ(target.status, 400u);
    EXPECT_EQ(target.error_message(), "/target: expected a string");
    auto options = send(verb::post, "/stations/phone/call", R"({"options": "x"})");
    EXPECT_EQ(options.error_message(), "/options: expected an object");
    auto unknown = send(verb::post, "/stations/phone/call", R"({"tagret": "@a:b"})");
    EXPECT_EQ(unknown.status, 400u);
    EXPECT_NE(unknown.error_message().find("unknown member \"tagret\""), std::string::npos);
    std::lock_guard lock(m_phone.m_mutex);
    EXPECT_TRUE(m_phone.requests.empty());
}

TEST_F(ControlApiTest, StationErrorsMapToStatuses) {
    start();
    const std::pair<Error, unsigned> cases[] = {
        {Error::invalid("bad target"), 400u},
        {Error::not_found("no such room"), 404u},
        {Error::unavailable("not signed in"), 409u},
        {Error::runtime("homeserver said 500"), 500u},
    };
    for (const auto& [error, status] : cases) {
        {
            std::lock_guard lock(m_phone.m_mutex);
            m_phone.error = error;
        }
        auto reply = send(verb::post, "/stations/phone/call");
        EXPECT_EQ(reply.status, status) << error.message;
        EXPECT_EQ(reply.error_message(), error.message);
    }
}

TEST_F(ControlApiTest, HangUpEndsARunningCall) {
    m_phone.add(make_call("gone", "phone", CallState::ended));
    m_desk.add(make_call("d1", "desk", CallState::connected));
    start();
    auto reply = send(verb::delete_, "/calls/d1");
    EXPECT_EQ(reply.status, 200u);
    EXPECT_EQ(reply.body, R"({"ended":"d1"})");
    {
        std::lock_guard lock(m_desk.m_mutex);
        EXPECT_EQ(m_desk.ended, std::vector<std::string>{"d1"});
    }
    // Ended calls (this one now, and one that ended before) and unknown ids are 404.
    EXPECT_EQ(send(verb::delete_, "/calls/d1").status, 404u);
    EXPECT_EQ(send(verb::delete_, "/calls/gone").status, 404u);
    auto unknown = send(verb::delete_, "/calls/x");
    EXPECT_EQ(unknown.status, 404u);
    EXPECT_EQ(unknown.error_message(), "no running call with id \"x\"");
}

TEST_F(ControlApiTest, HangUpErrorFromTheStation) {
    m_phone.add(make_call("p1", "phone", CallState::connected));
    m_phone.end_error = Error::unavailable("busy hanging up");
    start();
    auto reply = send(verb::delete_, "/calls/p1");
    EXPECT_EQ(reply.status, 409u);
    EXPECT_EQ(reply.error_message(), "busy hanging up");
}

TEST_F(ControlApiTest, WrongMethodIs405AndUnknownPathIs404) {
    start();
    auto post_health = send(verb::post, "/health");
    EXPECT_EQ(post_health.status, 405u);
    EXPECT_EQ(send(verb::delete_, "/stations").status, 405u);
    EXPECT_EQ(send(verb::post, "/calls").status, 405u);
    EXPECT_EQ(send(verb::get, "/stations/phone/call").status, 405u);
    EXPECT_EQ(send(verb::get, "/calls/x").status, 405u);
    EXPECT_EQ(send(verb::get, "/").status, 404u);
    EXPECT_EQ(send(verb::get, "/metrics-nope").status, 404u);
    EXPECT_EQ(send(verb::post, "/stations/phone/dial").status, 404u);
    auto reply = send(verb::get, "/nowhere");
    EXPECT_EQ(reply.error_message(), "no such resource: /nowhere");
    // A query string does not change the route.
    EXPECT_EQ(send(verb::get, "/health?verbose=1").status, 200u);
}

TEST_F(ControlApiTest, TokenIsCheckedOnEveryRouteAndNeverLogged) {
    ControlApiOptions options;
    options.token = "s3cret-token";
    start(options);
    for (const auto& [method, target] : std::vector<std::pair<verb, std::string>>{{verb::get, "/health"},
                                                                                  {verb::get, "/stations"},
                                                                                  {verb::get, "/calls"},
                                                                                  {verb::post, "/stations/phone/call"},
                                                                                  {verb::delete_, "/calls/x"},
                                                                                  {verb::get, "/nowhere"}}) {
        EXPECT_EQ(send(method, target).status, 401u) << target;
        EXPECT_EQ(send(method, target, "", "wrong").status, 401u) << target;
    }
    EXPECT_EQ(send(verb::get, "/health", "", "s3cret-token").status, 200u);
    EXPECT_EQ(send(verb::post, "/stations/phone/call", "", "s3cret-token").status, 201u);
    {
        std::lock_guard lock(m_phone.m_mutex);
        EXPECT_EQ(m_phone.requests.size(), 1u);  // the refused ones never reached it
    }
    for (const auto& line : m_log->lines()) EXPECT_EQ(line.find("s3cret"), std::string::npos) << line;
}

TEST_F(ControlApiTest, SilentStationTimesOutWith504AndItsLateAnswerIsHarmless) {
    ControlApiOptions options;
    options.place_timeout = 200ms;
    m_phone.hold = true;
    start(options);
    const auto before = std::chrono::steady_clock::now();
    auto reply = send(verb::post, "/stations/phone/call", R"({"target":"@slow:hs"})");
    EXPECT_EQ(reply.status, 504u);
    EXPECT_NE(reply.error_message().find("did not answer"), std::string::npos) << reply.body;
    EXPECT_LT(std::chrono::steady_clock::now() - before, 5s);

    // The station answers now: nobody is waiting; it must only be logged.
    Station::PlaceHandler held;
    {
        std::lock_guard lock(m_phone.m_mutex);
        held = std::move(m_phone.held);
    }
    ASSERT_TRUE(held);
    std::promise<void> ran;
    boost::asio::post(m_io, [&] {
        held(make_call("late1", "phone"));
        ran.set_value();
    });
    ASSERT_EQ(ran.get_future().wait_for(10s), std::future_status::ready);
    EXPECT_EQ(send(verb::get, "/health").status, 200u);
    bool logged = false;
    for (const auto& line : m_log->lines()) logged |= line.find("call=late1") != std::string::npos;
    EXPECT_TRUE(logged);
}

TEST_F(ControlApiTest, LateAnswerAfterTheApiIsGoneIsHarmless) {
    ControlApiOptions options;
    options.place_timeout = 100ms;
    m_phone.hold = true;
    start(options);
    EXPECT_EQ(send(verb::post, "/stations/phone/call").status, 504u);
    Station::PlaceHandler held;
    {
        std::lock_guard lock(m_phone.m_mutex);
        held = std::move(m_phone.held);
    }
    ASSERT_TRUE(held);
    // Close the server and drop the API, then answer, with an error this time.
    std::promise<void> ran;
    boost::asio::post(m_io, [&] {
        m_server->close();
        m_server.reset();
        m_api.reset();
        held(Error::runtime("too late"));
        ran.set_value();
    });
    ASSERT_EQ(ran.get_future().wait_for(10s), std::future_status::ready);
}
