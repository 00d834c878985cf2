/// \file decoder_node.hpp
/// \brief transcode.decoder: encoded video to I420, encoded audio to S16.
///
/// Config "kind" picks the media: input 0 "in" accepts H264, H265, VP8, VP9 or MJPEG
/// (video) or Opus, AAC, PCMU or PCMA (audio); output 0 "out" offers I420 at the settled
/// input's size and rate, or S16 at the input's rate and channels (or those configured).
/// Pictures of another pixel format or size go through libswscale, audio through
/// libswresample.
///
/// The decoder opens on the first frame, with that frame's codec_config as extradata
/// (and again whenever codec_config changes), one thread, no frame threading, and runs
/// synchronously on the node's executor. Video waits for a keyframe before decoding and
/// asks upstream for one when it starts or meets a broken stream. Each output inherits
/// the Timing of the packet it was decoded from; pts stay in the input's time base.
#pragma once

#include <cstdint>
#include <vector>

#include <switchboard/config.hpp>
#include <switchboard/ffmpeg/handles.hpp>
#include <switchboard/node.hpp>

#include "audio_converter.hpp"
#include "decoder_settings.hpp"
#include "timing_map.hpp"
#include "video_converter.hpp"

namespace switchboard::transcode {

class DecoderNode final : public Node {
public:
    /// Reads the config; throws std::invalid_argument on a bad one (see node_factory()).
    DecoderNode(NodeContext& context, const NodeConfig& config);

    /// The encoded formats a decoder of `kind` accepts.
    static FormatSet accepted(MediaKind kind);
    /// The raw format a decoder with `settings` makes from `input`.
    static Format output_for(const Format& input, const DecoderSettings& settings);

    std::vector<PortSpec> input_ports() const noexcept override;
    std::vector<PortSpec> output_ports() const noexcept override;

    Result<void> set_input_format(PortIndex input, const Format& format) noexcept override;
    void stop() noexcept override;

    void on_frame(PortIndex input, Frame&& frame) noexcept override;
    /// Decodes what the decoder still holds and emits it.
    void on_end_of_stream() noexcept override;

private:
    Result<void> open(const Frame& first);
    void decode(const Frame& frame);
    /// Emits every decoded frame that is ready.
    void drain();
    void emit_picture(const AVFrame& picture);
    void emit_audio(const AVFrame& samples);
    /// A decode error mid-stream: count it, ask for a keyframe, keep going.
    void on_decode_error(int err);
    void fail(Error error);

    NodeContext& m_ctx;
    std::string m_pointer;  ///< the config's JSON pointer, for messages
    DecoderSettings m_settings;

    Format m_input;   ///< settled input format (codec any until set)
    Format m_output;  ///< what port "out" offers
    ffmpeg::CodecContextPtr m_decoder;
    Buffer m_config;  ///< the codec_config the decoder was opened with
    Rational m_time_base{1, 90000};

    TimingMap m_timings;
    Timing m_last_timing;  ///< what the latest output inherited
    VideoConverter m_video;
    AudioConverter m_audio;
    ffmpeg::FramePtr m_decoded;
    bool m_waiting_for_keyframe = true;  ///< video: drop until a keyframe arrives
    std::int64_t m_errors = 0;           ///< packets the decoder rejected
    bool m_failed = false;
};

}  // namespace switchboard::transcode
