/// \file cast_message.hpp
/// \brief One CASTV2 message as the rest of the plugin sees it: the envelope's fields in
/// plain C++, so that only the framing module knows protobuf.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace switchboard::chromecast {

/// The platform namespaces a sender speaks (the receiver's own apps add theirs).
namespace ns {
inline constexpr std::string_view connection = "urn:x-cast:com.google.cast.tp.connection";
inline constexpr std::string_view heartbeat = "urn:x-cast:com.google.cast.tp.heartbeat";
inline constexpr std::string_view receiver = "urn:x-cast:com.google.cast.receiver";
inline constexpr std::string_view media = "urn:x-cast:com.google.cast.media";
}  // namespace ns

/// Whether `name_space` is one of the four above.
inline bool is_platform_namespace(std::string_view name_space) {
    return name_space == ns::connection || name_space == ns::heartbeat || name_space == ns::receiver ||
           name_space == ns::media;
}

/// The receiver platform's own end of every virtual connection, and the one we open first.
inline constexpr std::string_view platform_receiver_id = "receiver-0";

/// A CastMessage envelope (protocol version CASTV2_1_0 is implied: it is the only one).
struct CastMessage {
    using Binary = std::vector<std::uint8_t>;

    std::string source_id;                      ///< "sender-0", "receiver-0", an app's transportId
    std::string destination_id;                 ///< the same kinds, or "*" for a broadcast
    std::string name_space;                     ///< "urn:x-cast:..."
    std::variant<std::string, Binary> payload;  ///< UTF-8 text (JSON) or binary

    bool is_text() const noexcept { return payload.index() == 0; }
    /// The text payload; empty for a binary one.
    std::string_view text() const noexcept {
        const auto* s = std::get_if<std::string>(&payload);
        return s ? std::string_view(*s) : std::string_view();
    }
};

}  // namespace switchboard::chromecast
