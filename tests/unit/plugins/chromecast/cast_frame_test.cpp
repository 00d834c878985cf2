// CASTV2 framing: the wire bytes of a CastMessage (checked against a hand-made encoding,
// so the field numbers are pinned), frames split across reads of any size, and every kind
// of bad input refused with its reason: oversize, truncated at close, not protobuf,
// required fields missing.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "chromecast/cast/cast_frame.hpp"

using namespace switchboard;
using namespace switchboard::chromecast;

namespace {

std::span<const std::uint8_t> bytes(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

/// A protobuf length-delimited field: tag, one- or two-byte length, bytes.
std::string field(int number, const std::string& value) {
    std::string out(1, char(number << 3 | 2));
    if (value.size() < 128) {
        out += char(value.size());
    } else {
        out += char(0x80 | (value.size() & 0x7f));
        out += char(value.size() >> 7);
    }
    return out + value;
}

std::string varint_field(int number, std::uint8_t value) {
    return {char(number << 3 | 0), char(value)};
}

/// A CastMessage encoded by hand from the wire format's field numbers.
std::string hand_encoded(const std::string& src, const std::string& dst, const std::string& ns,
                         const std::string& utf8) {
    return varint_field(1, 0) + field(2, src) + field(3, dst) + field(4, ns) + varint_field(5, 0) + field(6, utf8);
}

std::string prefixed(const std::string& body) {
    const auto n = body.size();
    return std::string{char(n >> 24), char(n >> 16), char(n >> 8), char(n)} + body;
}

CastMessage ping() {
    return {"sender-0", "receiver-0", std::string(ns::heartbeat), std::string(R"({"type":"PING"})")};
}

}  // namespace

TEST(CastFrame, EncodesTheWireFormatByteForByte) {
    auto frame = encode_frame(ping());
    ASSERT_TRUE(frame.ok()) << frame.error().message;
    EXPECT_EQ(frame.value(),
              prefixed(hand_encoded("sender-0", "receiver-0", std::string(ns::heartbeat), R"({"type":"PING"})")));
}

TEST(CastFrame, ReadsAHandEncodedMessage) {
    CastFrameReader reader;
    std::vector<CastMessage> out;
    ASSERT_TRUE(
        reader.feed(bytes(prefixed(hand_encoded("receiver-0", "sender-0", std::string(ns::receiver), "{}"))), out)
            .ok());
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].source_id, "receiver-0");
    EXPECT_EQ(out[0].destination_id, "sender-0");
    EXPECT_EQ(out[0].name_space, ns::receiver);
    EXPECT_EQ(out[0].text(), "{}");
    EXPECT_TRUE(reader.finish().ok());
}

TEST(CastFrame, BinaryPayloadsRoundTrip) {
    CastMessage m{"a", "b", "urn:x-cast:test", CastMessage::Binary{0, 1, 2, 255}};
    auto frame = encode_frame(m);
    ASSERT_TRUE(frame.ok());
    CastFrameReader reader;
    std::vector<CastMessage> out;
    ASSERT_TRUE(reader.feed(bytes(frame.value()), out).ok());
    ASSERT_EQ(out.size(), 1u);
    EXPECT_FALSE(out[0].is_text());
    EXPECT_EQ(std::get<CastMessage::Binary>(out[0].payload), (CastMessage::Binary{0, 1, 2, 255}));
}

TEST(CastFrame, SplitsFramesAcrossReadsOfOneByte) {
    std::string stream;
    for (int i = 0; i < 3; ++i) {
        auto m = ping();
        m.source_id = "sender-" + std::to_string(i);
        stream += encode_frame(m).value();
    }
    CastFrameReader reader;
    std::vector<CastMessage> out;
    for (char c : stream) {
        ASSERT_TRUE(reader.feed(bytes(std::string(1, c)), out).ok());
    }
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[2].source_id, "sender-2");
    EXPECT_EQ(reader.buffered(), 0u);
    EXPECT_TRUE(reader.finish().ok());
}

TEST(CastFrame, AMessageOfExactlyTheLimitPassesAndOneMoreByteIsRefused) {
    auto m = ping();
    const std::size_t overhead = encode_frame(m).value().size() - 4 - m.text().size();
    // The payload's length prefix grows from 1 to 3 bytes past 16 KiB.
    m.payload = std::string(max_cast_message_bytes - overhead - 2, 'x');
    auto at_limit = encode_frame(m);
    ASSERT_TRUE(at_limit.ok()) << at_limit.error().message;
    EXPECT_EQ(at_limit.value().size(), 4 + max_cast_message_bytes);
    CastFrameReader reader;
    std::vector<CastMessage> out;
    ASSERT_TRUE(reader.feed(bytes(at_limit.value()), out).ok());
    EXPECT_EQ(out.size(), 1u);

    m.payload = std::string(max_cast_message_bytes - overhead - 1, 'x');
    auto over = encode_frame(m);
    ASSERT_FALSE(over.ok());
    EXPECT_NE(over.error().message.find("over the 65536-byte limit"), std::string::npos) << over.error().message;
}

TEST(CastFrame, AnOversizeLengthIsRefusedOnItsPrefixAlone) {
    CastFrameReader reader;
    std::vector<CastMessage> out;
    auto r = reader.feed(bytes(std::string("\x00\x01\x00\x01", 4)), out);  // 65537
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_NE(r.error().message.find("frame 1 announces 65537 bytes"), std::string::npos) << r.error().message;
    EXPECT_EQ(reader.buffered(), 0u);
    // Failed stays failed: the stream is out of step.
    EXPECT_FALSE(reader.feed(bytes(encode_frame(ping()).value()), out).ok());
    EXPECT_TRUE(out.empty());
}

TEST(CastFrame, AHugeLengthIsRefusedToo) {
    CastFrameReader reader;
    std::vector<CastMessage> out;
    auto r = reader.feed(bytes(std::string("\xff\xff\xff\xff", 4)), out);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find("4294967295"), std::string::npos) << r.error().message;
}

TEST(CastFrame, MessagesBeforeABadFrameAreKept) {
    CastFrameReader reader;
    std::vector<CastMessage> out;
    auto r = reader.feed(bytes(encode_frame(ping()).value() + prefixed("garbage!")), out);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(out.size(), 1u);
    EXPECT_NE(r.error().message.find("CASTV2 frame 2:"), std::string::npos) << r.error().message;
}

TEST(CastFrame, TruncatedFramesAreReportedAtTheEndOfTheStream) {
    const std::string frame = encode_frame(ping()).value();
    {
        CastFrameReader reader;
        std::vector<CastMessage> out;
        ASSERT_TRUE(reader.feed(bytes(frame.substr(0, frame.size() - 5)), out).ok());
        auto end = reader.finish();
        ASSERT_FALSE(end.ok());
        EXPECT_NE(end.error().message.find("ended inside frame 1 ("), std::string::npos) << end.error().message;
    }
    {
        CastFrameReader reader;
        std::vector<CastMessage> out;
        ASSERT_TRUE(reader.feed(bytes(frame + frame.substr(0, 2)), out).ok());
        EXPECT_EQ(out.size(), 1u);
        auto end = reader.finish();
        ASSERT_FALSE(end.ok());
        EXPECT_NE(end.error().message.find("inside frame 2's length (2 of 4 bytes)"), std::string::npos)
            << end.error().message;
    }
}

TEST(CastFrame, GarbageProtobufIsRefused) {
    for (const std::string& body : {std::string("\xff\xff\xff\xff\xff", 5), std::string("hello world"),
                                    std::string("\x12\x7f"
                                                "short",
                                                7),
                                    std::string()}) {
        CastFrameReader reader;
        std::vector<CastMessage> out;
        auto r = reader.feed(bytes(prefixed(body)), out);
        ASSERT_FALSE(r.ok()) << "body of " << body.size() << " bytes";
        EXPECT_NE(r.error().message.find("is not a CastMessage"), std::string::npos) << r.error().message;
        EXPECT_TRUE(out.empty());
    }
}

TEST(CastFrame, AMessageWithoutItsRequiredFieldsIsRefused) {
    // No namespace (field 4).
    const std::string body = varint_field(1, 0) + field(2, "a") + field(3, "b") + varint_field(5, 0) + field(6, "{}");
    CastFrameReader reader;
    std::vector<CastMessage> out;
    EXPECT_FALSE(reader.feed(bytes(prefixed(body)), out).ok());
}

TEST(CastFrame, AnUnknownProtocolVersionOrAMissingPayloadIsRefused) {
    auto v = decode_cast_message(
        bytes(varint_field(1, 0) + field(2, "a") + field(3, "b") + field(4, "ns") + varint_field(5, 0)));
    ASSERT_FALSE(v.ok());
    EXPECT_NE(v.error().message.find("STRING without payload_utf8"), std::string::npos) << v.error().message;
    auto b = decode_cast_message(bytes(varint_field(1, 0) + field(2, "a") + field(3, "b") + field(4, "ns") +
                                       varint_field(5, 1) + field(6, "text")));
    ASSERT_FALSE(b.ok());
    EXPECT_NE(b.error().message.find("BINARY without payload_binary"), std::string::npos) << b.error().message;
    // An enum value proto2 does not know lands in unknown fields: the required field is
    // then missing, so this is refused as not a CastMessage.
    EXPECT_FALSE(decode_cast_message(bytes(varint_field(1, 7) + field(2, "a") + field(3, "b") + field(4, "ns") +
                                           varint_field(5, 0) + field(6, "{}")))
                     .ok());
}
