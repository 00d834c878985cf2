// Conversion planning for "convert": "auto"; see planner.hpp.
#include "planner.hpp"

#include <algorithm>
#include <string>

#include "decoder_node.hpp"
#include "encoder_setup.hpp"

namespace switchboard::transcode {

namespace {

bool can_encode_to(Codec codec) noexcept {
    return codec == Codec::h264 || codec == Codec::vp8 || codec == Codec::opus || codec == Codec::aac;
}

bool is_audio_codec(Codec codec) noexcept {
    return codec == Codec::opus || codec == Codec::aac;
}

bool takes_rate(Codec codec, int rate) {
    const auto rates = encoder_sample_rates(codec);
    return std::find(rates.begin(), rates.end(), rate) != rates.end();
}

bool can_decode(const Format& f) {
    const auto formats = DecoderNode::accepted(f.kind);
    return std::any_of(formats.begin(), formats.end(), [&](const Format& a) { return a.codec == f.codec; });
}

/// What an encoder of `codec` makes from raw `input`, or nullopt if it cannot take it.
/// The H264 profile-level-id is left open: it is known only once libx264 is open.
std::optional<Format> encoder_output(const Format& input, Codec codec) {
    Format out;
    out.kind = input.kind;
    out.codec = codec;
    if (is_audio_codec(codec)) {
        // The encoders do not resample: the rate is one they take, or the plan fails.
        if (input.kind != MediaKind::audio || input.codec != Codec::s16 || !takes_rate(codec, input.sample_rate))
            return std::nullopt;
        out.sample_rate = input.sample_rate;
        out.channels = input.channels;
        return out;
    }
    if (input.kind != MediaKind::video || (input.codec != Codec::i420 && input.codec != Codec::nv12))
        return std::nullopt;
    out.width = input.width;
    out.height = input.height;
    out.frame_rate = input.frame_rate;
    if (codec == Codec::h264) out.packetization_mode = 1;
    return out;
}

std::string codec_key(Codec c) {
    switch (c) {
        case Codec::h264:
            return "h264";
        case Codec::vp8:
            return "vp8";
        case Codec::aac:
            return "aac";
        default:
            return "opus";
    }
}

ConverterStep encoder_step(Codec codec) {
    return {"transcode.encoder", R"({"codec":")" + codec_key(codec) + R"("})"};
}

ConverterStep decoder_step(const DecoderSettings& s) {
    std::string json = s.kind == MediaKind::video ? R"({"kind":"video")" : R"({"kind":"audio")";
    if (s.sample_rate) json += R"(,"sample_rate":)" + std::to_string(s.sample_rate);
    return {"transcode.decoder", json + "}"};
}

/// The steps that turn `from` into something that meets `target`, or nullopt.
std::optional<std::vector<ConverterStep>> plan_one(const Format& from, const Format& target) {
    if (from.kind != target.kind || target.codec == Codec::any) return std::nullopt;
    auto meets = [&](const std::optional<Format>& made) { return made && intersect(*made, target).has_value(); };

    if (is_raw(from.codec)) {
        if (can_encode_to(target.codec) && meets(encoder_output(from, target.codec)))
            return std::vector<ConverterStep>{encoder_step(target.codec)};
        return std::nullopt;
    }
    if (!can_decode(from)) return std::nullopt;

    DecoderSettings decoder;
    decoder.kind = from.kind;
    if (is_raw(target.codec)) {
        if (meets(DecoderNode::output_for(from, decoder))) return std::vector<ConverterStep>{decoder_step(decoder)};
        return std::nullopt;
    }
    if (!can_encode_to(target.codec)) return std::nullopt;
    if (is_audio_codec(target.codec)) {
        const int decoded = DecoderNode::output_for(from, decoder).sample_rate;
        // An unknown decoded rate (0) is never taken: resampling makes it known.
        const int wanted = target.sample_rate                  ? target.sample_rate
                           : takes_rate(target.codec, decoded) ? decoded
                                                               : 48000;
        if (wanted != decoded) decoder.sample_rate = wanted;
    }
    if (meets(encoder_output(DecoderNode::output_for(from, decoder), target.codec)))
        return std::vector<ConverterStep>{decoder_step(decoder), encoder_step(target.codec)};
    return std::nullopt;
}

}  // namespace

std::optional<std::vector<ConverterStep>> plan_conversion(const Format& from, const FormatSet& to) noexcept {
    try {
        for (const auto& target : to)
            if (auto steps = plan_one(from, target)) return steps;
    } catch (...) {
        // Out of memory while planning: say "cannot", the graph reports the link.
    }
    return std::nullopt;
}

}  // namespace switchboard::transcode
