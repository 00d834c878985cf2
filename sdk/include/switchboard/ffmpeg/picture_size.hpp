/// \file picture_size.hpp
/// \brief The picture size an encoded stream states in band, read by FFmpeg's parser for
/// its codec: for streams whose size no negotiation told (what a WebRTC caller sends).
#pragma once

extern "C" {
#include <libavcodec/avcodec.h>
}

#include <cstdint>
#include <cstring>
#include <span>
#include <utility>

#include <switchboard/ffmpeg/codec.hpp>
#include <switchboard/ffmpeg/handles.hpp>
#include <switchboard/format.hpp>

namespace switchboard::ffmpeg {

/// Width and height from `bytes`, one whole access unit of `codec` (H264/H265: the
/// parameter sets and a slice; the parser takes the size from the slice's SPS); {0, 0}
/// when they do not say. Any thread.
inline std::pair<int, int> picture_size(Codec codec, std::span<const std::uint8_t> bytes) {
    const AVCodecID id = to_av_codec_id(codec);
    AVCodecParserContext* parser = av_parser_init(id);
    if (!parser) return {0, 0};
    CodecContextPtr ctx(avcodec_alloc_context3(avcodec_find_decoder(id)));
    PacketPtr packet = make_packet();
    std::pair<int, int> size{0, 0};
    // Parsers read past the end of their input: give them a zero-padded copy.
    if (ctx && packet && !bytes.empty() && av_new_packet(packet.get(), int(bytes.size())) == 0) {
        std::memcpy(packet->data, bytes.data(), bytes.size());
        parser->flags |= PARSER_FLAG_COMPLETE_FRAMES;  // one whole access unit per call
        std::uint8_t* out = nullptr;
        int out_size = 0;
        av_parser_parse2(parser, ctx.get(), &out, &out_size, packet->data, packet->size, AV_NOPTS_VALUE, AV_NOPTS_VALUE,
                         0);
        if (parser->width > 0 && parser->height > 0) size = {parser->width, parser->height};
    }
    av_parser_close(parser);
    return size;
}

}  // namespace switchboard::ffmpeg
