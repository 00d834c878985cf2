/// \file av_packet.hpp
/// \brief Encoded media between Frame and AVPacket, both ways.
///
/// A Frame carries no decode timestamp: Switchboard streams are presentation-ordered
/// (encoders here make no B-frames), so packets made from Frames get dts = pts.
/// All functions are plain functions of their arguments and may run on any thread;
/// ownership is stated per function.
#pragma once

extern "C" {
#include <libavcodec/packet.h>
#include <libavutil/avutil.h>
}

#include <cstring>

#include <switchboard/errors.hpp>
#include <switchboard/ffmpeg/buffer.hpp>
#include <switchboard/ffmpeg/codec.hpp>
#include <switchboard/ffmpeg/handles.hpp>
#include <switchboard/format.hpp>
#include <switchboard/frame.hpp>

namespace switchboard::ffmpeg {

/// A Frame whose Buffer shares `pkt`'s bytes (no copy when `pkt` is reference-counted,
/// as every packet from an encoder or a demuxer is; otherwise copied once).
///
/// Ownership: the Frame holds its own reference (av_packet_ref into a new packet); its
/// Buffer av_packet_free()s it when the last copy of the Frame goes, on that thread.
/// `pkt` stays the caller's. pts is pkt.pts (pkt.dts when unset) in `time_base`;
/// duration and the keyframe flag come from the packet; codec_config is left empty.
inline Result<Frame> frame_from_packet(const AVPacket& pkt, const Format& format, Rational time_base) {
    if (pkt.size <= 0) return Error::invalid("frame_from_packet: empty packet");
    AVPacket* ref = av_packet_alloc();
    if (!ref) return Error::runtime("frame_from_packet: out of memory");
    if (int err = av_packet_ref(ref, &pkt); err < 0) {
        av_packet_free(&ref);
        return Error::runtime("frame_from_packet: " + error_string(err));
    }
    Frame out;
    out.format = format;
    out.buffer = Buffer::adopt(ref->data, std::size_t(ref->size), [ref]() mutable { av_packet_free(&ref); });
    out.pts = pkt.pts != AV_NOPTS_VALUE ? pkt.pts : pkt.dts != AV_NOPTS_VALUE ? pkt.dts : 0;
    out.duration = pkt.duration;
    out.time_base = time_base;
    out.keyframe = (pkt.flags & AV_PKT_FLAG_KEY) != 0;
    return out;
}

namespace detail {
inline void stamp_packet(AVPacket& pkt, const Frame& frame) noexcept {
    pkt.pts = frame.pts;
    pkt.dts = frame.pts;
    pkt.duration = frame.duration;
    pkt.time_base = to_av(frame.time_base);
    if (frame.keyframe) pkt.flags |= AV_PKT_FLAG_KEY;
}
}  // namespace detail

/// A new AVPacket over `frame`'s payload, without a copy: for muxers, which read only
/// the packet's bytes.
///
/// Not for decoders or bitstream filters: they read up to AV_INPUT_BUFFER_PADDING_SIZE
/// bytes past the end, which a Buffer does not promise; use packet_copy() for them.
/// Ownership: the packet holds one reference to the Buffer (see share_buffer()), so a
/// muxer that queues it for interleaving keeps the bytes alive.
inline Result<PacketPtr> packet_referencing(const Frame& frame) {
    if (frame.buffer.empty()) return Error::invalid("packet_referencing: the frame has no data");
    PacketPtr pkt = make_packet();
    if (!pkt) return Error::runtime("packet_referencing: out of memory");
    pkt->buf = share_buffer(frame.buffer);
    if (!pkt->buf) return Error::runtime("packet_referencing: out of memory");
    pkt->data = const_cast<std::uint8_t*>(frame.payload());
    pkt->size = int(frame.payload_size());
    detail::stamp_packet(*pkt, frame);
    return pkt;
}

/// A new AVPacket holding a zero-padded copy of `frame`'s payload: safe input for
/// decoders and bitstream filters. Encoded packets are small next to the pictures they
/// decode to, so this copy is cheap. The packet is the caller's alone.
inline Result<PacketPtr> packet_copy(const Frame& frame) {
    if (frame.buffer.empty()) return Error::invalid("packet_copy: the frame has no data");
    PacketPtr pkt = make_packet();
    if (!pkt) return Error::runtime("packet_copy: out of memory");
    if (int err = av_new_packet(pkt.get(), int(frame.payload_size())); err < 0)
        return Error::runtime("packet_copy: " + error_string(err));
    std::memcpy(pkt->data, frame.payload(), frame.payload_size());
    detail::stamp_packet(*pkt, frame);
    return pkt;
}

}  // namespace switchboard::ffmpeg
