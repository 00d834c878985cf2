// RTSP messages and interleaved packets from a camera's TCP connection: split across any
// reads, in order, and bad input refused with the reason.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rtsp/protocol/rtsp_message.hpp"

using namespace switchboard;
using namespace switchboard::rtsp;

namespace {

std::span<const std::uint8_t> bytes(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

const std::string describe_answer =
    "RTSP/1.0 200 OK\r\n"
    "CSeq: 2\r\n"
    "Content-Type: application/sdp\r\n"
    "content-length: 16\r\n"
    "\r\n"
    "v=0\r\no=- 0 0 IN ";

}  // namespace

TEST(RtspMessage, ReadsAResponseWithItsBody) {
    RtspStreamParser parser;
    std::vector<RtspItem> items;
    ASSERT_TRUE(parser.feed(bytes(describe_answer), items).ok());
    ASSERT_EQ(items.size(), 1u);
    const auto& r = std::get<RtspResponse>(items[0]);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.reason, "OK");
    EXPECT_EQ(r.cseq(), 2u);
    EXPECT_EQ(r.header("CONTENT-TYPE"), "application/sdp");
    EXPECT_EQ(r.body, "v=0\r\no=- 0 0 IN ");
    EXPECT_EQ(parser.buffered(), 0u);
}

TEST(RtspMessage, SplitsInterleavedPacketsAndMessagesAcrossReadsOfOneByte) {
    std::string stream =
        std::string("$\x00\x00\x03", 4) + "abc" + describe_answer + std::string("$\x01\x00\x02", 4) + "xy";
    RtspStreamParser parser;
    std::vector<RtspItem> items;
    for (char c : stream) ASSERT_TRUE(parser.feed(bytes(std::string(1, c)), items).ok());
    ASSERT_EQ(items.size(), 3u);
    EXPECT_EQ(std::get<InterleavedPacket>(items[0]).channel, 0);
    EXPECT_EQ(std::get<InterleavedPacket>(items[0]).data, (std::vector<std::uint8_t>{'a', 'b', 'c'}));
    EXPECT_EQ(std::get<RtspResponse>(items[1]).status, 200);
    EXPECT_EQ(std::get<InterleavedPacket>(items[2]).channel, 1);
    EXPECT_EQ(std::get<InterleavedPacket>(items[2]).data.size(), 2u);
}

TEST(RtspMessage, ReadsARequestFromTheServer) {
    RtspStreamParser parser;
    std::vector<RtspItem> items;
    ASSERT_TRUE(parser.feed(bytes("GET_PARAMETER rtsp://cam/ RTSP/1.0\r\nCSeq: 7\r\n\r\n"), items).ok());
    ASSERT_EQ(items.size(), 1u);
    const auto& r = std::get<RtspRequest>(items[0]);
    EXPECT_EQ(r.method, "GET_PARAMETER");
    EXPECT_EQ(r.uri, "rtsp://cam/");
    EXPECT_EQ(r.header("cseq"), "7");
}

TEST(RtspMessage, WritesARequest) {
    RtspRequest r{"SETUP",
                  "rtsp://127.0.0.1:8554/cam/trackID=0",
                  {{"CSeq", "3"}, {"Transport", "RTP/AVP/TCP;interleaved=0-1"}},
                  ""};
    EXPECT_EQ(r.serialize(),
              "SETUP rtsp://127.0.0.1:8554/cam/trackID=0 RTSP/1.0\r\nCSeq: 3\r\nTransport: "
              "RTP/AVP/TCP;interleaved=0-1\r\n\r\n");
    RtspRequest with_body{"SET_PARAMETER", "*", {{"CSeq", "4"}, {"Content-Length", "99"}}, "a: b\r\n"};
    EXPECT_EQ(with_body.serialize(), "SET_PARAMETER * RTSP/1.0\r\nCSeq: 4\r\nContent-Length: 6\r\n\r\na: b\r\n");
}

TEST(RtspMessage, RefusesWhatItCannotRead) {
    const std::vector<std::pair<std::string, std::string>> bad = {
        {"HTTP/1.1 200 OK\r\n\r\n", "neither a response nor a request"},
        {"RTSP/1.0 abc OK\r\n\r\n", "without a status"},
        {"RTSP/1.0 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length"},
        {"RTSP/1.0 200 OK\r\nContent-Length: 99999999\r\n\r\n", "a body of 99999999 bytes"},
        {"RTSP/1.0 200 OK\r\nno colon here\r\n\r\n", "without a name"},
        {"RTSP/1.0 200 OK\r\nX: a\x01b\r\n\r\n", "control characters"},
        // Binary noise is refused at once, not after a head's worth of it.
        {std::string(100, '\x17'), "control characters"},
    };
    for (const auto& [input, reason] : bad) {
        RtspStreamParser parser;
        std::vector<RtspItem> items;
        auto r = parser.feed(bytes(input), items);
        ASSERT_FALSE(r.ok()) << input;
        EXPECT_NE(r.error().message.find(reason), std::string::npos) << r.error().message;
        EXPECT_FALSE(parser.feed(bytes("RTSP/1.0 200 OK\r\n\r\n"), items).ok()) << "a failed stream stays failed";
    }
}

TEST(RtspMessage, WaitsForTheRestOfAStartLineCutAfterItsCarriageReturn) {
    RtspStreamParser parser;
    std::vector<RtspItem> items;
    ASSERT_TRUE(parser.feed(bytes("RTSP/1.0 200 OK\r"), items).ok());
    ASSERT_TRUE(parser.feed(bytes("\nCSeq: 1\r\n\r\n"), items).ok());
    ASSERT_EQ(items.size(), 1u);
}

TEST(RtspMessage, BoundsTheHeadAndTheHeaders) {
    RtspStreamParser::Limits limits;
    limits.max_head_bytes = 64;
    limits.max_headers = 2;
    RtspStreamParser endless(limits);
    std::vector<RtspItem> items;
    EXPECT_FALSE(endless.feed(bytes("RTSP/1.0 200 OK\r\n" + std::string(100, 'x')), items).ok());
    RtspStreamParser many(limits);
    EXPECT_FALSE(many.feed(bytes("RTSP/1.0 200 OK\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n"), items).ok());
}
