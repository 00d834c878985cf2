/// \file buffer.hpp
/// \brief A Buffer's bytes as an FFmpeg AVBufferRef, without a copy.
///
/// FFmpeg counts references to its own buffers (AVBufferRef); Switchboard counts
/// references to a Buffer. To lend a Buffer to FFmpeg, the AVBufferRef keeps a heap-held
/// copy of the Buffer (one more reference) and drops it in its free callback, so the
/// bytes live exactly as long as either side still uses them.
#pragma once

extern "C" {
#include <libavutil/buffer.h>
}

#include <cstdint>
#include <new>

#include <switchboard/frame.hpp>

namespace switchboard::ffmpeg {

namespace detail {
/// av_buffer_create()'s free callback: FFmpeg dropped its last reference. Runs on
/// whichever thread that happens, which is fine: releasing a Buffer is thread-safe.
inline void drop_buffer(void* opaque, std::uint8_t*) noexcept {
    delete static_cast<Buffer*>(opaque);
}
}  // namespace detail

/// A new read-only AVBufferRef over `buffer`'s bytes that holds one reference to it.
/// FFmpeg must not write through it (AV_BUFFER_FLAG_READONLY makes av_frame_make_writable
/// and friends copy first). Null when memory runs out. Any thread.
inline AVBufferRef* share_buffer(const Buffer& buffer) noexcept {
    auto* holder = new (std::nothrow) Buffer(buffer);
    if (!holder) return nullptr;
    AVBufferRef* ref = av_buffer_create(const_cast<std::uint8_t*>(buffer.data()), buffer.size(), &detail::drop_buffer,
                                        holder, AV_BUFFER_FLAG_READONLY);
    if (!ref) delete holder;
    return ref;
}

}  // namespace switchboard::ffmpeg
