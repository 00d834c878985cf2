#include "hls/hls_stream.hpp"

#include <boost/asio/post.hpp>

namespace switchboard::hls {

HlsStream::HlsStream(boost::asio::any_io_executor io, HlsStreamSettings settings,
                     std::chrono::system_clock::time_point origin)
    : m_io(std::move(io)), m_settings(settings), m_playlist(settings.playlist, origin) {}

HlsStream::~HlsStream() = default;

std::chrono::milliseconds HlsStream::block_timeout() const noexcept {
    if (m_settings.block_timeout.count() > 0) return m_settings.block_timeout;
    return std::chrono::milliseconds(3000 * m_settings.playlist.target_duration_s);
}

void HlsStream::set_init(std::string bytes, const StreamInfo& info) {
    m_init = std::make_shared<const std::string>(std::move(bytes));
    m_info = info;
}

void HlsStream::add_part(CmafPart part) {
    m_playlist.add_part(part.msn, part.index, part.start, part.duration, part.independent);
    m_parts[{part.msn, part.index}] = std::make_shared<const std::string>(std::move(part.bytes));
    wake();
}

void HlsStream::end_segment(std::uint64_t msn, Micros duration) {
    m_playlist.end_segment(msn, duration);
    // A segment is its parts one after the other (CMAF fragments in order).
    auto whole = std::make_shared<std::string>();
    for (auto it = m_parts.lower_bound({msn, 0}); it != m_parts.end() && it->first.first == msn; ++it)
        whole->append(*it->second);
    m_segments[msn] = std::move(whole);
    // Keep one segment more than is listed: a client that just read the playlist may
    // still ask for the oldest entry.
    std::uint64_t first = m_playlist.first_msn();
    std::uint64_t keep_from = first > 0 ? first - 1 : 0;
    m_segments.erase(m_segments.begin(), m_segments.lower_bound(keep_from));
    m_parts.erase(m_parts.begin(), m_parts.lower_bound({keep_from, 0}));
    wake();
}

HlsStream::Bytes HlsStream::part(std::uint64_t msn, std::uint32_t index) const {
    auto it = m_parts.find({msn, index});
    return it == m_parts.end() ? nullptr : it->second;
}

HlsStream::Bytes HlsStream::segment(std::uint64_t msn) const {
    auto it = m_segments.find(msn);
    return it == m_segments.end() ? nullptr : it->second;
}

std::string HlsStream::multivariant_playlist() const {
    if (!m_init) return {};
    return render_multivariant(m_settings.bandwidth_bps, m_info.codecs, m_info.width, m_info.height, media_playlist_uri,
                               playlist_version(m_settings.playlist.low_latency));
}

HlsStream::State HlsStream::state_of(std::uint64_t msn, std::optional<std::uint32_t> part) const noexcept {
    std::uint64_t next = m_playlist.next_msn();
    std::uint32_t parts = m_playlist.parts_in_progress();
    // A complete segment answers for all its parts, and for any part index past its end.
    if (msn < next) return State::ready;
    if (part && msn == next && *part < parts) return State::ready;
    // §6.2.5.2: more than two segments past the last one listed is a bad request; so is
    // a part more than the Advance Part Limit past the last part (three divided by the
    // part target in seconds when that is under a second, else three).
    if (msn > next + 2) return State::too_far;
    double part_target_s = double(m_settings.playlist.part_target.count()) / 1e6;
    auto limit = std::uint32_t(part_target_s < 1.0 ? 3.0 / part_target_s : 3.0);
    if (part && msn == next && *part > parts + limit) return State::too_far;
    if (part && msn > next && *part > limit) return State::too_far;
    return State::pending;
}

void HlsStream::wait_for(std::uint64_t msn, std::optional<std::uint32_t> part, std::function<void(Wait)> done) {
    State state = state_of(msn, part);
    if (state != State::pending) {
        Wait result = state == State::ready ? Wait::ready : Wait::too_far;
        boost::asio::post(m_io, [done = std::move(done), result] { done(result); });
        return;
    }
    std::uint64_t id = m_next_waiter++;
    auto timer = std::make_unique<boost::asio::steady_timer>(m_io, block_timeout());
    timer->async_wait([weak = weak_from_this(), id](boost::system::error_code error) {
        auto self = weak.lock();
        if (error || !self) return;  // cancelled: the waiter was already answered
        self->finish(id, Wait::timed_out);
    });
    m_waiters.emplace(id, Waiter{msn, part, std::move(done), std::move(timer)});
}

void HlsStream::finish(std::uint64_t id, Wait result) {
    auto it = m_waiters.find(id);
    if (it == m_waiters.end()) return;
    auto done = std::move(it->second.done);
    it->second.timer->cancel();
    m_waiters.erase(it);
    // Posted: a reply may write to a socket, and wake() is still iterating.
    boost::asio::post(m_io, [done = std::move(done), result] { done(result); });
}

void HlsStream::wake() {
    std::vector<std::uint64_t> ready;
    for (const auto& [id, w] : m_waiters)
        if (state_of(w.msn, w.part) == State::ready) ready.push_back(id);
    for (auto id : ready) finish(id, Wait::ready);
}

void HlsStream::close() {
    std::vector<std::uint64_t> all;
    for (const auto& entry : m_waiters) all.push_back(entry.first);
    for (auto id : all) finish(id, Wait::closed);
}

}  // namespace switchboard::hls
