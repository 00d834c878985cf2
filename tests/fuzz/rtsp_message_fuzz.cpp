// RTSP messages and interleaved packets from a camera's TCP connection. The input is fed
// in chunks whose sizes come from the input itself, and checked against feeding it whole:
// the same items, or the same refusal, whatever the reads were. Limits hold for every item.
// The headers a camera's answers carry (Transport, Session, WWW-Authenticate) go through
// their readers too.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "rtsp/protocol/rtsp_auth.hpp"
#include "rtsp/protocol/rtsp_message.hpp"
#include "rtsp/protocol/rtsp_transport.hpp"

namespace {

using namespace switchboard::rtsp;

bool same(const RtspItem& a, const RtspItem& b) {
    if (a.index() != b.index()) return false;
    if (const auto* p = std::get_if<InterleavedPacket>(&a)) {
        const auto& q = std::get<InterleavedPacket>(b);
        return p->channel == q.channel && p->data == q.data;
    }
    if (const auto* r = std::get_if<RtspResponse>(&a)) {
        const auto& s = std::get<RtspResponse>(b);
        return r->status == s.status && r->headers == s.headers && r->body == s.body;
    }
    const auto& r = std::get<RtspRequest>(a);
    const auto& s = std::get<RtspRequest>(b);
    return r.method == s.method && r.uri == s.uri && r.headers == s.headers && r.body == s.body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t step = 1 + data[0] % 17;
    const std::span<const std::uint8_t> input(data + 1, size - 1);

    RtspStreamParser whole;
    std::vector<RtspItem> all;
    const bool whole_ok = whole.feed(input, all).ok();

    RtspStreamParser chunked;
    std::vector<RtspItem> pieces;
    bool chunked_ok = true;
    for (std::size_t at = 0; at < input.size() && chunked_ok; at += step)
        chunked_ok = chunked.feed(input.subspan(at, std::min(step, input.size() - at)), pieces).ok();

    if (whole_ok != chunked_ok || all.size() != pieces.size()) __builtin_trap();
    const RtspStreamParser::Limits limits;
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (!same(all[i], pieces[i])) __builtin_trap();
        if (const auto* r = std::get_if<RtspResponse>(&all[i])) {
            if (r->body.size() > limits.max_body_bytes || r->headers.size() > limits.max_headers) __builtin_trap();
            if (auto t = r->header("Transport")) (void)parse_transport(*t);
            if (auto s = r->header("Session"); s && parse_session(*s).ok() && parse_session(*s).value().id.empty())
                __builtin_trap();
            Authenticator auth("user", "password");
            if (auth.on_unauthorized(*r).ok() && !auth.authorization("DESCRIBE", "rtsp://cam/")) __builtin_trap();
        }
    }
    return 0;
}
