/// \file frame.hpp
/// \brief Media frames: a ref-counted immutable buffer plus format, timing and stamps.
///
/// A Frame is a small value: copying one copies its metadata and takes one more
/// reference on its Buffer, never the bytes. Frames are immutable once emitted; a node
/// that wants to change pixels makes a new Buffer. A Frame may be copied and destroyed on
/// any thread; the Buffer's release callback runs on whichever thread drops the last
/// reference, so it must be thread-safe (FFmpeg's av_frame_free and av_buffer_unref are).
#pragma once

#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <new>

#include <switchboard/abi.hpp>
#include <switchboard/format.hpp>

namespace switchboard {

/// Monotonic time in nanoseconds (steady_clock). All frame timing uses this clock.
inline std::int64_t monotonic_ns() noexcept {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

/// Type-erased, ref-counted, immutable bytes. The owner (a heap block, an AVBufferRef, a
/// memory-mapped file...) is released by a callback when the last reference goes.
class Buffer {
public:
    Buffer() = default;

    /// A new uninitialised block of `size` bytes; fill it through mutable_data() before
    /// the first copy of the Buffer is made.
    static Buffer allocate(std::size_t size) {
        Buffer b;
        b.m_bytes =
            std::shared_ptr<std::uint8_t>(new (std::nothrow) std::uint8_t[size], std::default_delete<std::uint8_t[]>());
        b.m_size = b.m_bytes ? size : 0;
        return b;
    }

    /// A copy of `size` bytes at `data`.
    static Buffer copy_of(const void* data, std::size_t size) {
        Buffer b = allocate(size);
        if (b.m_size) std::copy_n(static_cast<const std::uint8_t*>(data), size, b.m_bytes.get());
        return b;
    }

    /// Wraps bytes owned elsewhere without copying. `release` runs exactly once, when the
    /// last copy of this Buffer is destroyed, on that thread. `data` must stay valid and
    /// unchanged until then.
    static Buffer adopt(const std::uint8_t* data, std::size_t size, std::function<void()> release) {
        Buffer b;
        b.m_bytes = std::shared_ptr<std::uint8_t>(const_cast<std::uint8_t*>(data),
                                                  [release = std::move(release)](std::uint8_t*) {
                                                      if (release) release();
                                                  });
        b.m_size = size;
        return b;
    }

    const std::uint8_t* data() const noexcept { return m_bytes.get(); }
    std::size_t size() const noexcept { return m_size; }
    bool empty() const noexcept { return m_size == 0; }

    /// Writable view, for the producer only, while it holds the one reference.
    std::uint8_t* mutable_data() noexcept { return m_bytes.use_count() == 1 ? m_bytes.get() : nullptr; }

    /// How many Buffers share these bytes (for tests and pools).
    long use_count() const noexcept { return m_bytes.use_count(); }

private:
    std::shared_ptr<std::uint8_t> m_bytes;
    std::size_t m_size = 0;
};

/// One node's passage: when the frame (or the input it was made from) reached the node's
/// input queue, and when the node emitted its result. Filled in by the core.
struct NodeStamp {
    std::uint32_t node = 0;   ///< the core's index of the node
    std::int64_t in_ns = 0;   ///< pushed into the node's input queue (monotonic_ns)
    std::int64_t out_ns = 0;  ///< emitted by the node (0 while inside it)
};

/// Timing that follows media through the graph. A node that makes a frame out of another
/// (a decoder, an encoder) copies the input's Timing into its output, so the source's
/// capture time and the path survive transcoding.
struct Timing {
    static constexpr std::size_t max_stamps = 8;

    /// When the source captured the media (monotonic_ns); 0 if unknown.
    std::int64_t capture_ns = 0;
    /// The path so far, oldest first. Past max_stamps the oldest are shifted out.
    std::array<NodeStamp, max_stamps> stamps{};
    std::uint8_t stamp_count = 0;

    NodeStamp* last() noexcept { return stamp_count ? &stamps[stamp_count - 1] : nullptr; }
    void push(NodeStamp s) noexcept {
        if (stamp_count == max_stamps) {
            for (std::size_t i = 1; i < max_stamps; ++i) stamps[i - 1] = stamps[i];
            --stamp_count;
        }
        stamps[stamp_count++] = s;
    }
};

/// A plane of raw video: a view into the frame's Buffer.
struct Plane {
    const std::uint8_t* data = nullptr;
    int stride = 0;  ///< bytes per row
};

/// One unit of media: a raw picture, a block of audio samples, or an encoded packet.
struct Frame {
    /// The stream's settled format (codec, size, rate...).
    Format format;
    /// Owns the bytes. For encoded media and raw audio the payload is the whole buffer
    /// (payload()); raw video is described by `planes`, which point into it.
    Buffer buffer;
    std::array<Plane, 4> planes{};
    int plane_count = 0;

    /// Presentation time in `time_base` units, and the duration in the same units (0:
    /// unknown).
    std::int64_t pts = 0;
    std::int64_t duration = 0;
    Rational time_base{1, 1000000};
    /// Decodable on its own (always true for raw media).
    bool keyframe = false;
    /// Raw audio: samples per channel in this frame.
    int samples = 0;
    /// Out-of-band codec configuration (H264 avcC/SPS+PPS, OpusHead...), set at least on
    /// the first frame of a stream and whenever it changes; empty otherwise.
    Buffer codec_config;

    Timing timing;

    /// Bytes of an encoded packet or of interleaved raw audio.
    const std::uint8_t* payload() const noexcept { return buffer.data(); }
    std::size_t payload_size() const noexcept { return buffer.size(); }

    /// Carries the source's capture time and the path over from the frame this one was
    /// made from. Call it in every node that produces output from input.
    void inherit_timing(const Frame& from) noexcept { timing = from.timing; }
};

}  // namespace switchboard
