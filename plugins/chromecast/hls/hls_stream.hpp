/// \file hls_stream.hpp
/// \brief One live HLS stream as the server sees it: the init segment, the parts and
/// segments still listed, the playlist, and the requests waiting for a part to exist.
///
/// Blocking requests (RFC 8216bis §6.2.5.2): wait_for() answers at once when the part or
/// segment is there, or is too far ahead to wait for (more than two segments, or more
/// than the Advance Part Limit of parts, beyond the last one listed); otherwise when it
/// arrives, or after `block_timeout` (the spec asks for at least three target durations).
///
/// Everything runs on the io executor (the fragmenter's output is posted there by the
/// caller); completion callbacks run there too, never inside wait_for().
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "hls/fragmenter.hpp"
#include "hls/media_playlist.hpp"

namespace switchboard::hls {

struct HlsStreamSettings {
    PlaylistSettings playlist;
    int bandwidth_bps = 2'000'000;  ///< the multivariant's BANDWIDTH: the encoder's peak
    /// How long a blocking request waits; 0: three target durations.
    std::chrono::milliseconds block_timeout{0};
};

class HlsStream : public std::enable_shared_from_this<HlsStream> {
public:
    using Bytes = std::shared_ptr<const std::string>;
    enum class Wait { ready, too_far, timed_out, closed };

    HlsStream(boost::asio::any_io_executor io, HlsStreamSettings settings,
              std::chrono::system_clock::time_point origin);
    ~HlsStream();
    HlsStream(const HlsStream&) = delete;
    HlsStream& operator=(const HlsStream&) = delete;

    // The fragmenter's output, in its order.
    void set_init(std::string bytes, const StreamInfo& info);
    void add_part(CmafPart part);
    void end_segment(std::uint64_t msn, Micros duration);
    /// Ends every waiting request with Wait::closed.
    void close();

    /// Calls `done` once, later, on the io executor: when part `part` of segment `msn`
    /// (or, without `part`, all of segment `msn`) is listed, or why not.
    void wait_for(std::uint64_t msn, std::optional<std::uint32_t> part, std::function<void(Wait)> done);

    bool has_init() const noexcept { return m_init != nullptr; }
    Bytes init() const { return m_init; }
    /// nullptr when not (or no longer) held.
    Bytes part(std::uint64_t msn, std::uint32_t index) const;
    Bytes segment(std::uint64_t msn) const;
    std::string media_playlist() const { return m_playlist.render(); }
    /// Empty before the init segment (the codecs are not known yet).
    std::string multivariant_playlist() const;
    const MediaPlaylist& playlist() const noexcept { return m_playlist; }
    /// Requests waiting now.
    std::size_t waiting() const noexcept { return m_waiters.size(); }

private:
    struct Waiter {
        std::uint64_t msn;
        std::optional<std::uint32_t> part;
        std::function<void(Wait)> done;
        std::unique_ptr<boost::asio::steady_timer> timer;
    };
    enum class State { ready, too_far, pending };

    State state_of(std::uint64_t msn, std::optional<std::uint32_t> part) const noexcept;
    /// Completes every waiter whose part is now there.
    void wake();
    void finish(std::uint64_t id, Wait result);
    std::chrono::milliseconds block_timeout() const noexcept;

    boost::asio::any_io_executor m_io;
    HlsStreamSettings m_settings;
    MediaPlaylist m_playlist;
    Bytes m_init;
    StreamInfo m_info;
    std::map<std::pair<std::uint64_t, std::uint32_t>, Bytes> m_parts;
    std::map<std::uint64_t, Bytes> m_segments;
    std::map<std::uint64_t, Waiter> m_waiters;
    std::uint64_t m_next_waiter = 0;
};

}  // namespace switchboard::hls
