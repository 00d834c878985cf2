/// \file link_queue.hpp
/// \brief The bounded queue behind every link, with the live-media drop policy.
///
/// A producer never waits: when the queue is full, push() drops the oldest frame and
/// then every following frame up to the next keyframe, since those cannot be decoded
/// without what was dropped. If that empties the queue and the incoming frame is not a
/// keyframe, it is dropped too and the queue discards everything until a keyframe comes,
/// telling the caller to ask upstream for one. Raw media (every frame a keyframe) thus
/// loses exactly its oldest frame.
///
/// One producer and one consumer, on any threads; a short mutex guards the ring. The
/// ring is allocated once, so a push or pop never allocates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <vector>

#include <switchboard/frame.hpp>

namespace switchboard::core {

class LinkQueue {
public:
    explicit LinkQueue(std::size_t capacity);

    struct PushResult {
        std::size_t dropped = 0;     ///< frames discarded by this push (incl. the pushed one)
        bool need_keyframe = false;  ///< the stream is broken until the next keyframe
    };

    /// For a consumer that joins a running stream: frames before the first keyframe are
    /// skipped (not counted as drops), since nothing could decode them.
    void start_at_keyframe();
    /// Adds a frame, dropping as described above. Ignored once closed.
    PushResult push(Frame&& frame);
    /// The oldest frame, if any.
    std::optional<Frame> pop();
    /// The producer has ended: after the last frame is popped, ended() is true.
    void close();
    bool ended() const;

    std::size_t capacity() const noexcept { return m_ring.size(); }
    std::size_t size() const;
    std::uint64_t drops() const;

private:
    void drop_front_locked();

    mutable std::mutex m_mutex;
    std::vector<Frame> m_ring;
    std::size_t m_head = 0;
    std::size_t m_count = 0;
    bool m_waiting_for_keyframe = false;
    bool m_skipping_to_keyframe = false;
    bool m_closed = false;
    std::uint64_t m_drops = 0;
};

}  // namespace switchboard::core
