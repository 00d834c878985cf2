/// \file encoder_node.hpp
/// \brief transcode.encoder: raw I420 to H264 or VP8, raw S16 to Opus or AAC.
///
/// Input 0 "in" accepts I420 (or NV12, converted) of any size for the video codecs, S16
/// at 48 kHz for Opus, and S16 at any AAC rate (48 kHz preferred) for AAC. Output 0 "out"
/// offers the codec with the settled input's size and rate (H264 adds the
/// profile-level-id of the real SPS and packetization-mode 1; audio the input's sample
/// rate and channels).
///
/// The encoder opens in set_input_format() (it must know the size to tell its SPS), or
/// on the first frame when the link settled without a size, channel count or sample
/// rate, and runs synchronously on the node's executor with one thread. Audio is
/// regrouped into the encoder's frame size (960 samples for Opus, 1024 for AAC) and
/// converted to the sample format it takes (planar float for AAC). Each output frame
/// inherits the Timing of the input it was made from (TimingMap), carries pts and
/// duration in the encoder's time base (1/90000 video, 1/sample rate audio), the
/// keyframe flag, and codec_config (H264 SPS/PPS, OpusHead, AAC AudioSpecificConfig) on
/// the first frame and whenever the encoder's extradata changes. Audio packets are
/// stamped as FFmpeg stamps them: the encoder's priming samples (initial_padding) come
/// first, at negative pts. A keyframe request makes the next frame a keyframe.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <switchboard/config.hpp>
#include <switchboard/ffmpeg/handles.hpp>
#include <switchboard/node.hpp>

#include "audio_converter.hpp"
#include "encoder_settings.hpp"
#include "sample_chunker.hpp"
#include "timing_map.hpp"
#include "video_converter.hpp"

namespace switchboard::transcode {

class EncoderNode final : public Node {
public:
    /// Reads the config; throws std::invalid_argument on a bad one (see node_factory()).
    EncoderNode(NodeContext& context, const NodeConfig& config);

    std::vector<PortSpec> input_ports() const noexcept override;
    std::vector<PortSpec> output_ports() const noexcept override;

    /// Opens the encoder for the settled input; refuses formats it cannot encode.
    Result<void> set_input_format(PortIndex input, const Format& format) noexcept override;
    void stop() noexcept override;

    void on_frame(PortIndex input, Frame&& frame) noexcept override;
    /// Forces the next output frame to be a keyframe; always true.
    bool on_keyframe_request(PortIndex output) noexcept override;
    /// Video: from the next frame on, encodes at 85 % of the request (room for audio and
    /// packet overhead), never above the configured rate nor below a floor. Audio keeps
    /// its rate. Always true: the request stops here.
    bool on_bitrate_request(PortIndex output, std::uint64_t bits_per_second) noexcept override;
    /// Drains the encoder (and the partial audio block) and emits what it still holds.
    void on_end_of_stream() noexcept override;

private:
    Result<void> open(const Format& input);
    void encode_video(const Frame& frame);
    void encode_audio(const Frame& frame);
    /// Sends one full S16 block from the chunker, in the sample format the encoder takes.
    void send_block(const Frame& block);
    /// Sends one picture or audio block (null: flush) and emits every packet ready.
    void send(const AVFrame* picture);
    void emit_packet(const AVPacket& packet);
    void fail(Error error);
    /// Applies m_wanted_bps before the next picture: x264 retunes in place; libvpx is
    /// reopened (a keyframe), at most every few seconds.
    void apply_bitrate();

    bool is_audio() const noexcept { return m_settings.kind() == MediaKind::audio; }

    NodeContext& m_ctx;
    std::string m_pointer;  ///< the config's JSON pointer, for messages
    EncoderSettings m_settings;

    Format m_input;   ///< settled input format
    Format m_output;  ///< what port "out" offers
    ffmpeg::CodecContextPtr m_encoder;
    Rational m_time_base;

    TimingMap m_timings;
    Timing m_last_timing;                    ///< what the latest output inherited
    VideoConverter m_converter;              ///< only for pictures of another size or layout
    AudioConverter m_samples;                ///< S16 to the encoder's sample format (AAC)
    std::optional<SampleChunker> m_chunker;  ///< audio: input regrouped into the encoder's frame size
    std::int64_t m_last_pts = INT64_MIN;     ///< last pts sent to the encoder
    std::int64_t m_default_duration = 0;     ///< one frame at the input rate
    Buffer m_sent_config;                    ///< codec_config last emitted
    bool m_force_keyframe = false;
    std::int64_t m_wanted_bps = 0;      ///< from on_bitrate_request; 0: the configured rate
    std::int64_t m_last_reopen_ns = 0;  ///< libvpx: when it was last reopened for a new rate
    int m_frames_since_keyframe = 0;    ///< video frames sent since the last keyframe came out
    bool m_flushed = false;
    bool m_failed = false;
};

}  // namespace switchboard::transcode
