// The mDNS message bytes: the query exactly as sent, a response laid out as a Chromecast
// sends it (PTR answer, SRV/TXT/A additionals, every name compressed), and malformed
// input, each refused with an Error that names the offset.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "chromecast/discovery/dns_message.hpp"

using namespace switchboard;
using namespace switchboard::chromecast;

namespace {

/// Writes a DNS message by hand, keeping the offsets that compression pointers need.
struct Packet {
    std::vector<std::uint8_t> b;

    Packet& u8(std::uint8_t v) {
        b.push_back(v);
        return *this;
    }
    Packet& u16(std::uint16_t v) { return u8(std::uint8_t(v >> 8)).u8(std::uint8_t(v)); }
    Packet& u32(std::uint32_t v) { return u16(std::uint16_t(v >> 16)).u16(std::uint16_t(v)); }
    Packet& label(std::string_view s) {
        u8(std::uint8_t(s.size()));
        b.insert(b.end(), s.begin(), s.end());
        return *this;
    }
    Packet& pointer(std::size_t to) { return u16(std::uint16_t(0xc000 | to)); }
    Packet& header(std::uint16_t flags, std::uint16_t qd, std::uint16_t an, std::uint16_t ns, std::uint16_t ar) {
        return u16(0).u16(flags).u16(qd).u16(an).u16(ns).u16(ar);
    }
    /// Type, class, TTL; returns where the 2-byte RDLENGTH goes (patch it with length()).
    std::size_t record(std::uint16_t type, std::uint16_t cls, std::uint32_t ttl) {
        u16(type).u16(cls).u32(ttl).u16(0);
        return b.size() - 2;
    }
    void length(std::size_t at) {
        const auto n = b.size() - at - 2;
        b[at] = std::uint8_t(n >> 8);
        b[at + 1] = std::uint8_t(n);
    }
    std::size_t size() const { return b.size(); }
};

/// A Chromecast's answer to the PTR query, with the question echoed when `question`.
Packet chromecast_response(bool question = false) {
    Packet p;
    p.header(0x8400, question ? 1 : 0, 1, 0, 4);
    const std::size_t service = p.size();  // 12
    p.label("_googlecast").label("_tcp").label("local").u8(0);
    const std::size_t local = service + 1 + 11 + 1 + 4;
    if (question) p.u16(12).u16(1).pointer(service);  // the question, then the answer's name
    // answer: PTR -> instance
    auto len = p.record(12, 1, 120);
    const std::size_t instance = p.size();
    p.label("Chromecast-Ultra-1a2b3c").pointer(service);
    p.length(len);
    // additional: SRV 0 0 8009 target
    p.pointer(instance);
    len = p.record(33, 0x8001, 120);
    p.u16(0).u16(0).u16(8009);
    const std::size_t target = p.size();
    p.label("1a2b3c-uuid").pointer(local);
    p.length(len);
    // additional: TXT
    p.pointer(instance);
    len = p.record(16, 0x8001, 4500);
    p.label("id=1a2b3c").label("md=Chromecast Ultra").label("fn=Living Room TV").label("ca=4101").label("rs=");
    p.length(len);
    // additional: A
    p.pointer(target);
    len = p.record(1, 0x8001, 120);
    p.u8(192).u8(0).u8(2).u8(23);
    p.length(len);
    // additional: AAAA, not decoded
    p.pointer(target);
    len = p.record(28, 0x8001, 120);
    for (int i = 0; i < 16; ++i) p.u8(std::uint8_t(i));
    p.length(len);
    return p;
}

std::string parse_error(const std::vector<std::uint8_t>& bytes) {
    auto m = parse_dns_message(bytes);
    EXPECT_FALSE(m.ok()) << "parsed although malformed";
    return m ? std::string() : m.error().message;
}

}  // namespace

TEST(DnsQuery, PtrQueryForTheCastServiceIsExact) {
    auto q = build_dns_query(googlecast_service, DnsType::ptr);
    ASSERT_TRUE(q.ok()) << q.error().message;
    const std::vector<std::uint8_t> expected = {
        0,  0,   0,   0,   0,   1,   0,   0,   0,   0,   0,   0,    // header: id 0, 1 question
        11, '_', 'g', 'o', 'o', 'g', 'l', 'e', 'c', 'a', 's', 't',  // _googlecast
        4,  '_', 't', 'c', 'p', 5,   'l', 'o', 'c', 'a', 'l', 0,    // _tcp.local
        0,  12,  0,   1};                                           // PTR, IN
    EXPECT_EQ(q.value(), expected);
}

TEST(DnsQuery, UnicastResponseBitAndTrailingDot) {
    auto q = build_dns_query("_googlecast._tcp.local.", DnsType::ptr, true);
    ASSERT_TRUE(q.ok());
    ASSERT_EQ(q->size(), 40u);
    EXPECT_EQ(q.value()[38], 0x80);  // QU (RFC 6762 §5.4)
    EXPECT_EQ(q.value()[39], 0x01);
}

TEST(DnsQuery, EscapedDotStaysInsideItsLabel) {
    auto q = build_dns_query("TV\\.1._googlecast._tcp.local", DnsType::srv);
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q.value()[12], 4);  // "TV.1"
    EXPECT_EQ(std::string(q->begin() + 13, q->begin() + 17), "TV.1");
    auto back = parse_dns_message(q.value());
    ASSERT_TRUE(back.ok()) << back.error().message;
    EXPECT_FALSE(back->is_response());
}

TEST(DnsQuery, RefusesNamesThatCannotBeEncoded) {
    EXPECT_FALSE(build_dns_query("", DnsType::ptr).ok());
    EXPECT_FALSE(build_dns_query("a..local", DnsType::ptr).ok());
    auto long_label = build_dns_query(std::string(64, 'x') + ".local", DnsType::ptr);
    ASSERT_FALSE(long_label.ok());
    EXPECT_NE(long_label.error().message.find("64 bytes"), std::string::npos) << long_label.error().message;
    std::string long_name;
    for (int i = 0; i < 5; ++i) long_name += std::string(60, 'y') + ".";
    EXPECT_FALSE(build_dns_query(long_name + "local", DnsType::ptr).ok());
}

TEST(DnsResponse, ParsesAChromecastAnswerWithCompressedNames) {
    for (bool question : {false, true}) {
        const auto p = chromecast_response(question);
        auto m = parse_dns_message(p.b);
        ASSERT_TRUE(m.ok()) << m.error().message;
        EXPECT_TRUE(m->is_response());
        ASSERT_EQ(m->answers.size(), 1u);
        ASSERT_EQ(m->additionals.size(), 4u);

        const auto& ptr = m->answers[0];
        EXPECT_EQ(ptr.name, "_googlecast._tcp.local");
        EXPECT_EQ(ptr.type, 12);
        EXPECT_EQ(ptr.ttl, 120u);
        EXPECT_FALSE(ptr.cache_flush);
        EXPECT_EQ(std::get<std::string>(ptr.data), "Chromecast-Ultra-1a2b3c._googlecast._tcp.local");

        const auto& srv = m->additionals[0];
        EXPECT_EQ(srv.name, "Chromecast-Ultra-1a2b3c._googlecast._tcp.local");
        EXPECT_TRUE(srv.cache_flush);
        const auto& s = std::get<SrvData>(srv.data);
        EXPECT_EQ(s.priority, 0);
        EXPECT_EQ(s.weight, 0);
        EXPECT_EQ(s.port, 8009);
        EXPECT_EQ(s.target, "1a2b3c-uuid.local");

        const auto& txt = std::get<TxtData>(m->additionals[1].data);
        ASSERT_EQ(txt.strings.size(), 5u);
        EXPECT_EQ(txt_value(txt, "fn"), "Living Room TV");
        EXPECT_EQ(txt_value(txt, "FN"), "Living Room TV");
        EXPECT_EQ(txt_value(txt, "md"), "Chromecast Ultra");
        EXPECT_EQ(txt_value(txt, "id"), "1a2b3c");
        EXPECT_EQ(txt_value(txt, "rs"), "");
        EXPECT_EQ(txt_value(txt, "bs"), std::nullopt);

        EXPECT_EQ(m->additionals[2].name, "1a2b3c-uuid.local");
        EXPECT_EQ(ipv4_string(std::get<std::array<std::uint8_t, 4>>(m->additionals[2].data)), "192.0.2.23");
        EXPECT_EQ(m->additionals[3].type, 28);
        EXPECT_TRUE(std::holds_alternative<std::monostate>(m->additionals[3].data));
    }
}

TEST(DnsResponse, EscapesDotsInsideLabels) {
    Packet p;
    p.header(0x8400, 0, 1, 0, 0).label("a.b\\c").label("local").u8(0);
    p.length(p.record(99, 1, 1));
    auto m = parse_dns_message(p.b);
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_EQ(m->answers[0].name, "a\\.b\\\\c.local");
}

TEST(DnsResponse, EveryMalformedInputIsAnErrorNamingTheOffset) {
    EXPECT_NE(parse_error({0, 0, 0x84}).find("shorter than the 12-byte header"), std::string::npos);

    Packet loop;  // a name that is a pointer to itself
    loop.header(0x8400, 0, 1, 0, 0).pointer(12);
    auto e = parse_error(loop.b);
    EXPECT_NE(e.find("pointer at offset 12 points to offset 12"), std::string::npos) << e;

    Packet two;  // label then a pointer back to the name's own start
    two.header(0x8400, 0, 1, 0, 0).label("a").pointer(12);
    e = parse_error(two.b);
    EXPECT_NE(e.find("offset 14"), std::string::npos) << e;

    Packet forward;  // a pointer past the end of the message
    forward.header(0x8400, 0, 1, 0, 0).pointer(0x3fff);
    e = parse_error(forward.b);
    EXPECT_NE(e.find("points to offset 16383"), std::string::npos) << e;

    Packet cut_pointer;
    cut_pointer.header(0x8400, 0, 1, 0, 0).u8(0xc0);
    e = parse_error(cut_pointer.b);
    EXPECT_NE(e.find("pointer at offset 12 is cut off"), std::string::npos) << e;

    Packet long_label;  // length byte 64: a reserved label type
    long_label.header(0x8400, 0, 1, 0, 0).u8(64);
    e = parse_error(long_label.b);
    EXPECT_NE(e.find("label at offset 12 has length byte 64"), std::string::npos) << e;

    Packet long_name;  // 5 labels of 63 bytes: over 255
    long_name.header(0x8400, 0, 1, 0, 0);
    for (int i = 0; i < 5; ++i) long_name.label(std::string(63, 'x'));
    long_name.u8(0);
    e = parse_error(long_name.b);
    EXPECT_NE(e.find("name at offset 12 is over 255 bytes"), std::string::npos) << e;

    Packet label_past_end;
    label_past_end.header(0x8400, 0, 1, 0, 0).u8(20).u8('x');
    e = parse_error(label_past_end.b);
    EXPECT_NE(e.find("label at offset 12 of 20 bytes runs past the end"), std::string::npos) << e;

    Packet rdata_past_end;
    rdata_past_end.header(0x8400, 0, 1, 0, 0).u8(0).u16(1).u16(1).u32(0).u16(100).u8(1);
    e = parse_error(rdata_past_end.b);
    EXPECT_NE(e.find("record data of 100 bytes at offset 23"), std::string::npos) << e;
    EXPECT_NE(e.find("answer record 1 of 1 at offset 12"), std::string::npos) << e;

    Packet bad_a;
    bad_a.header(0x8400, 0, 1, 0, 0).u8(0);
    bad_a.record(1, 1, 0);
    bad_a.b.back() = 5;
    for (int i = 0; i < 5; ++i) bad_a.u8(1);
    e = parse_error(bad_a.b);
    EXPECT_NE(e.find("A data at offset 23 is 5 bytes"), std::string::npos) << e;

    Packet bad_txt;  // a string of 9 bytes in 3 bytes of data
    bad_txt.header(0x8400, 0, 1, 0, 0).u8(0);
    auto len = bad_txt.record(16, 1, 0);
    bad_txt.u8(9).u8('a').u8('b');
    bad_txt.length(len);
    bad_txt.u8(0).u8(0).u8(0).u8(0).u8(0).u8(0).u8(0);
    e = parse_error(bad_txt.b);
    EXPECT_NE(e.find("TXT string at offset 23"), std::string::npos) << e;

    Packet ptr_past_rdata;  // the PTR's name is longer than its RDLENGTH says
    ptr_past_rdata.header(0x8400, 0, 1, 0, 0).u8(0);
    ptr_past_rdata.record(12, 1, 0);
    ptr_past_rdata.b.back() = 2;
    ptr_past_rdata.label("abc").u8(0);
    e = parse_error(ptr_past_rdata.b);
    EXPECT_NE(e.find("runs past its record's data"), std::string::npos) << e;

    Packet short_srv;
    short_srv.header(0x8400, 0, 1, 0, 0).u8(0);
    len = short_srv.record(33, 1, 0);
    short_srv.u16(0).u16(0);
    short_srv.length(len);
    e = parse_error(short_srv.b);
    EXPECT_NE(e.find("SRV data at offset 23 is 4 bytes"), std::string::npos) << e;

    auto missing = chromecast_response();  // says 4 additionals, carries 3
    missing.b[11] = 5;
    e = parse_error(missing.b);
    EXPECT_NE(e.find("additional record 5 of 5"), std::string::npos) << e;

    auto cut = chromecast_response(true);  // every truncation is refused
    for (std::size_t n = 0; n < cut.size(); ++n) {
        auto m = parse_dns_message(std::span(cut.b.data(), n));
        EXPECT_FALSE(m.ok()) << "a response cut to " << n << " bytes parsed";
    }

    Packet question_cut;
    question_cut.header(0, 1, 0, 0, 0).u8(0).u16(12);
    e = parse_error(question_cut.b);
    EXPECT_NE(e.find("question 1 at offset 13 is cut off"), std::string::npos) << e;
}
