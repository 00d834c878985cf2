/// \file codec.hpp
/// \brief Switchboard's Codec and Rational next to FFmpeg's AVCodecID and AVRational.
///
/// One table maps the codecs both sides know, so the encoder, decoder, muxer and
/// demuxer plugins agree on names. Plain functions of their arguments: any thread.
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavutil/mem.h>
#include <libavutil/rational.h>
}

#include <cstdint>
#include <cstring>
#include <optional>

#include <switchboard/format.hpp>
#include <switchboard/frame.hpp>

namespace switchboard::ffmpeg {

namespace detail {
struct CodecPair {
    Codec codec;
    AVCodecID id;
    MediaKind kind;
};
// clang-format off
/// Encoded codecs only: raw layouts are pixel/sample formats in FFmpeg, not codec ids,
/// except raw S16, which containers store as PCM signed 16-bit little-endian.
inline constexpr CodecPair codec_table[] = {
    {Codec::h264, AV_CODEC_ID_H264, MediaKind::video},
    {Codec::h265, AV_CODEC_ID_HEVC, MediaKind::video},
    {Codec::vp8, AV_CODEC_ID_VP8, MediaKind::video},
    {Codec::vp9, AV_CODEC_ID_VP9, MediaKind::video},
    {Codec::av1, AV_CODEC_ID_AV1, MediaKind::video},
    {Codec::mjpeg, AV_CODEC_ID_MJPEG, MediaKind::video},
    {Codec::opus, AV_CODEC_ID_OPUS, MediaKind::audio},
    {Codec::aac, AV_CODEC_ID_AAC, MediaKind::audio},
    {Codec::pcmu, AV_CODEC_ID_PCM_MULAW, MediaKind::audio},
    {Codec::pcma, AV_CODEC_ID_PCM_ALAW, MediaKind::audio},
    {Codec::s16, AV_CODEC_ID_PCM_S16LE, MediaKind::audio},
};
// clang-format on
}  // namespace detail

/// FFmpeg's id for `codec`; AV_CODEC_ID_NONE for `any`, I420, NV12 and data.
inline AVCodecID to_av_codec_id(Codec codec) noexcept {
    for (const auto& p : detail::codec_table)
        if (p.codec == codec) return p.id;
    return AV_CODEC_ID_NONE;
}

/// Our codec for an FFmpeg id, or nullopt when Switchboard has no name for it.
inline std::optional<Codec> codec_from_av(AVCodecID id) noexcept {
    for (const auto& p : detail::codec_table)
        if (p.id == id) return p.codec;
    return std::nullopt;
}

/// The media kind of an FFmpeg codec id we know, or nullopt.
inline std::optional<MediaKind> kind_from_av(AVCodecID id) noexcept {
    for (const auto& p : detail::codec_table)
        if (p.id == id) return p.kind;
    return std::nullopt;
}

inline AVRational to_av(Rational r) noexcept {
    return AVRational{r.num, r.den};
}
inline Rational from_av(AVRational r) noexcept {
    return Rational{r.num, r.den};
}

/// Replaces an extradata field (of an AVCodecContext or AVCodecParameters) with a copy
/// of `config`, padded with zeros as FFmpeg requires. An empty `config` clears it.
/// Returns false only when memory runs out.
inline bool assign_extradata(std::uint8_t*& extradata, int& extradata_size, const Buffer& config) {
    av_freep(&extradata);
    extradata_size = 0;
    if (config.empty()) return true;
    extradata = static_cast<std::uint8_t*>(av_mallocz(config.size() + AV_INPUT_BUFFER_PADDING_SIZE));
    if (!extradata) return false;
    std::memcpy(extradata, config.data(), config.size());
    extradata_size = int(config.size());
    return true;
}

/// A Frame::codec_config made from an extradata field (a copy; empty if there is none).
inline Buffer config_from_extradata(const std::uint8_t* extradata, int extradata_size) {
    if (!extradata || extradata_size <= 0) return {};
    return Buffer::copy_of(extradata, std::size_t(extradata_size));
}

}  // namespace switchboard::ffmpeg
