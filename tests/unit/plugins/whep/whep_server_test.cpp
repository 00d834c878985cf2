// whep.server over real HTTP on 127.0.0.1: a Beast client on its own thread and
// io_context, the node on the test context's io loop, and a fake CallHost that answers
// with canned SDP. Every wait is bounded.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "support/test_node_context.hpp"
#include "unit/plugins/plugin_test_util.hpp"
#include "whep/describe.hpp"
#include "whep/server_node.hpp"

using namespace switchboard;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace beast_http = beast::http;
using tcp = asio::ip::tcp;
using switchboard::test::JsonConfig;
using switchboard::test::TestNodeContext;

namespace {

const std::string offer_sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n";
const std::string answer_sdp =
    "v=0\r\no=- 3 4 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=candidate:1 1 udp 1 127.0.0.1 5 typ host\r\n";

class FakeCallHost;

/// A Call that records what the node asks of it. Completions run later on the io
/// executor, never inside the method, as call.hpp promises.
class FakeCall final : public Call {
public:
    FakeCall(FakeCallHost& host, CallOptions options, CallEvents events);
    ~FakeCall() override;
    const std::string& id() const noexcept override { return m_options.id; }
    void answer(std::string offer, DescriptionHandler done) noexcept override;
    void offer(DescriptionHandler done) noexcept override {
        asio::post(m_io, [done] { done(Error::runtime("not in this test")); });
    }
    void accept_answer(std::string, DescriptionHandler done) noexcept override {
        asio::post(m_io, [done] { done(Error::runtime("not in this test")); });
    }
    void add_remote_candidate(std::string candidate) noexcept override;
    void hang_up(std::string reason) noexcept override;
    CallState state() const noexcept override { return m_state; }

    /// The host ends the call (ICE failed): the node hears on_state(ended).
    void end(const std::string& reason) {
        m_state = CallState::ended;
        m_events.on_state(CallState::ended, reason);
    }

private:
    FakeCallHost& m_host;
    asio::any_io_executor m_io;
    CallOptions m_options;
    CallEvents m_events;
    CallState m_state = CallState::connecting;
};

class FakeCallHost final : public CallHost {
public:
    explicit FakeCallHost(asio::any_io_executor io) : io(std::move(io)) {}

    Result<std::unique_ptr<Call>> create_call(CallOptions options, CallEvents events) noexcept override {
        if (create_error) return *create_error;
        options_seen.push_back(options);
        auto call = std::make_unique<FakeCall>(*this, std::move(options), std::move(events));
        return std::unique_ptr<Call>(std::move(call));
    }

    asio::any_io_executor io;
    /// What answer() completes with.
    Result<std::string> answer = answer_sdp;
    std::optional<Error> create_error;

    std::vector<CallOptions> options_seen;
    std::vector<std::string> offers;
    std::map<std::string, FakeCall*> live;  ///< by call id
    std::vector<std::string> destroyed;
    std::map<std::string, std::vector<std::string>> candidates;
    std::vector<std::string> hung_up;
};

FakeCall::FakeCall(FakeCallHost& host, CallOptions options, CallEvents events)
    : m_host(host), m_io(host.io), m_options(std::move(options)), m_events(std::move(events)) {
    m_host.live[m_options.id] = this;
}
FakeCall::~FakeCall() {
    m_host.live.erase(m_options.id);
    m_host.destroyed.push_back(m_options.id);
}
void FakeCall::answer(std::string offer, DescriptionHandler done) noexcept {
    m_host.offers.push_back(std::move(offer));
    asio::post(m_io, [done, answer = m_host.answer] { done(answer); });
}
void FakeCall::add_remote_candidate(std::string candidate) noexcept {
    m_host.candidates[m_options.id].push_back(std::move(candidate));
}
void FakeCall::hang_up(std::string reason) noexcept {
    m_host.hung_up.push_back(m_options.id + ": " + reason);
}

/// What a client got: a response, or why there is none.
struct Exchange {
    std::string error;
    beast_http::response<beast_http::string_body> response;
    int status() const { return int(response.result_int()); }
    std::string header(beast_http::field f) const { return std::string(response[f]); }
};

/// Sends `raw` (one or more requests as bytes) to `endpoint` and reads one response,
/// all on this thread's own io_context, bounded by a 5 s deadline.
Exchange exchange(tcp::endpoint endpoint, std::string raw) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    beast::flat_buffer buffer;
    beast_http::response_parser<beast_http::string_body> parser;
    Exchange out;
    stream.expires_after(5s);
    stream.async_connect(endpoint, [&](beast::error_code ec) {
        if (ec) return void(out.error = "connect: " + ec.message());
        asio::async_write(stream, asio::buffer(raw), [&](beast::error_code ec, std::size_t) {
            if (ec) return void(out.error = "write: " + ec.message());
            beast_http::async_read(stream, buffer, parser, [&](beast::error_code ec, std::size_t) {
                if (ec) return void(out.error = "read: " + ec.message());
                out.response = parser.release();
            });
        });
    });
    io.run_for(6s);
    if (out.error.empty() && out.response.result_int() == 0) out.error = "no response";
    return out;
}

std::string serialize(beast_http::verb method, const std::string& target, const std::string& body = {},
                      const std::string& content_type = {}, const std::map<std::string, std::string>& headers = {}) {
    beast_http::request<beast_http::string_body> request{method, target, 11};
    request.set(beast_http::field::host, "127.0.0.1");
    request.keep_alive(false);
    if (!content_type.empty()) request.set(beast_http::field::content_type, content_type);
    for (const auto& [name, value] : headers) request.set(name, value);
    request.body() = body;
    request.prepare_payload();
    std::ostringstream text;
    text << request;
    return text.str();
}

class WhepServer : public ::testing::Test {
protected:
    void start(const std::string& json = R"({"listen":"127.0.0.1:0"})") {
        ctx.set_call_host(&host);
        JsonConfig cfg(json);
        auto made = whep::describe().node_types.at(0).create(ctx, cfg.config());
        ASSERT_TRUE(made) << made.error().message;
        node = std::move(made.value());
        Result<void> started = Error::runtime("start() did not run");
        ctx.call([&] { started = node->start(); });
        ASSERT_TRUE(started) << started.error().message;
        endpoint = static_cast<whep::ServerNode&>(*node).local_endpoint();
        ASSERT_NE(endpoint.port(), 0);
    }

    void TearDown() override {
        if (node) ctx.call([&] { node->stop(); });
        node.reset();
        ctx.drain();
    }

    /// Sends from another thread while this one runs the node's io loop.
    Exchange send(std::string raw) {
        auto result =
            std::async(std::launch::async, [ep = endpoint, raw = std::move(raw)] { return exchange(ep, raw); });
        EXPECT_TRUE(ctx.run_until([&] { return result.wait_for(0s) == std::future_status::ready; }, 10s));
        auto out = result.get();
        ctx.drain();  // let posted follow-ups (a session ending) run
        return out;
    }
    Exchange post_offer(const std::string& path = "/whep", const std::map<std::string, std::string>& headers = {}) {
        return send(serialize(beast_http::verb::post, path, offer_sdp, "application/sdp", headers));
    }
    /// Runs the io loop until `done()` (bounded).
    bool settle(const std::function<bool()>& done) { return ctx.run_until(done, 5s); }

    TestNodeContext ctx{"whep"};
    FakeCallHost host{ctx.io_executor()};
    std::unique_ptr<Node> node;
    tcp::endpoint endpoint;
};

}  // namespace

TEST_F(WhepServer, PortsFollowTheContract) {
    start();
    auto inputs = node->input_ports();
    ASSERT_EQ(inputs.size(), 2u);
    EXPECT_EQ(inputs[0].name, "video");
    EXPECT_EQ(inputs[0].formats.at(0).codec, Codec::any);
    EXPECT_EQ(inputs[1].name, "audio");
    EXPECT_EQ(inputs[1].kind, MediaKind::audio);
    auto outputs = node->output_ports();
    ASSERT_EQ(outputs.size(), 2u);
    EXPECT_TRUE(outputs[0].negotiated);
    EXPECT_EQ(outputs[0].formats.at(0).codec, Codec::vp8);
    EXPECT_EQ(outputs[0].formats.at(1).codec, Codec::h264);
    EXPECT_EQ(outputs[0].formats.at(1).packetization_mode, 1);
    EXPECT_EQ(outputs[1].formats.at(0).codec, Codec::opus);
    EXPECT_EQ(outputs[1].formats.at(0).clock_rate, 48000);
}

TEST_F(WhepServer, LogsTheViewerPageWithTheBoundPort) {
    start();
    const auto expected = "viewer page: http://127.0.0.1:" + std::to_string(endpoint.port()) + "/";
    bool found = false;
    for (const auto& line : ctx.logger().lines()) found = found || line == expected;
    EXPECT_TRUE(found) << expected;
}

TEST_F(WhepServer, GetRootServesTheViewerPage) {
    start();
    auto r = send(serialize(beast_http::verb::get, "/?token=abc"));
    ASSERT_EQ(r.error, "");
    EXPECT_EQ(r.status(), 200);
    EXPECT_EQ(r.header(beast_http::field::content_type), "text/html; charset=utf-8");
    EXPECT_NE(r.response.body().find("RTCPeerConnection"), std::string::npos);
    EXPECT_NE(r.response.body().find("window.switchboardViewer"), std::string::npos);
    EXPECT_NE(r.response.body().find("requestVideoFrameCallback"), std::string::npos);
    EXPECT_NE(r.response.body().find("</html>"), std::string::npos);
}

TEST_F(WhepServer, WhepPostAnswersWith201LocationAndSdp) {
    start();
    auto r = post_offer();
    ASSERT_EQ(r.error, "");
    ASSERT_EQ(r.status(), 201) << r.response.body();
    EXPECT_EQ(r.header(beast_http::field::content_type), "application/sdp");
    EXPECT_EQ(r.response.body(), answer_sdp);
    ASSERT_EQ(host.options_seen.size(), 1u);
    const auto& options = host.options_seen[0];
    EXPECT_EQ(r.header(beast_http::field::location), "/whep/" + options.id);
    EXPECT_TRUE(options.complete_gathering);
    EXPECT_EQ(options.media.send_video, std::optional<PortIndex>(0));
    EXPECT_EQ(options.media.send_audio, std::optional<PortIndex>(1));
    EXPECT_FALSE(options.media.receive_video);
    EXPECT_FALSE(options.media.receive_audio);
    ASSERT_EQ(host.offers.size(), 1u);
    EXPECT_EQ(host.offers[0], offer_sdp);
    EXPECT_EQ(host.live.size(), 1u);
}

TEST_F(WhepServer, WhipPostReceivesIntoTheOutputs) {
    start();
    auto r = post_offer("/whip");
    ASSERT_EQ(r.status(), 201) << r.error << r.response.body();
    ASSERT_EQ(host.options_seen.size(), 1u);
    const auto& options = host.options_seen[0];
    EXPECT_EQ(r.header(beast_http::field::location), "/whip/" + options.id);
    EXPECT_EQ(options.media.receive_video, std::optional<PortIndex>(0));
    EXPECT_EQ(options.media.receive_audio, std::optional<PortIndex>(1));
    EXPECT_FALSE(options.media.send_video);
    // A WHIP session is not reachable under /whep.
    auto wrong = send(serialize(beast_http::verb::delete_, "/whep/" + options.id));
    EXPECT_EQ(wrong.status(), 404);
    auto right = send(serialize(beast_http::verb::delete_, "/whip/" + options.id));
    EXPECT_EQ(right.status(), 200);
}

TEST_F(WhepServer, TokenRequiredWhenConfigured) {
    start(R"({"listen":"127.0.0.1:0","token":"s3cret"})");
    auto none = post_offer();
    EXPECT_EQ(none.status(), 401);
    EXPECT_EQ(none.header(beast_http::field::www_authenticate), "Bearer");
    auto wrong = post_offer("/whep", {{"Authorization", "Bearer s3cre"}});
    EXPECT_EQ(wrong.status(), 401);
    auto basic = post_offer("/whep", {{"Authorization", "Basic czNjcmV0"}});
    EXPECT_EQ(basic.status(), 401);
    EXPECT_TRUE(host.options_seen.empty()) << "a refused request must cost nothing";
    auto right = post_offer("/whep", {{"Authorization", "Bearer s3cret"}});
    EXPECT_EQ(right.status(), 201) << right.response.body();
    // Session resources need the token too.
    const auto location = right.header(beast_http::field::location);
    EXPECT_EQ(send(serialize(beast_http::verb::delete_, location)).status(), 401);
    EXPECT_EQ(
        send(serialize(beast_http::verb::delete_, location, {}, {}, {{"Authorization", "Bearer s3cret"}})).status(),
        200);
    // A CORS preflight carries no credentials, and the page is public.
    EXPECT_EQ(send(serialize(beast_http::verb::options, "/whep")).status(), 204);
    EXPECT_EQ(send(serialize(beast_http::verb::get, "/")).status(), 200);
    for (const auto& line : ctx.logger().lines()) EXPECT_EQ(line.find("s3cret"), std::string::npos) << line;
}

TEST_F(WhepServer, OptionsAdvertisesMethodsAndSdp) {
    start();
    auto r = send(serialize(beast_http::verb::options, "/whep"));
    EXPECT_EQ(r.status(), 204);
    EXPECT_EQ(r.header(beast_http::field::allow), "OPTIONS, POST");
    EXPECT_EQ(std::string(r.response["Accept-Post"]), "application/sdp");
    EXPECT_EQ(r.header(beast_http::field::access_control_allow_origin), "*");
}

TEST_F(WhepServer, BadRequestsGetClear4xxAndNoCall) {
    start(R"({"listen":"127.0.0.1:0","max_sessions":1})");
    auto wrong_type = send(serialize(beast_http::verb::post, "/whep", offer_sdp, "text/plain"));
    EXPECT_EQ(wrong_type.status(), 415);
    EXPECT_NE(wrong_type.response.body().find("application/sdp"), std::string::npos);
    EXPECT_EQ(send(serialize(beast_http::verb::post, "/whep", offer_sdp)).status(), 415);  // no Content-Type
    EXPECT_EQ(send(serialize(beast_http::verb::post, "/whep", "hello", "application/sdp")).status(), 400);
    EXPECT_EQ(send(serialize(beast_http::verb::post, "/whep", "", "application/sdp")).status(), 400);
    EXPECT_EQ(send(serialize(beast_http::verb::get, "/whep")).status(), 405);
    EXPECT_EQ(send(serialize(beast_http::verb::get, "/whep")).header(beast_http::field::allow), "OPTIONS, POST");
    EXPECT_EQ(send(serialize(beast_http::verb::put, "/")).status(), 405);
    EXPECT_EQ(send(serialize(beast_http::verb::get, "/nothing")).status(), 404);
    EXPECT_EQ(send(serialize(beast_http::verb::get, "/whepx")).status(), 404);
    EXPECT_EQ(send(serialize(beast_http::verb::delete_, "/whep/0123456789abcdef")).status(), 404);
    EXPECT_EQ(send(serialize(beast_http::verb::delete_, "/whep/../../etc")).status(), 404);
    EXPECT_EQ(send(serialize(beast_http::verb::patch, "/whep/0123456789abcdef", "a=end-of-candidates\r\n",
                             "application/trickle-ice-sdpfrag"))
                  .status(),
              404);
    EXPECT_EQ(send("this is not HTTP\r\n\r\n").status(), 400);
    auto big = send(serialize(beast_http::verb::post, "/whep", std::string(70 * 1024, 'x'), "application/sdp"));
    EXPECT_EQ(big.status(), 413) << big.error;
    EXPECT_TRUE(host.options_seen.empty()) << "bad input must cost nothing";

    // max_sessions: 1 -> the second offer gets 503 while the first session lives.
    EXPECT_EQ(post_offer().status(), 201);
    auto full = post_offer();
    EXPECT_EQ(full.status(), 503);
    EXPECT_EQ(full.header(beast_http::field::retry_after), "5");
    EXPECT_EQ(host.options_seen.size(), 1u);
}

TEST_F(WhepServer, AnswerErrorsBecome400Or500AndEndTheSession) {
    start();
    host.answer = Error::invalid("no codec in the offer we can send");
    auto invalid = post_offer();
    EXPECT_EQ(invalid.status(), 400);
    EXPECT_NE(invalid.response.body().find("no codec in the offer we can send"), std::string::npos);
    host.answer = Error::runtime("DTLS certificate unavailable");
    auto failed = post_offer();
    EXPECT_EQ(failed.status(), 500);
    EXPECT_NE(failed.response.body().find("DTLS certificate unavailable"), std::string::npos);
    EXPECT_TRUE(host.live.empty());
    EXPECT_EQ(host.destroyed.size(), 2u);
}

TEST_F(WhepServer, NoWebRtcIs503) {
    start();
    host.create_error = Error::unavailable("this graph runs without WebRTC");
    auto r = post_offer();
    EXPECT_EQ(r.status(), 503);
    EXPECT_NE(r.response.body().find("without WebRTC"), std::string::npos);
}

TEST_F(WhepServer, PatchTricklesCandidatesToTheCall) {
    start();
    auto created = post_offer();
    ASSERT_EQ(created.status(), 201);
    const auto location = created.header(beast_http::field::location);
    const std::string id = host.options_seen.at(0).id;
    const std::string frag =
        "a=ice-ufrag:EsAw\r\na=ice-pwd:P2uYro0UCOQ4zxjKXaWCBui1\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\n"
        "a=candidate:1 1 udp 2122260223 192.0.2.1 61764 typ host\r\na=end-of-candidates\r\n";
    auto wrong_type = send(serialize(beast_http::verb::patch, location, frag, "application/sdp"));
    EXPECT_EQ(wrong_type.status(), 415);
    auto r = send(serialize(beast_http::verb::patch, location, frag, "application/trickle-ice-sdpfrag"));
    EXPECT_EQ(r.status(), 204) << r.response.body();
    EXPECT_EQ(host.candidates[id],
              (std::vector<std::string>{"a=candidate:1 1 udp 2122260223 192.0.2.1 61764 typ host", ""}));
}

TEST_F(WhepServer, DeleteHangsUpAndForgetsTheSession) {
    start();
    auto created = post_offer();
    ASSERT_EQ(created.status(), 201);
    const auto location = created.header(beast_http::field::location);
    const std::string id = host.options_seen.at(0).id;
    EXPECT_EQ(send(serialize(beast_http::verb::delete_, location)).status(), 200);
    EXPECT_EQ(host.live.count(id), 0u);
    EXPECT_EQ(host.destroyed, std::vector<std::string>{id});
    EXPECT_EQ(send(serialize(beast_http::verb::delete_, location)).status(), 404);
}

TEST_F(WhepServer, ACallThatEndsRemovesItsSession) {
    start(R"({"listen":"127.0.0.1:0","max_sessions":1})");
    auto created = post_offer();
    ASSERT_EQ(created.status(), 201);
    const std::string id = host.options_seen.at(0).id;
    ASSERT_EQ(host.live.count(id), 1u);
    host.live[id]->end("ice failed");
    EXPECT_TRUE(settle([&] { return host.live.empty(); }));
    EXPECT_EQ(send(serialize(beast_http::verb::delete_, created.header(beast_http::field::location))).status(), 404);
    EXPECT_EQ(post_offer().status(), 201) << "the ended session must free its slot";
}

TEST_F(WhepServer, KeepAliveServesSeveralRequestsOnOneConnection) {
    start();
    std::string two = serialize(beast_http::verb::options, "/whep");
    // The first asks to keep the connection; the response to the second is the one read.
    auto keep = two;
    keep.replace(keep.find("Connection: close"), std::string("Connection: close").size(), "Connection: keep-alive");
    auto r = send(keep + serialize(beast_http::verb::get, "/nothing"));
    EXPECT_EQ(r.status(), 204);  // the client reads the first response only
}

TEST_F(WhepServer, SlowClientsAreCutOffByTheReadTimeout) {
    start(R"({"listen":"127.0.0.1:0","read_timeout_s":0.2})");
    const auto began = std::chrono::steady_clock::now();
    auto r = send("POST /whep HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nv=0");
    EXPECT_NE(r.error, "");  // closed without a response
    EXPECT_LT(std::chrono::steady_clock::now() - began, 4s);
}

TEST_F(WhepServer, StopHangsUpEveryCallAndCloses) {
    start();
    ASSERT_EQ(post_offer().status(), 201);
    ASSERT_EQ(post_offer("/whip").status(), 201);
    EXPECT_EQ(host.live.size(), 2u);
    ctx.call([&] { node->stop(); });
    EXPECT_TRUE(host.live.empty());
    EXPECT_EQ(host.destroyed.size(), 2u);
    auto r = send(serialize(beast_http::verb::get, "/"));
    EXPECT_NE(r.error, "") << "the listener must be closed";
    node.reset();
}

TEST_F(WhepServer, StopFromAnotherThreadClosesOnTheIoLoop) {
    start();
    ASSERT_EQ(post_offer().status(), 201);
    // As the host does when its control loop still runs: stop() on a worker thread,
    // the io loop on this one.
    auto stopped = std::async(std::launch::async, [&] { node->stop(); });
    EXPECT_TRUE(ctx.run_until([&] { return stopped.wait_for(0s) == std::future_status::ready; }, 5s));
    stopped.get();
    EXPECT_TRUE(host.live.empty());
    node.reset();
}

TEST_F(WhepServer, APortInUseFailsTheStart) {
    start();
    JsonConfig cfg(R"({"listen":"127.0.0.1:)" + std::to_string(endpoint.port()) + R"("})");
    TestNodeContext other("whep2");
    auto made = whep::describe().node_types.at(0).create(other, cfg.config());
    ASSERT_TRUE(made);
    Result<void> started;
    other.call([&] { started = made.value()->start(); });
    ASSERT_FALSE(started);
    EXPECT_EQ(started.error().kind, ErrorKind::unavailable);
    EXPECT_NE(started.error().message.find("cannot listen on 127.0.0.1:" + std::to_string(endpoint.port())),
              std::string::npos)
        << started.error().message;
    other.call([&] { made.value()->stop(); });
}

TEST_F(WhepServer, NonLoopbackWithoutTokenIsRefusedAtCreation) {
    JsonConfig cfg(R"({"listen":"0.0.0.0:0"})", "/nodes/1/config");
    auto made = whep::describe().node_types.at(0).create(ctx, cfg.config());
    ASSERT_FALSE(made);
    EXPECT_EQ(made.error().kind, ErrorKind::invalid);
    EXPECT_EQ(made.error().message.rfind("/nodes/1/config/token: required", 0), 0u) << made.error().message;
}
