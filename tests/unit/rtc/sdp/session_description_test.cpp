#include "rtc/sdp/session_description.hpp"

#include <algorithm>
#include <sstream>

#include <gtest/gtest.h>

#include "sdp_fixtures.hpp"

namespace switchboard::rtc::sdp {
namespace {

using test::fixture;
using test::parse_fixture;

const char* const fixtures[] = {"aiortc_offer.sdp",
                                "aiortc_offer_dc.sdp",
                                "aiortc_answer_to_chrome.sdp",
                                "aiortc_answer_to_firefox.sdp",
                                "aiortc_answer_to_switchboard.sdp",
                                "chrome_offer.sdp",
                                "firefox_offer.sdp",
                                "switchboard_offer.sdp"};

TEST(SessionDescription, RoundTripsEveryFixture) {
    for (const char* name : fixtures) {
        SCOPED_TRACE(name);
        auto first = parse_fixture(name);
        const auto text = first.to_string();
        auto second = SessionDescription::parse(text);
        ASSERT_TRUE(second.ok()) << second.error().message;
        EXPECT_EQ(first, second.value());
        EXPECT_EQ(text, second->to_string());
    }
}

TEST(SessionDescription, WritesFixturesWithTheSameLines) {
    // Canonical order may move lines, but none is lost or made up: compare sorted.
    for (const char* name : fixtures) {
        SCOPED_TRACE(name);
        auto split = [](const std::string& text) {
            std::vector<std::string> lines;
            std::istringstream in(text);
            for (std::string l; std::getline(in, l);) {
                if (!l.empty() && l.back() == '\r') l.pop_back();
                if (!l.empty()) lines.push_back(l);
            }
            return lines;
        };
        auto original = split(fixture(name));
        auto written = split(parse_fixture(name).to_string());
        // Browsers write "msid-semantic: WMS" with a space; we write it without.
        for (auto& l : original)
            if (l.rfind("a=msid-semantic: ", 0) == 0) l.erase(16, 1);
        std::sort(original.begin(), original.end());
        std::sort(written.begin(), written.end());
        EXPECT_EQ(original, written);
    }
}

TEST(SessionDescription, ParsesChromeSessionLevel) {
    auto d = parse_fixture("chrome_offer.sdp");
    EXPECT_EQ(d.origin.username, "-");
    EXPECT_EQ(d.origin.session_id, 4611731400430051336u);
    EXPECT_EQ(d.origin.session_version, 2u);
    EXPECT_EQ(d.origin.address, "127.0.0.1");
    ASSERT_NE(d.bundle(), nullptr);
    EXPECT_EQ(d.bundle()->mids, (std::vector<std::string>{"0", "1", "2"}));
    ASSERT_TRUE(d.msid_semantic);
    EXPECT_EQ(d.msid_semantic->semantic, "WMS");
    EXPECT_EQ(d.msid_semantic->ids, (std::vector<std::string>{"5a4c3f0e-7b2d-4f5e-9c1a-2f3e4d5c6b7a"}));
    EXPECT_EQ(d.unknown, (std::vector<std::string>{"a=extmap-allow-mixed"}));
    ASSERT_EQ(d.media.size(), 3u);
}

TEST(SessionDescription, ParsesChromeAudioSection) {
    auto d = parse_fixture("chrome_offer.sdp");
    const auto& a = d.media[0];
    EXPECT_EQ(a.type(), MediaType::audio);
    EXPECT_EQ(a.port, 54321);
    EXPECT_EQ(a.proto, "UDP/TLS/RTP/SAVPF");
    EXPECT_EQ(a.payload_types(), (std::vector<std::uint8_t>{111, 63, 9, 0, 8, 13, 110, 126}));
    ASSERT_TRUE(a.connection);
    EXPECT_EQ(a.connection->address, "192.0.2.10");
    EXPECT_EQ(a.mid, "0");
    EXPECT_EQ(a.direction, Direction::sendrecv);
    ASSERT_EQ(a.msids.size(), 1u);
    EXPECT_EQ(a.msids[0].stream_id, "5a4c3f0e-7b2d-4f5e-9c1a-2f3e4d5c6b7a");
    EXPECT_EQ(a.msids[0].track_id, "1b2c3d4e-5f60-4718-8a9b-0c1d2e3f4a5b");
    EXPECT_EQ(a.transport.ice_ufrag, "EsAw");
    EXPECT_EQ(a.transport.ice_pwd, "P2uYro0UCOQ4zxjKXaWCBui1");
    EXPECT_TRUE(a.transport.trickle());
    ASSERT_TRUE(a.transport.fingerprint);
    EXPECT_EQ(a.transport.fingerprint->algorithm, "sha-256");
    ASSERT_EQ(a.transport.fingerprint->bytes.size(), 32u);
    EXPECT_EQ(a.transport.fingerprint->bytes[0], 0xd2);
    EXPECT_EQ(a.transport.fingerprint->bytes[31], 0x0f);
    EXPECT_EQ(a.transport.setup, Setup::actpass);
    EXPECT_TRUE(a.rtcp_mux);
    EXPECT_TRUE(a.rtcp_rsize);
    EXPECT_FALSE(a.end_of_candidates);
    ASSERT_EQ(a.extmaps.size(), 4u);
    EXPECT_EQ(a.extmaps[3].id, 4);
    EXPECT_EQ(a.extmaps[3].uri, "urn:ietf:params:rtp-hdrext:sdes:mid");
    ASSERT_NE(a.rtpmap(111), nullptr);
    EXPECT_EQ(a.rtpmap(111)->encoding, "opus");
    EXPECT_EQ(a.rtpmap(111)->clock_rate, 48000u);
    EXPECT_EQ(a.rtpmap(111)->channels, 2);
    ASSERT_NE(a.fmtp(111), nullptr);
    EXPECT_EQ(a.fmtp(111)->parameters, "minptime=10;useinbandfec=1");
    ASSERT_EQ(a.feedback(111).size(), 1u);
    EXPECT_EQ(a.feedback(111)[0].type, "transport-cc");
    EXPECT_EQ(a.cname(), "Wq2F8mYx0Lh3kT9v");
    ASSERT_EQ(a.ssrcs.size(), 2u);
    EXPECT_EQ(a.ssrcs[0].ssrc, 3735928559u);
    EXPECT_EQ(a.ssrcs[1].attribute, "msid");
    EXPECT_EQ(a.unknown, (std::vector<std::string>{"a=rtcp:9 IN IP4 0.0.0.0"}));
}

TEST(SessionDescription, ParsesChromeCandidates) {
    auto d = parse_fixture("chrome_offer.sdp");
    const auto& c = d.media[0].candidates;
    ASSERT_EQ(c.size(), 4u);
    EXPECT_EQ(c[0].foundation, "1467250027");
    EXPECT_EQ(c[0].component, 1);
    EXPECT_EQ(c[0].transport, "udp");
    EXPECT_EQ(c[0].priority, 2122260223u);
    EXPECT_EQ(c[0].address, "192.0.2.10");
    EXPECT_EQ(c[0].port, 54321);
    EXPECT_EQ(c[0].type, CandidateType::host);
    EXPECT_EQ(c[0].extensions.size(), 3u);
    EXPECT_EQ(c[1].address, "7b3f1c2e-9a4d-4e8b-b1c6-2d5e8f9a0b1c.local");
    EXPECT_EQ(c[2].type, CandidateType::srflx);
    EXPECT_EQ(c[2].related_address, "192.0.2.10");
    EXPECT_EQ(c[2].related_port, 54321);
    EXPECT_EQ(c[3].transport, "tcp");
    EXPECT_EQ(c[3].tcp_type, "active");
}

TEST(SessionDescription, ParsesChromeVideoAndDataSections) {
    auto d = parse_fixture("chrome_offer.sdp");
    const auto& v = d.media[1];
    EXPECT_EQ(v.type(), MediaType::video);
    EXPECT_EQ(v.payload_types().size(), 25u);
    EXPECT_EQ(v.extmaps.size(), 11u);
    ASSERT_EQ(v.ssrc_groups.size(), 1u);
    EXPECT_EQ(v.ssrc_groups[0].semantics, "FID");
    EXPECT_EQ(v.ssrc_groups[0].ssrcs, (std::vector<std::uint32_t>{2231627014u, 632943048u}));
    EXPECT_EQ(v.feedback(96).size(), 5u);
    const auto& dc = d.media[2];
    EXPECT_EQ(dc.type(), MediaType::application);
    EXPECT_EQ(dc.proto, "UDP/DTLS/SCTP");
    EXPECT_EQ(dc.formats, (std::vector<std::string>{"webrtc-datachannel"}));
    EXPECT_FALSE(dc.is_rtp());
    EXPECT_EQ(dc.sctp_port, 5000);
    EXPECT_EQ(dc.max_message_size, 262144u);
}

TEST(SessionDescription, ParsesFirefoxSessionLevelTransport) {
    auto d = parse_fixture("firefox_offer.sdp");
    ASSERT_TRUE(d.transport.fingerprint);
    EXPECT_TRUE(d.transport.trickle());
    EXPECT_EQ(d.msid_semantic->ids, (std::vector<std::string>{"*"}));
    EXPECT_FALSE(d.media[1].transport.fingerprint);
    auto t = d.transport_for(d.media[1]);
    EXPECT_EQ(t.fingerprint, d.transport.fingerprint);
    EXPECT_EQ(t.ice_ufrag, "7c1e9a2b");
    EXPECT_EQ(t.setup, Setup::actpass);
    EXPECT_EQ(d.media[0].extmaps[1].direction, Direction::recvonly);
    // Firefox writes fmtp before rtpmap; both are still found per payload type.
    EXPECT_EQ(d.media[1].fmtp(97)->parameters, "profile-level-id=42e01f;level-asymmetry-allowed=1");
    EXPECT_EQ(d.media[2].max_message_size, 1073741823u);
}

TEST(SessionDescription, ParsesAiortcOffer) {
    auto d = parse_fixture("aiortc_offer_dc.sdp");
    ASSERT_EQ(d.media.size(), 3u);
    EXPECT_EQ(d.media[0].candidates.size(), 1u);
    EXPECT_TRUE(d.media[0].end_of_candidates);
    EXPECT_EQ(d.media[0].candidates[0].address, "127.0.0.1");
    EXPECT_EQ(d.media[2].proto, "DTLS/SCTP");
    EXPECT_EQ(d.media[2].unknown, (std::vector<std::string>{"a=sctpmap:5000 webrtc-datachannel 65535"}));
    EXPECT_NE(d.media[0].transport.ice_ufrag, d.media[1].transport.ice_ufrag);
}

TEST(SessionDescription, KeepsUnknownLinesAtTheirLevel) {
    const std::string sdp =
        "v=0\no=- 1 2 IN IP4 127.0.0.1\ns=-\ni=info\nb=AS:1000\nt=0 0\na=x-session:1\n"
        "m=audio 9 RTP/AVP 0\ni=audio info\nc=IN IP4 0.0.0.0\nb=AS:64\na=x-first\na=mid:a\na=x-second:2\n"
        "m=video 9 RTP/AVP 96\na=x-video\na=rtpmap:96 VP8/90000\n";
    auto d = SessionDescription::parse(sdp);
    ASSERT_TRUE(d.ok()) << d.error().message;
    EXPECT_EQ(d->unknown, (std::vector<std::string>{"a=x-session:1"}));
    EXPECT_EQ(d->unknown_fields, (std::vector<std::string>{"i=info", "b=AS:1000"}));
    EXPECT_EQ(d->media[0].unknown, (std::vector<std::string>{"a=x-first", "a=x-second:2"}));
    EXPECT_EQ(d->media[0].unknown_fields, (std::vector<std::string>{"i=audio info", "b=AS:64"}));
    EXPECT_EQ(d->media[1].unknown, (std::vector<std::string>{"a=x-video"}));
    const auto text = d->to_string();
    EXPECT_NE(text.find("s=-\r\ni=info\r\nb=AS:1000\r\nt=0 0\r\n"), std::string::npos) << text;
    EXPECT_NE(text.find("m=audio 9 RTP/AVP 0\r\ni=audio info\r\nc=IN IP4 0.0.0.0\r\nb=AS:64\r\n"), std::string::npos);
    EXPECT_EQ(SessionDescription::parse(text).value(), d.value());
}

TEST(SessionDescription, KeepsRepeatedSingleAttributesAsUnknown) {
    auto d = SessionDescription::parse(
        "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 RTP/AVP 0\r\na=mid:0\r\na=mid:1\r\n"
        "a=sendonly\r\na=recvonly\r\na=rtcp-mux\r\na=rtcp-mux\r\n");
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->media[0].mid, "0");
    EXPECT_EQ(d->media[0].direction, Direction::sendonly);
    EXPECT_EQ(d->media[0].unknown, (std::vector<std::string>{"a=mid:1", "a=recvonly", "a=rtcp-mux"}));
    EXPECT_EQ(SessionDescription::parse(d->to_string()).value(), d.value());
}

TEST(SessionDescription, AcceptsBareNewlinesAndWritesCrlf) {
    auto d = SessionDescription::parse("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n\n");
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(d->to_string(), "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n");
    EXPECT_TRUE(d->media.empty());
}

TEST(SessionDescription, WritesCanonicalOrder) {
    auto d = parse_fixture("firefox_offer.sdp");
    const auto text = d.to_string();
    EXPECT_EQ(
        text.rfind("v=0\r\no=mozilla...THIS_IS_SDPARTA-120.0 5368371421826543425 0 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
                   "a=group:BUNDLE 0 1 2\r\na=msid-semantic:WMS *\r\na=ice-options:trickle\r\na=fingerprint:",
                   0),
        0u)
        << text;
    // Each rtpmap followed by its rtcp-fb and fmtp lines.
    EXPECT_NE(text.find("a=rtpmap:97 H264/90000\r\na=rtcp-fb:97 nack\r\n"), std::string::npos);
    EXPECT_NE(text.find("a=rtpmap:98 rtx/90000\r\na=fmtp:98 apt=97\r\n"), std::string::npos);
}

struct BadInput {
    const char* sdp;
    const char* error;
};

class SessionDescriptionErrors : public ::testing::TestWithParam<BadInput> {};

TEST_P(SessionDescriptionErrors, NameTheLine) {
    auto r = SessionDescription::parse(GetParam().sdp);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().kind, ErrorKind::invalid);
    EXPECT_EQ(r.error().message, GetParam().error);
}

#define HEAD "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\n"
INSTANTIATE_TEST_SUITE_P(
    Malformed, SessionDescriptionErrors,
    ::testing::Values(
        BadInput{"", "SDP ends before its v=, o= and s= lines"},
        BadInput{"v=1\r\n", "line 1: unsupported SDP version: \"v=1\""},
        BadInput{"o=- 1 1 IN IP4 0.0.0.0\r\n", "line 1: expected an v= line: \"o=- 1 1 IN IP4 0.0.0.0\""},
        BadInput{"v=0\r\no=- x 1 IN IP4 0.0.0.0\r\n", "line 2: bad o= line: \"o=- x 1 IN IP4 0.0.0.0\""},
        BadInput{"v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\nt=0 0\r\n", "line 3: expected an s= line: \"t=0 0\""},
        BadInput{HEAD "\r\n\r\nm=video x\r\n", "line 7: bad m= line: \"m=video x\""},
        BadInput{HEAD "m=video 9 UDP/TLS/RTP/SAVPF 96 vp8\r\n",
                 "line 5: bad m= line: \"m=video 9 UDP/TLS/RTP/SAVPF 96 vp8\""},
        BadInput{HEAD "m=video 70000 RTP/AVP 96\r\n", "line 5: bad m= line: \"m=video 70000 RTP/AVP 96\""},
        BadInput{HEAD "m=video 9 RTP/AVP 96\r\na=rtpmap:96 VP8\r\n", "line 6: bad a=rtpmap line: \"a=rtpmap:96 VP8\""},
        BadInput{HEAD "m=video 9 RTP/AVP 96\r\na=rtpmap:128 VP8/90000\r\n",
                 "line 6: bad a=rtpmap line: \"a=rtpmap:128 VP8/90000\""},
        BadInput{HEAD "m=video 9 RTP/AVP 96\r\na=fmtp:x a=b\r\n", "line 6: bad a=fmtp line: \"a=fmtp:x a=b\""},
        BadInput{HEAD "m=video 9 RTP/AVP 96\r\na=rtcp-fb:96\r\n", "line 6: bad a=rtcp-fb line: \"a=rtcp-fb:96\""},
        BadInput{HEAD "m=video 9 RTP/AVP 96\r\na=extmap:0 urn:x\r\n",
                 "line 6: bad a=extmap line: \"a=extmap:0 urn:x\""},
        BadInput{HEAD "m=video 9 RTP/AVP 96\r\na=ssrc:-1 cname:x\r\n",
                 "line 6: bad a=ssrc line: \"a=ssrc:-1 cname:x\""},
        BadInput{HEAD "m=video 9 RTP/AVP 96\r\na=ssrc-group:FID\r\n",
                 "line 6: bad a=ssrc-group line: \"a=ssrc-group:FID\""},
        BadInput{HEAD "a=fingerprint:sha-256 AB:C\r\n",
                 "line 5: bad a=fingerprint line: \"a=fingerprint:sha-256 AB:C\""},
        BadInput{HEAD "a=setup:maybe\r\n", "line 5: bad a=setup line: \"a=setup:maybe\""},
        BadInput{HEAD "a=ice-ufrag:\r\n", "line 5: bad a=ice-ufrag line: \"a=ice-ufrag:\""},
        BadInput{HEAD "m=audio 9 RTP/AVP 0\r\na=candidate:1 1 udp 1 1.2.3.4 5 typ bogus\r\n",
                 "line 6: bad a=candidate line: \"a=candidate:1 1 udp 1 1.2.3.4 5 typ bogus\""},
        BadInput{HEAD "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=sctp-port:abc\r\n",
                 "line 6: bad a=sctp-port line: \"a=sctp-port:abc\""},
        BadInput{HEAD "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=max-message-size:-5\r\n",
                 "line 6: bad a=max-message-size line: \"a=max-message-size:-5\""},
        BadInput{HEAD "c=IN IP4\r\n", "line 5: bad c= line: \"c=IN IP4\""},
        BadInput{"v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=now\r\n", "line 4: bad t= line: \"t=now\""},
        BadInput{HEAD "o=- 1 1 IN IP4 0.0.0.0\r\n", "line 5: unexpected o= line: \"o=- 1 1 IN IP4 0.0.0.0\""},
        BadInput{HEAD "hello\r\n", "line 5: not a <type>=<value> line: \"hello\""},
        BadInput{HEAD "A=b\r\n", "line 5: not a <type>=<value> line: \"A=b\""},
        BadInput{HEAD "a=x\ry\r\n", "line 5: control character in line: \"a=x\\x0dy\""}));
#undef HEAD

TEST(SessionDescription, RefusesOversizedInput) {
    Limits limits;
    std::string big(limits.max_bytes + 1, 'a');
    auto r = SessionDescription::parse(big);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "SDP of 262145 bytes is larger than the limit of 262144");

    std::string many = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\n";
    for (int i = 0; i < 9000; ++i) many += "a=x\n";
    r = SessionDescription::parse(many);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "SDP has more than 8192 lines");

    std::string longline = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\na=" + std::string(9000, 'x') + "\n";
    r = SessionDescription::parse(longline);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message.rfind("line 4: line longer than 8192 bytes: \"a=xxx", 0), 0u);

    Limits few;
    few.max_media_sections = 1;
    r = SessionDescription::parse("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=audio 9 RTP/AVP 0\nm=audio 9 RTP/AVP 0\n", few);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message, "line 5: more than 1 media sections: \"m=audio 9 RTP/AVP 0\"");
}

}  // namespace
}  // namespace switchboard::rtc::sdp
