// Out-of-band codec configuration from in-band data; see extradata.hpp.
#include "extradata.hpp"

#include <cstring>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavcodec/bsf.h>
}

#include <switchboard/ffmpeg/av_packet.hpp>
#include <switchboard/ffmpeg/codec.hpp>
#include <switchboard/ffmpeg/handles.hpp>
#include <switchboard/ffmpeg/picture_size.hpp>

namespace switchboard::file {

Buffer extract_parameter_sets(const Frame& keyframe) {
    const AVCodecID id = ffmpeg::to_av_codec_id(keyframe.format.codec);
    if (id != AV_CODEC_ID_H264 && id != AV_CODEC_ID_HEVC) return {};
    const AVBitStreamFilter* filter = av_bsf_get_by_name("extract_extradata");
    AVBSFContext* raw = nullptr;
    if (!filter || av_bsf_alloc(filter, &raw) < 0) return {};
    ffmpeg::BsfContextPtr bsf(raw);
    bsf->par_in->codec_id = id;
    bsf->par_in->codec_type = AVMEDIA_TYPE_VIDEO;
    if (av_bsf_init(bsf.get()) < 0) return {};

    // Bitstream filters read past the end of their input: give them a padded copy.
    auto packet = ffmpeg::packet_copy(keyframe);
    if (!packet || av_bsf_send_packet(bsf.get(), packet.value().get()) < 0) return {};
    if (av_bsf_receive_packet(bsf.get(), packet.value().get()) < 0) return {};
    std::size_t size = 0;
    const std::uint8_t* data = av_packet_get_side_data(packet.value().get(), AV_PKT_DATA_NEW_EXTRADATA, &size);
    return data && size ? Buffer::copy_of(data, size) : Buffer{};
}

std::pair<int, int> picture_size(const Frame& keyframe) {
    return ffmpeg::picture_size(keyframe.format.codec, {keyframe.payload(), keyframe.payload_size()});
}

int opus_pre_skip(const Buffer& config) noexcept {
    // "OpusHead", version, channel count, then pre-skip as 16-bit little endian.
    if (config.size() < 19 || std::memcmp(config.data(), "OpusHead", 8) != 0) return 0;
    return config.data()[10] | (config.data()[11] << 8);
}

}  // namespace switchboard::file
