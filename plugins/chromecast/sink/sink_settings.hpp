/// \file sink_settings.hpp
/// \brief The chromecast.sink config: its JSON Schema and the typed settings read from it.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include <switchboard/config.hpp>
#include <switchboard/errors.hpp>

namespace switchboard::chromecast {

/// The JSON Schema (draft-04) of a chromecast.sink "config" object.
extern const char* const sink_schema;

/// How the far side reaches the TV.
enum class DeliveryMode {
    webrtc,  ///< a web receiver app opens our TV page, which pulls the call over WHEP
    media,   ///< the Default Media Receiver plays our low-latency HLS
};

/// The DashCast web receiver: opens the URL it is sent, top level with `force`.
inline constexpr const char* dashcast_app_id = "84912283";
inline constexpr const char* dashcast_namespace = "urn:x-cast:com.madmod.dashcast";
inline constexpr const char* default_media_receiver_app_id = "CC1AD845";

/// The member initialisers are the defaults the schema documents.
struct SinkSettings {
    /// The TV: by address, or by its name through mDNS (exactly one of the two).
    std::string host;
    std::uint16_t port = 8009;
    std::string name;
    std::chrono::milliseconds discovery_timeout{5'000};

    DeliveryMode mode = DeliveryMode::webrtc;
    /// The receiver app: DashCast (webrtc) or the Default Media Receiver (media) unless set.
    std::string app_id;
    /// The namespace the web receiver takes its {url, force, reload, reload_time} on.
    std::string app_namespace = dashcast_namespace;

    /// Where the TV page and WHEP (webrtc) or the HLS stream (media) are served.
    boost::asio::ip::tcp::endpoint listen{boost::asio::ip::make_address_v4("0.0.0.0"), 8899};
    /// What the TV is told to fetch: "http://192.168.1.10:8899" (no trailing slash).
    std::string advertised_base_url;

    std::chrono::milliseconds heartbeat_interval{5'000};
    std::chrono::milliseconds dead_after{20'000};
    std::chrono::milliseconds connect_timeout{10'000};
    std::chrono::milliseconds reconnect_min{500};
    std::chrono::milliseconds reconnect_max{10'000};
    /// When the user switches the TV to another app during a call, leave it there.
    bool yield_to_other_apps = true;

    // media mode: the HLS cut.
    /// Off: plain HLS (segments only, no blocking reload), as a comparison of what
    /// LL-HLS saves; a Chromecast then plays some three segments behind.
    bool low_latency = true;
    std::chrono::microseconds part_target{334'000};
    std::chrono::microseconds segment_target{2'000'000};

    /// Reads and checks a validated config. Error::invalid names the JSON pointer of the
    /// offending key.
    static Result<SinkSettings> from(const NodeConfig& config);
};

}  // namespace switchboard::chromecast
