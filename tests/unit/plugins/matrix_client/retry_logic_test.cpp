// Back-off, transaction ids, error context and TURN parsing: the pure parts of retrying.
#include <set>

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "matrix_client/backoff.hpp"
#include "matrix_client/client_api.hpp"
#include "matrix_client/turn_server.hpp"
#include "matrix_client/txn_ids.hpp"

namespace switchboard::matrix {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesToTheCapAndResets) {
    Backoff backoff(milliseconds(100), milliseconds(1000));
    Error network(ErrorKind::network, "GET /sync", 0, {}, "reset");
    EXPECT_EQ(backoff.next(network), milliseconds(100));
    EXPECT_EQ(backoff.next(network), milliseconds(200));
    EXPECT_EQ(backoff.next(network), milliseconds(400));
    EXPECT_EQ(backoff.next(network), milliseconds(800));
    EXPECT_EQ(backoff.next(network), milliseconds(1000));
    EXPECT_EQ(backoff.next(network), milliseconds(1000));
    backoff.reset();
    EXPECT_EQ(backoff.next(network), milliseconds(100));
}

TEST(Backoff, HonoursTheServersHint) {
    Backoff backoff(milliseconds(100), milliseconds(1000));
    Error limited(ErrorKind::http, "PUT /x", 429, "M_LIMIT_EXCEEDED", "Too Many Requests");
    limited.retry_after = milliseconds(2500);  // above our cap: the server decides
    EXPECT_EQ(backoff.next(limited), milliseconds(2500));
}

TEST(ErrorFromResponse, ReadsErrcodeRetryAfterMsAndHeader) {
    HttpResponse response{
        429, R"({"errcode":"M_LIMIT_EXCEEDED","error":"Too Many Requests","retry_after_ms":750})", {}};
    auto error = error_from_response("PUT /rooms/!r/send/m.x/t1", response);
    EXPECT_TRUE(error.rate_limited());
    EXPECT_TRUE(error.retryable());
    EXPECT_EQ(error.retry_after, milliseconds(750));
    EXPECT_EQ(error.to_string(),
              "PUT /rooms/!r/send/m.x/t1: HTTP 429 M_LIMIT_EXCEEDED: Too Many Requests (retry after 750 ms)");
    response.retry_after = std::chrono::seconds(2);  // the header wins (spec v1.10)
    EXPECT_EQ(error_from_response("x", response).retry_after, milliseconds(2000));
    auto forbidden = error_from_response("x", HttpResponse{403, R"({"errcode":"M_FORBIDDEN","error":"no"})", {}});
    EXPECT_FALSE(forbidden.retryable());
    auto token = error_from_response("x", HttpResponse{401, R"({"errcode":"M_UNKNOWN_TOKEN","soft_logout":true})", {}});
    EXPECT_TRUE(token.unknown_token());
    EXPECT_TRUE(token.soft_logout);
    auto html = error_from_response("x", HttpResponse{502, "<html>bad gateway</html>", {}});
    EXPECT_TRUE(html.retryable());
    EXPECT_EQ(html.message, "<html>bad gateway</html>");
}

TEST(TxnIds, UniqueWithinAndAcrossRuns) {
    TxnIds first;
    TxnIds second;
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        EXPECT_TRUE(seen.insert(first.next()).second);
        EXPECT_TRUE(seen.insert(second.next()).second);
    }
    EXPECT_EQ(TxnIds("p").next(), "p.1");
}

TEST(TurnServer, ParsesSynapsesAnswer) {
    rapidjson::Document doc;
    doc.Parse(R"({"username":"1700000000:@gw:hs","password":"c2VjcmV0","ttl":86400,
                  "uris":["turn:turn.example.org:3478?transport=udp","turns:turn.example.org:5349",7]})");
    auto turn = parse_turn_server(doc);
    EXPECT_FALSE(turn.empty());
    ASSERT_EQ(turn.uris.size(), 2u);
    EXPECT_EQ(turn.uris[1], "turns:turn.example.org:5349");
    EXPECT_EQ(turn.username, "1700000000:@gw:hs");
    EXPECT_EQ(turn.ttl, std::chrono::seconds(86400));
    doc.Parse("{}");  // Synapse without TURN
    EXPECT_TRUE(parse_turn_server(doc).empty());
}

}  // namespace
}  // namespace switchboard::matrix
