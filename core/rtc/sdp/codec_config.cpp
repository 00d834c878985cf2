#include "rtc/sdp/codec_config.hpp"

#include <openssl/evp.h>

#include <iterator>
#include <string_view>

#include "rtc/rtp/gather_list.hpp"
#include "rtc/sdp/audio_specific_config.hpp"
#include "rtc/sdp/sdp_text.hpp"

namespace switchboard::rtc::sdp {

namespace {

/// Standard base64 (RFC 4648 §4), padding optional (some cameras leave it out).
std::optional<std::vector<std::uint8_t>> decode_base64(std::string_view in) {
    in = text::trim(in);
    if (in.empty() || in.size() > 65536) return std::nullopt;
    std::string padded(in);
    if (padded.size() % 4 == 1) return std::nullopt;
    while (padded.size() % 4) padded += '=';
    std::vector<std::uint8_t> out(padded.size() / 4 * 3);
    const int n =
        EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(padded.data()), int(padded.size()));
    if (n < 0) return std::nullopt;
    // EVP_DecodeBlock counts the bytes the padding stands for as zeros: drop them. A
    // quantum has at most two of them ("====" or "x===" is no base64).
    std::size_t padding = 0;
    for (auto it = padded.rbegin(); it != padded.rend() && *it == '='; ++it) ++padding;
    if (padding > 2 || std::size_t(n) < padding) return std::nullopt;
    out.resize(std::size_t(n) - padding);
    return out;
}

/// Appends each comma-separated base64 NAL unit of `value` to `out` as Annex B.
bool append_nal_units(std::string_view value, std::vector<std::uint8_t>& out) {
    while (!value.empty()) {
        const auto comma = value.find(',');
        const auto unit = decode_base64(value.substr(0, comma));
        if (!unit) return false;
        out.insert(out.end(), std::begin(rtp::annex_b_start_code), std::end(rtp::annex_b_start_code));
        out.insert(out.end(), unit->begin(), unit->end());
        value = comma == std::string_view::npos ? std::string_view() : value.substr(comma + 1);
    }
    return true;
}

std::optional<std::vector<std::uint8_t>> decode_hex(std::string_view in) {
    if (in.size() % 2) return std::nullopt;
    const auto digit = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::vector<std::uint8_t> out;
    out.reserve(in.size() / 2);
    for (std::size_t i = 0; i < in.size(); i += 2) {
        const int hi = digit(in[i]), lo = digit(in[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out.push_back(std::uint8_t(hi << 4 | lo));
    }
    return out;
}

}  // namespace

std::vector<std::uint8_t> h264_parameter_sets(const RtpCodec& codec) {
    std::vector<std::uint8_t> out;
    const auto sets = parameter(codec.fmtp, "sprop-parameter-sets");
    if (!sets || !append_nal_units(*sets, out)) return {};
    return out;
}

std::vector<std::uint8_t> h265_parameter_sets(const RtpCodec& codec) {
    std::vector<std::uint8_t> out;
    for (const char* name : {"sprop-vps", "sprop-sps", "sprop-pps"})
        if (const auto v = parameter(codec.fmtp, name); v && !append_nal_units(*v, out)) return {};
    return out;
}

std::optional<rtp::AacPayloadConfig> aac_payload_config(const RtpCodec& codec) {
    const std::string_view fmtp = codec.fmtp;
    if (auto t = parameter(fmtp, "streamType"); t && text::trim(*t) != "5") return std::nullopt;
    if (auto d = parameter(fmtp, "maxDisplacement"); d && text::trim(*d) != "0") return std::nullopt;

    rtp::AacPayloadConfig c;
    const auto mode = parameter(fmtp, "mode").value_or("");
    if (text::iequals(mode, "AAC-lbr")) {
        c.size_length = 6;
        c.index_length = c.index_delta_length = 2;
    } else if (!text::iequals(mode, "AAC-hbr")) {
        // "generic" and the rest: only what the fmtp says.
        c.size_length = c.index_length = c.index_delta_length = 0;
    }
    bool ok = true;
    const auto read = [&](const char* name, auto& field, std::uint32_t hi) {
        const auto v = parameter(fmtp, name);
        if (!v) return;
        const auto n = text::number<std::uint32_t>(text::trim(*v), 0, hi);
        if (!n) ok = false;
        field = std::remove_reference_t<decltype(field)>(n.value_or(0));
    };
    read("sizeLength", c.size_length, 32);
    read("indexLength", c.index_length, 32);
    read("indexDeltaLength", c.index_delta_length, 32);
    read("CTSDeltaLength", c.cts_delta_length, 32);
    read("DTSDeltaLength", c.dts_delta_length, 32);
    read("randomAccessIndication", c.random_access_indication, 1);
    read("streamStateIndication", c.stream_state_indication, 32);
    read("auxiliaryDataSizeLength", c.auxiliary_data_size_length, 32);
    read("constantSize", c.constant_size, UINT32_MAX);
    std::uint32_t constant_duration = 0;
    read("constantDuration", constant_duration, UINT32_MAX);
    if (!ok) return std::nullopt;

    if (const auto config = parameter(fmtp, "config")) {
        auto bytes = decode_hex(text::trim(*config));
        if (!bytes) return std::nullopt;
        c.audio_specific_config = std::move(*bytes);
    }
    if (constant_duration > 0) {
        c.frame_duration = constant_duration;
    } else if (const auto asc = AudioSpecificConfig::parse(c.audio_specific_config)) {
        c.frame_duration = asc->frame_duration(int(codec.clock_rate));
    }
    return c;
}

}  // namespace switchboard::rtc::sdp
