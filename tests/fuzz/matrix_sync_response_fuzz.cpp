// The Matrix client's readers of what a homeserver sends: a /sync answer (the first byte
// even) or a /messages page (odd). Checks what the parser promises: every event it keeps
// has an event_id, a type and object content, and belongs to the room it came from.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "matrix_client/sync_response.hpp"

namespace {

void check(const switchboard::matrix::RoomEvent& event, std::string_view room_id) {
    if (event.event_id.empty() || event.type.empty() || !event.content.IsObject() || event.room_id != room_id)
        __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace switchboard::matrix;
    if (size == 0) return 0;
    const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] % 2 == 0) {
        auto sync = parse_sync_response(text, "@gw:hs");
        if (!sync) return 0;
        if (sync.value().next_batch.empty()) __builtin_trap();
        for (const auto& room : sync.value().joined) {
            for (const auto& event : room.timeline) check(event, room.room_id);
            for (const auto& event : room.state) check(event, room.room_id);
        }
        for (const auto& event : sync.value().to_device)
            if (!event.content.IsObject()) __builtin_trap();
    } else {
        auto page = parse_messages_page(text, "!a:hs");
        if (!page) return 0;
        for (const auto& event : page.value().chunk) check(event, "!a:hs");
    }
    return 0;
}
