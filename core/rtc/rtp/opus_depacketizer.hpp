/// \file opus_depacketizer.hpp
/// \brief The old name of AudioDepacketizer(Codec::opus), kept for the callers written
/// before AudioDepacketizer (plugins/rtsp/source/track_receiver.cpp). New code asks
/// sdp::make_depacketizer() or constructs AudioDepacketizer; remove this header with
/// its last caller.
#pragma once

#include "rtc/rtp/audio_depacketizer.hpp"

namespace switchboard::rtc::rtp {

class OpusDepacketizer final : public AudioDepacketizer {
public:
    OpusDepacketizer() noexcept : AudioDepacketizer(Codec::opus) {}
};

}  // namespace switchboard::rtc::rtp
