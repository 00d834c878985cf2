// A Chromecast's TLS stream: CASTV2 frames, then the JSON payloads inside them. The
// input (after its first byte) is fed to the frame reader in chunks whose size comes from
// the first byte, and checked against feeding it whole: the same messages, or the same
// refusal. Every message must re-encode to a frame that decodes to itself, and its payload
// goes through the namespace parsers. The input is also read directly as a payload of
// each platform namespace, so the JSON readers see more than well-framed text.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "chromecast/cast/cast_frame.hpp"
#include "chromecast/cast/cast_payload.hpp"

namespace {

using namespace switchboard::chromecast;

bool same(const CastMessage& a, const CastMessage& b) {
    return a.source_id == b.source_id && a.destination_id == b.destination_id && a.name_space == b.name_space &&
           a.payload == b.payload;
}

/// A refusal names the namespace it happened in (errors carry their context).
void check_parsed(const switchboard::Result<ReceivedPayload>& r, std::string_view name_space) {
    if (!r.ok() && r.error().message.find(name_space) == std::string::npos) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    const std::size_t step = 1 + data[0] % 29;
    const std::span<const std::uint8_t> input(data + 1, size - 1);

    CastFrameReader whole;
    std::vector<CastMessage> all;
    const bool whole_ok = whole.feed(input, all).ok();

    CastFrameReader chunked;
    std::vector<CastMessage> pieces;
    bool chunked_ok = true;
    for (std::size_t at = 0; at < input.size() && chunked_ok; at += step)
        chunked_ok = chunked.feed(input.subspan(at, std::min(step, input.size() - at)), pieces).ok();

    if (whole_ok != chunked_ok || all.size() != pieces.size()) __builtin_trap();
    if (whole_ok && whole.buffered() != chunked.buffered()) __builtin_trap();
    if (whole_ok && whole.finish().ok() != (whole.buffered() == 0)) __builtin_trap();
    for (std::size_t i = 0; i < all.size(); ++i) {
        if (!same(all[i], pieces[i])) __builtin_trap();
        auto frame = encode_frame(all[i]);
        if (!frame.ok()) __builtin_trap();  // what fitted in a frame fits again
        CastFrameReader again;
        std::vector<CastMessage> back;
        const auto* p = reinterpret_cast<const std::uint8_t*>(frame.value().data());
        if (!again.feed({p, frame.value().size()}, back).ok() || back.size() != 1 || !same(back[0], all[i]))
            __builtin_trap();
        check_parsed(parse_payload(all[i]), all[i].name_space);
    }

    const std::string_view text(reinterpret_cast<const char*>(input.data()), input.size());
    for (auto name_space : {ns::connection, ns::heartbeat, ns::receiver, ns::media})
        check_parsed(parse_payload(name_space, text), name_space);
    return 0;
}
