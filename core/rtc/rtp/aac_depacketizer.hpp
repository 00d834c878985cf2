/// \file aac_depacketizer.hpp
/// \brief AAC over RTP as mpeg4-generic (RFC 3640): the AU header section, the auxiliary
/// section and the access units of each packet, in any of the RFC's modes (AAC-hbr, the
/// one cameras use, AAC-lbr, generic) since only the field lengths from the fmtp differ.
///
/// A packet carries several complete access units (each becomes a frame, the i-th with
/// its pts i frame durations after the RTP timestamp, or at its CTS-delta when the
/// stream sends one) or one fragment of a single access unit (§3.2.3.1: fragments share
/// the timestamp, the marker is on the last; they become one frame). Output is raw AAC
/// access units, no ADTS; the AudioSpecificConfig from the fmtp is the first frame's
/// codec_config. Every frame is a "keyframe"; loss drops only what it touched.
///
/// Refused (the frame is dropped): interleaving (an AU-Index-delta other than 0, §3.2.1,
/// which would need reordering across packets), an AU of size 0, sizes that do not add
/// up to the packet, fragments that do not add up to the access unit.
#pragma once

#include <cstdint>
#include <vector>

#include "rtc/rtp/depacketizer.hpp"

namespace switchboard::rtc::rtp {

/// The fmtp parameters of an mpeg4-generic stream the depacketizer needs (RFC 3640
/// §4.1); sdp::aac_payload_config() reads them. The defaults are AAC-hbr's (§3.3.6).
struct AacPayloadConfig {
    unsigned size_length = 13;                ///< sizeLength: bits of AU-size (0: absent)
    unsigned index_length = 3;                ///< indexLength: bits of AU-Index
    unsigned index_delta_length = 3;          ///< indexDeltaLength: bits of AU-Index-delta
    unsigned cts_delta_length = 0;            ///< CTSDeltaLength (0: no CTS-flag either)
    unsigned dts_delta_length = 0;            ///< DTSDeltaLength (0: no DTS-flag either)
    bool random_access_indication = false;    ///< randomAccessIndication: a RAP-flag
    unsigned stream_state_indication = 0;     ///< streamStateIndication: bits of Stream-state
    unsigned auxiliary_data_size_length = 0;  ///< auxiliaryDataSizeLength (0: no section)
    /// constantSize: bytes of every access unit when AU-size is absent (0: not given).
    std::uint32_t constant_size = 0;
    /// RTP clock ticks per access unit: constantDuration when given, else the AAC frame
    /// length (1024, or 960/512/480 by the AudioSpecificConfig).
    std::uint32_t frame_duration = 1024;
    /// config=: the AudioSpecificConfig (ISO 14496-3 §1.6.2.1), handed out as the first
    /// frame's codec_config; may be empty.
    std::vector<std::uint8_t> audio_specific_config;

    /// True when every field length is one the reader handles (at most 32 bits).
    bool valid() const noexcept;
    /// True when packets have an AU header section (§3.2.1: some header field is
    /// configured), else they hold access units only.
    bool has_au_headers() const noexcept;
};

class AacDepacketizer final : public Depacketizer {
public:
    /// `clock_rate`: the rtpmap's, which for AAC is the sampling rate; `channels` from
    /// the rtpmap too (0: unknown). An invalid config drops every frame.
    AacDepacketizer(const AacPayloadConfig& config, int clock_rate, int channels = 0);

    const AacPayloadConfig& config() const noexcept { return m_config; }

private:
    Units assemble(std::span<const RtpPacket> packets) override;

    AacPayloadConfig m_config;
    Buffer m_codec_config;
    bool m_config_sent = false;
};

}  // namespace switchboard::rtc::rtp
