/// \file cast_payload.hpp
/// \brief The JSON payloads of the Cast platform namespaces a sender needs: building our
/// requests, and reading what a receiver sends into typed values.
///
///  - tp.connection: CONNECT / CLOSE of a virtual connection (sender id <-> receiver-0 or
///    an app's transportId);
///  - tp.heartbeat:  PING / PONG;
///  - receiver:      GET_STATUS, LAUNCH {appId}, STOP {sessionId} -> RECEIVER_STATUS, or
///                   LAUNCH_ERROR / INVALID_REQUEST;
///  - media:         LOAD, GET_STATUS -> MEDIA_STATUS, or LOAD_FAILED / INVALID_REQUEST ...
///
/// Requests carry a requestId the receiver echoes in its answer; broadcasts carry 0.
/// Reading never throws: malformed JSON, a missing or mistyped member and a namespace we
/// do not know are Errors naming the namespace, the message type and the JSON pointer.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <switchboard/errors.hpp>

#include "chromecast/cast/cast_message.hpp"

namespace switchboard::chromecast {

/// The requestId of our requests: positive, increasing, never 0 (a receiver's broadcasts
/// use 0), wrapping within 31 bits so any JSON reader keeps it exact.
class RequestIds {
public:
    std::int64_t next() noexcept;

private:
    std::int64_t m_next = 1;
};

// ---- what we send -------------------------------------------------------------------------

/// What LOAD asks the Default Media Receiver (or any media app) to play.
struct LoadRequest {
    std::string content_id;            ///< the URL the receiver fetches
    std::string content_type;          ///< "application/x-mpegurl", "video/mp4"
    std::string stream_type = "LIVE";  ///< "LIVE", "BUFFERED", "NONE"
    bool autoplay = true;
    std::optional<double> current_time;    ///< seconds; absent lets a live stream start at its edge
    std::string hls_video_segment_format;  ///< "fmp4" for fMP4 HLS; empty: not sent
};

namespace payload {
std::string connect();
std::string close();
std::string ping();
std::string pong();
std::string get_status(std::int64_t request_id);
std::string launch(std::int64_t request_id, std::string_view app_id);
std::string stop(std::int64_t request_id, std::string_view session_id);
std::string media_load(std::int64_t request_id, const LoadRequest& load);
/// Status of every media session, or of one.
std::string media_get_status(std::int64_t request_id, std::optional<std::int64_t> media_session_id = std::nullopt);
/// What a DashCast-style web receiver opens: {"url", "force": true (top level, not in
/// its frame: a plain-HTTP page inside an HTTPS app is blocked as mixed content),
/// "reload": false, "reload_time": 0}.
std::string web_receiver_url(std::string_view url);
}  // namespace payload

// ---- what a receiver sends ------------------------------------------------------------------

struct ConnectionMessage {
    enum class Type { connect, close } type;
};

struct HeartbeatMessage {
    enum class Type { ping, pong } type;
};

/// A running app, as RECEIVER_STATUS lists it.
struct Application {
    std::string app_id;        ///< "CC1AD845"
    std::string session_id;    ///< what STOP names
    std::string transport_id;  ///< the app's end of a virtual connection (CONNECT to it)
    std::string display_name;
    std::string status_text;
    std::vector<std::string> namespaces;  ///< the namespaces the app speaks
    bool is_idle_screen = false;          ///< the backdrop, not something a user started
};

struct ReceiverStatus {
    std::optional<std::int64_t> request_id;  ///< ours when it answers a request; 0 or absent: a broadcast
    std::vector<Application> applications;
    std::optional<double> volume_level;
    std::optional<bool> muted;

    /// The first running app with `app_id`; nullptr if none.
    const Application* find_app(std::string_view app_id) const;
};

/// One media session's state, as MEDIA_STATUS lists it.
struct MediaSession {
    std::int64_t media_session_id = 0;
    std::string player_state;  ///< IDLE, BUFFERING, PLAYING, PAUSED
    std::string idle_reason;   ///< with IDLE: FINISHED, CANCELLED, INTERRUPTED, ERROR; else empty
    std::optional<double> current_time;
    std::string content_id;  ///< when the status carries its media
};

struct MediaStatus {
    std::optional<std::int64_t> request_id;
    std::vector<MediaSession> sessions;
};

/// A receiver refusing a request: LAUNCH_ERROR, INVALID_REQUEST, LOAD_FAILED,
/// LOAD_CANCELLED, INVALID_PLAYER_STATE.
struct RequestFailed {
    std::string name_space;
    std::string type;
    std::optional<std::int64_t> request_id;
    std::string reason;  ///< "NOT_FOUND", ...; empty when the receiver gave none
};

/// A well-formed message of a known namespace whose type we do not act on (receivers
/// grow new ones; they are no reason to drop the connection).
struct UnhandledMessage {
    std::string name_space;
    std::string type;
    std::optional<std::int64_t> request_id;
};

using ReceivedPayload =
    std::variant<ConnectionMessage, HeartbeatMessage, ReceiverStatus, MediaStatus, RequestFailed, UnhandledMessage>;

/// Reads a payload of one of the four platform namespaces. Invalid: malformed JSON, not
/// an object, no string "type", a member of the wrong type, an unknown namespace.
Result<ReceivedPayload> parse_payload(std::string_view name_space, std::string_view json);
/// The same for a whole message; a binary payload on these namespaces is Invalid.
Result<ReceivedPayload> parse_payload(const CastMessage& message);

}  // namespace switchboard::chromecast
