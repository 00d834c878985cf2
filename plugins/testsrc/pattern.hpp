/// \file pattern.hpp
/// \brief The test camera's moving picture.
///
/// Encoders must have real work to do, or bitrate and latency measurements mean nothing:
/// the picture scrolls a diagonal luma gradient, sweeps a bright bar across it, and
/// shifts the chroma planes, so every frame differs from the last in every macroblock
/// row. The frame stamp (stamp.hpp) is painted over it afterwards.
#pragma once

#include <cstdint>

#include <switchboard/frame.hpp>

namespace switchboard::testsrc {

/// Paints picture number `index` into I420 planes Y, U, V of a `width` x `height` frame
/// (both even). Pure function of its arguments; any thread.
void paint_pattern(const Plane& y, const Plane& u, const Plane& v, int width, int height, std::int64_t index) noexcept;

}  // namespace switchboard::testsrc
