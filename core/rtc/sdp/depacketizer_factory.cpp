#include "rtc/sdp/depacketizer_factory.hpp"

#include "rtc/rtp/aac_depacketizer.hpp"
#include "rtc/rtp/audio_depacketizer.hpp"
#include "rtc/rtp/h264_depacketizer.hpp"
#include "rtc/rtp/h265_depacketizer.hpp"
#include "rtc/rtp/jpeg_depacketizer.hpp"
#include "rtc/rtp/vp8_depacketizer.hpp"
#include "rtc/sdp/codec_config.hpp"
#include "rtc/sdp/sdp_text.hpp"

namespace switchboard::rtc::sdp {

namespace {

/// True when the fmtp gives `name` a number above 0 (or one that is not a number).
bool positive(const RtpCodec& codec, std::string_view name) {
    const auto v = parameter(codec.fmtp, name);
    return v && text::trim(*v) != "0";
}

}  // namespace

std::unique_ptr<rtp::Depacketizer> make_depacketizer(const RtpCodec& codec) {
    const auto f = codec.format();
    if (!f) return nullptr;
    const int video_clock = f->clock_rate > 0 ? f->clock_rate : 90000;
    switch (f->codec) {
        case Codec::h264:
            if (f->packetization_mode == 2) return nullptr;  // STAP-B/MTAP/FU-B, refused
            return std::make_unique<rtp::H264Depacketizer>(video_clock);
        case Codec::h265:
            // RFC 7798 §7.1: DONL/DOND fields are present when either is above 0.
            if (positive(codec, "sprop-max-don-diff") || positive(codec, "sprop-depack-buf-nalus")) return nullptr;
            return std::make_unique<rtp::H265Depacketizer>(video_clock);
        case Codec::vp8:
            return std::make_unique<rtp::Vp8Depacketizer>(video_clock);
        case Codec::mjpeg:
            return std::make_unique<rtp::JpegDepacketizer>(video_clock);
        case Codec::aac:
            if (auto c = aac_payload_config(codec); c && c->valid() && f->clock_rate > 0)
                return std::make_unique<rtp::AacDepacketizer>(*c, f->clock_rate, f->channels);
            return nullptr;
        case Codec::opus:
        case Codec::pcmu:
        case Codec::pcma:
            return std::make_unique<rtp::AudioDepacketizer>(f->codec, f->clock_rate, f->channels);
        default:
            return nullptr;
    }
}

}  // namespace switchboard::rtc::sdp
