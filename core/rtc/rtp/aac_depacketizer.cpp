#include "rtc/rtp/aac_depacketizer.hpp"

#include <cstring>

#include "rtc/rtp/bit_reader.hpp"
#include "rtc/rtp/byte_io.hpp"

namespace switchboard::rtc::rtp {

namespace {

/// One AU header (§3.2.1.1), as far as it matters here.
struct AuHeader {
    std::uint32_t size = 0;  ///< 0 when sizeLength is 0
    std::uint32_t index_delta = 0;
    bool has_cts = false;
    std::int64_t cts_delta = 0;
};

/// One packet, split: its AU headers and the access unit data section after them.
struct ParsedPacket {
    std::vector<AuHeader> headers;  ///< empty when the stream has no AU header section
    std::span<const std::uint8_t> data;
};

std::int64_t sign_extend(std::uint32_t v, unsigned bits) {
    if (bits == 0 || bits >= 64) return v;
    const std::int64_t m = std::int64_t(1) << (bits - 1);
    return (std::int64_t(v) ^ m) - m;
}

/// §3.2: [AU-headers-length, AU headers, padding] [aux size, aux data, padding] data.
std::optional<ParsedPacket> parse(const AacPayloadConfig& c, std::span<const std::uint8_t> pl) {
    ParsedPacket out;
    std::size_t off = 0;
    if (c.has_au_headers()) {
        if (pl.size() < 2) return std::nullopt;
        const std::size_t bits = load_be16(pl.data());
        off = 2 + (bits + 7) / 8;
        if (bits == 0 || off > pl.size()) return std::nullopt;
        BitReader r(pl.subspan(2), bits);
        while (r.remaining() > 0) {
            const std::size_t start = r.position();
            AuHeader h;
            h.size = r.read(c.size_length);
            if (out.headers.empty())
                (void)r.read(c.index_length);  // the AU-Index: its serial number, unused
            else
                h.index_delta = r.read(c.index_delta_length);
            if (c.cts_delta_length > 0 && r.read_flag()) {
                h.has_cts = true;
                h.cts_delta = sign_extend(r.read(c.cts_delta_length), c.cts_delta_length);
            }
            if (c.dts_delta_length > 0 && r.read_flag()) r.skip(c.dts_delta_length);
            if (c.random_access_indication) (void)r.read_flag();
            r.skip(c.stream_state_indication);
            // A header of no bits (a config with only indexLength, say) would loop forever.
            if (!r.ok() || r.position() == start) return std::nullopt;
            out.headers.push_back(h);
        }
    }
    if (c.auxiliary_data_size_length > 0) {  // §3.2.2: skipped, nobody uses it
        BitReader r(pl.subspan(off));
        const std::size_t aux_bits = r.read(c.auxiliary_data_size_length);
        r.skip(aux_bits);
        if (!r.ok()) return std::nullopt;
        off += (c.auxiliary_data_size_length + aux_bits + 7) / 8;
    }
    if (off >= pl.size()) return std::nullopt;  // no access unit data
    out.data = pl.subspan(off);
    return out;
}

}  // namespace

bool AacPayloadConfig::valid() const noexcept {
    for (unsigned n : {size_length, index_length, index_delta_length, cts_delta_length, dts_delta_length,
                       stream_state_indication, auxiliary_data_size_length})
        if (n > 32) return false;
    return frame_duration > 0;
}

bool AacPayloadConfig::has_au_headers() const noexcept {
    return size_length || index_length || index_delta_length || cts_delta_length || dts_delta_length ||
           random_access_indication || stream_state_indication;
}

AacDepacketizer::AacDepacketizer(const AacPayloadConfig& config, int clock_rate, int channels)
    : Depacketizer(Format{MediaKind::audio, Codec::aac, 0, 0, {}, clock_rate, channels, clock_rate}, false, false),
      m_config(config),
      m_codec_config(config.audio_specific_config.empty()
                         ? Buffer()
                         : Buffer::copy_of(config.audio_specific_config.data(), config.audio_specific_config.size())) {}

Depacketizer::Units AacDepacketizer::assemble(std::span<const RtpPacket> packets) {
    if (!m_config.valid() || packets.empty()) return {};
    std::vector<ParsedPacket> parsed;
    parsed.reserve(packets.size());
    for (const auto& p : packets) {
        auto pp = parse(m_config, p.payload());
        if (!pp) return {};
        for (const auto& h : pp->headers)
            if (h.index_delta != 0) return {};  // interleaved
        parsed.push_back(std::move(*pp));
    }
    const bool sized = m_config.size_length > 0;
    const std::uint32_t constant = m_config.constant_size;

    Units units;
    // Every unit is a "keyframe"; the stream's first also carries the config.
    const auto first_unit = [&](Assembled& a) {
        if (!m_config_sent) {
            a.codec_config = m_codec_config;
            m_config_sent = true;
        }
    };

    // One packet whose data section is whole access units: one frame per unit, the
    // bytes shared with the packet.
    const auto& first = parsed.front();
    std::vector<std::span<const std::uint8_t>> aus;
    std::vector<std::int64_t> offsets;
    bool whole = false;
    if (packets.size() == 1) {
        std::size_t off = 0;
        whole = true;
        const std::size_t n =
            first.headers.empty() ? (constant ? first.data.size() / constant : 1) : first.headers.size();
        for (std::size_t i = 0; i < n; ++i) {
            std::size_t size = 0;
            if (sized)
                size = first.headers[i].size;
            else if (constant)
                size = constant;
            else if (n == 1)
                size = first.data.size();
            if (size == 0) return {};
            if (size > first.data.size() - off) {
                whole = false;  // maybe the head of a fragmented AU whose rest is lost
                break;
            }
            aus.push_back(first.data.subspan(off, size));
            const bool cts = i < first.headers.size() && first.headers[i].has_cts;
            offsets.push_back(cts ? first.headers[i].cts_delta : std::int64_t(i) * m_config.frame_duration);
            off += size;
        }
        if (whole && off != first.data.size()) return {};  // sizes that do not add up
    }
    if (whole) {
        Buffer owner = packets.front().buffer();
        for (std::size_t i = 0; i < aus.size(); ++i) {
            Assembled a;
            a.data = Buffer::adopt(aus[i].data(), aus[i].size(), [owner]() mutable { owner = Buffer(); });
            a.keyframe = true;
            a.pts_offset = offsets[i];
            if (i == 0) first_unit(a);
            units.push_back(std::move(a));
        }
        return units;
    }

    // Fragments of one access unit (§3.2.3.1): one AU header each, all with the size of
    // the whole unit, which their data must make up exactly.
    std::size_t total = 0;
    for (const auto& pp : parsed) {
        if (pp.headers.size() > 1) return {};
        if (sized && pp.headers.front().size != first.headers.front().size) return {};
        total += pp.data.size();
    }
    if (sized && total != first.headers.front().size) return {};
    if (!sized && constant && total != constant) return {};
    Assembled a;
    a.data = Buffer::allocate(total);
    std::uint8_t* w = a.data.mutable_data();
    if (!w) return {};
    for (const auto& pp : parsed) {
        std::memcpy(w, pp.data.data(), pp.data.size());
        w += pp.data.size();
    }
    a.keyframe = true;
    if (!first.headers.empty() && first.headers.front().has_cts) a.pts_offset = first.headers.front().cts_delta;
    first_unit(a);
    units.push_back(std::move(a));
    return units;
}

}  // namespace switchboard::rtc::rtp
