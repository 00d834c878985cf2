/// \file format.hpp
/// \brief Media formats: what a port offers or accepts, and how two sets meet.
///
/// A Format names a media kind, a codec and the parameters that must agree across a
/// link. A zero (or `any`) parameter means "unconstrained": intersecting it with a
/// concrete value yields that value. A FormatSet lists alternatives in order of
/// preference; the graph intersects the producer's set with the consumer's set on every
/// link and settles on the first format of the result.
///
/// Everything here is a plain value type with no threads involved.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <switchboard/abi.hpp>

namespace switchboard {

enum class MediaKind : std::uint8_t { video, audio, data };

/// Codecs and raw layouts. `any` only appears in accepting sets ("any codec of this kind").
enum class Codec : std::uint8_t {
    any,
    i420,  ///< raw video, planar 4:2:0, 8 bit
    nv12,  ///< raw video, semi-planar 4:2:0, 8 bit
    h264,
    h265,
    vp8,
    vp9,
    av1,
    mjpeg,
    s16,  ///< raw audio, signed 16 bit, interleaved
    opus,
    aac,
    pcmu,   ///< G.711 µ-law
    pcma,   ///< G.711 A-law
    bytes,  ///< opaque data messages
};

/// A rational number (frame rate, time base). {0, 1} means unset.
struct Rational {
    int num = 0;
    int den = 1;

    bool is_set() const noexcept { return num != 0 && den != 0; }
    double to_double() const noexcept { return den ? double(num) / den : 0.0; }
    friend bool operator==(const Rational& a, const Rational& b) noexcept {
        // Compare as values so 30/1 == 60/2.
        return std::int64_t(a.num) * b.den == std::int64_t(b.num) * a.den;
    }
};

/// One concrete or partially constrained format. Trivially copyable on purpose: it
/// travels with every Frame.
struct Format {
    MediaKind kind = MediaKind::video;
    Codec codec = Codec::any;

    // Video. 0 / unset: any.
    int width = 0;
    int height = 0;
    Rational frame_rate{};

    // Audio. 0: any.
    int sample_rate = 0;
    int channels = 0;

    /// RTP clock rate, for formats that travel over RTP. 0: any.
    int clock_rate = 0;

    /// H264 profile-level-id as the 24-bit value of its hex form (0x42e01f). 0: any.
    std::uint32_t profile_level_id = 0;
    /// H264 packetization-mode (RFC 6184). -1: any.
    int packetization_mode = -1;

    friend bool operator==(const Format&, const Format&) = default;
};

using FormatSet = std::vector<Format>;

/// True for raw (uncompressed) codecs.
inline bool is_raw(Codec c) noexcept {
    return c == Codec::i420 || c == Codec::nv12 || c == Codec::s16;
}

inline std::string_view to_string(MediaKind k) noexcept {
    switch (k) {
        case MediaKind::video:
            return "video";
        case MediaKind::audio:
            return "audio";
        case MediaKind::data:
            return "data";
    }
    return "?";
}

inline std::string_view to_string(Codec c) noexcept {
    switch (c) {
        case Codec::any:
            return "*";
        case Codec::i420:
            return "I420";
        case Codec::nv12:
            return "NV12";
        case Codec::h264:
            return "H264";
        case Codec::h265:
            return "H265";
        case Codec::vp8:
            return "VP8";
        case Codec::vp9:
            return "VP9";
        case Codec::av1:
            return "AV1";
        case Codec::mjpeg:
            return "MJPEG";
        case Codec::s16:
            return "S16";
        case Codec::opus:
            return "opus";
        case Codec::aac:
            return "AAC";
        case Codec::pcmu:
            return "PCMU";
        case Codec::pcma:
            return "PCMA";
        case Codec::bytes:
            return "bytes";
    }
    return "?";
}

/// Parses the names to_string(Codec) prints, case-insensitively.
inline std::optional<Codec> codec_from_string(std::string_view name) noexcept {
    for (int i = 0; i <= int(Codec::bytes); ++i) {
        auto c = Codec(i);
        auto n = to_string(c);
        if (n.size() == name.size() &&
            std::equal(n.begin(), n.end(), name.begin(), [](char a, char b) { return (a | 0x20) == (b | 0x20); }))
            return c;
    }
    return std::nullopt;
}

/// "video/H264 1280x720@30 profile-level-id=42e01f packetization-mode=1"; unset
/// parameters are left out.
inline std::string to_string(const Format& f) {
    std::string s{to_string(f.kind)};
    s += '/';
    s += to_string(f.codec);
    char buf[64];
    if (f.width || f.height) {
        std::snprintf(buf, sizeof buf, " %dx%d", f.width, f.height);
        s += buf;
    }
    if (f.frame_rate.is_set()) {
        if (f.frame_rate.den == 1)
            std::snprintf(buf, sizeof buf, "@%d", f.frame_rate.num);
        else
            std::snprintf(buf, sizeof buf, "@%d/%d", f.frame_rate.num, f.frame_rate.den);
        s += buf;
    }
    if (f.sample_rate) s += " " + std::to_string(f.sample_rate) + "Hz";
    if (f.channels) s += " " + std::to_string(f.channels) + "ch";
    if (f.clock_rate) s += " clock=" + std::to_string(f.clock_rate);
    if (f.profile_level_id) {
        std::snprintf(buf, sizeof buf, " profile-level-id=%06x", unsigned(f.profile_level_id));
        s += buf;
    }
    if (f.packetization_mode >= 0) s += " packetization-mode=" + std::to_string(f.packetization_mode);
    return s;
}

/// "{video/H264 ..., video/VP8}" or "{}".
inline std::string to_string(const FormatSet& set) {
    std::string s = "{";
    for (std::size_t i = 0; i < set.size(); ++i) {
        if (i) s += ", ";
        s += to_string(set[i]);
    }
    return s + "}";
}

namespace detail {
/// Meets two "0 means any" parameters; nullopt when both are set and differ.
template <class T>
std::optional<T> meet(T a, T b, T any) {
    if (a == any) return b;
    if (b == any || a == b) return a;
    return std::nullopt;
}
}  // namespace detail

/// The most specific format both a and b admit, or nullopt when they conflict.
/// H264: the profile (profile_idc and constraint flags) must agree; the level is the
/// lower of the two, since a decoder of a higher level decodes a lower one.
inline std::optional<Format> intersect(const Format& a, const Format& b) {
    if (a.kind != b.kind) return std::nullopt;
    Format r;
    r.kind = a.kind;
    auto codec = detail::meet(a.codec, b.codec, Codec::any);
    auto width = detail::meet(a.width, b.width, 0);
    auto height = detail::meet(a.height, b.height, 0);
    const bool rates_conflict = a.frame_rate.is_set() && b.frame_rate.is_set() && !(a.frame_rate == b.frame_rate);
    auto sample_rate = detail::meet(a.sample_rate, b.sample_rate, 0);
    auto channels = detail::meet(a.channels, b.channels, 0);
    auto clock_rate = detail::meet(a.clock_rate, b.clock_rate, 0);
    auto pmode = detail::meet(a.packetization_mode, b.packetization_mode, -1);
    if (!codec || !width || !height || rates_conflict || !sample_rate || !channels || !clock_rate || !pmode)
        return std::nullopt;
    r.codec = *codec;
    r.width = *width;
    r.height = *height;
    r.frame_rate = a.frame_rate.is_set() ? a.frame_rate : b.frame_rate;
    r.sample_rate = *sample_rate;
    r.channels = *channels;
    r.clock_rate = *clock_rate;
    r.packetization_mode = *pmode;
    if (a.profile_level_id && b.profile_level_id) {
        if ((a.profile_level_id >> 8) != (b.profile_level_id >> 8)) return std::nullopt;
        r.profile_level_id =
            (a.profile_level_id & ~0xffu) | std::min(a.profile_level_id & 0xffu, b.profile_level_id & 0xffu);
    } else {
        r.profile_level_id = a.profile_level_id | b.profile_level_id;
    }
    return r;
}

/// Every pairwise meet of a and b, in a's order of preference, without repeats.
inline FormatSet intersect(const FormatSet& a, const FormatSet& b) {
    FormatSet out;
    for (const auto& fa : a)
        for (const auto& fb : b)
            if (auto f = intersect(fa, fb); f && std::find(out.begin(), out.end(), *f) == out.end()) out.push_back(*f);
    return out;
}

}  // namespace switchboard
