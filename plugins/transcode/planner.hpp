/// \file planner.hpp
/// \brief Plans the transcode nodes the graph inserts on a "convert": "auto" link.
///
///   raw I420/NV12 -> H264 or VP8       one encoder
///   raw S16 48 kHz -> Opus             one encoder
///   raw S16 at an AAC rate -> AAC      one encoder (the rate is kept)
///   encoded -> raw I420 / S16          one decoder
///   encoded A -> encoded B             decoder, then encoder
/// For an audio encoder the decoder resamples only when it must: to the rate the target
/// names, else to 48 kHz when the encoder cannot take the stream's rate (Opus takes
/// only 48 kHz, AAC any of its rates, so G.711's 8 kHz stays 8 kHz in AAC).
/// The first format of the consumer's set that one of these chains can make, and whose
/// parameters agree with what the chain would produce, wins. Pure function; any thread.
#pragma once

#include <optional>
#include <vector>

#include <switchboard/plugin.hpp>

namespace switchboard::transcode {

/// The ConverterPlanner both transcode node types register.
std::optional<std::vector<ConverterStep>> plan_conversion(const Format& from, const FormatSet& to) noexcept;

}  // namespace switchboard::transcode
