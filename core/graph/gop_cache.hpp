/// \file gop_cache.hpp
/// \brief The frames of one encoded video output since its last keyframe, so a consumer
/// that joins while the graph runs (a call, a viewer) starts with a picture at once.
///
/// A camera sends a keyframe every one to four seconds and cannot be asked for one; an
/// encoder can (NodeRuntime asks it, and replays nothing). For the first, the new link
/// gets the keyframe and every frame after it, in order, before live frames: the
/// decoder catches up in a burst instead of showing nothing until the next keyframe.
/// Bounded: a group of pictures longer than the limits is dropped until the next
/// keyframe. Not thread-safe: used on the producing node's strand.
#pragma once

#include <cstddef>
#include <vector>

#include <switchboard/frame.hpp>

namespace switchboard::core {

class GopCache {
public:
    struct Limits {
        std::size_t max_frames = 300;              ///< 10 s at 30 fps
        std::size_t max_bytes = 16 * 1024 * 1024;  ///< a few seconds of 4K
    };

    GopCache() = default;
    explicit GopCache(Limits limits) : m_limits(limits) {}

    /// A frame the output emitted.
    void on_frame(const Frame& frame);
    /// The keyframe and the frames after it; empty before the first keyframe or after an
    /// overflow.
    const std::vector<Frame>& frames() const noexcept { return m_frames; }
    void clear() noexcept;

private:
    Limits m_limits;
    std::vector<Frame> m_frames;
    std::size_t m_bytes = 0;
};

}  // namespace switchboard::core
