// Encoded test media for the HLS packager's tests: the test camera's moving, stamped
// picture through libx264 (ultrafast, zerolatency, Annex B, a keyframe each second) and a
// 440 Hz tone through FFmpeg's AAC encoder, both opened by the transcode plugin's
// open_encoder() as the project encodes. Frames come out in order, one at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <switchboard/ffmpeg/handles.hpp>
#include <switchboard/format.hpp>
#include <switchboard/frame.hpp>

namespace switchboard::test {

struct EncodedFrame {
    std::vector<std::uint8_t> bytes;
    std::int64_t pts = 0;  ///< video: 1/90000; audio: 1/sample_rate
    bool keyframe = false;
};

/// What HlsTestMedia's AAC is: 48 kHz stereo.
Format test_aac_format();
/// An encoded frame as the graph carries it: H264 Annex B (90 kHz), with `config` (SPS +
/// PPS, Annex B or avcC) as its codec_config when given.
Frame as_video_frame(const EncodedFrame& e, int width, int height, const std::vector<std::uint8_t>& config = {});
/// Raw AAC (1/48000), with the AudioSpecificConfig `asc` as its codec_config when given.
Frame as_audio_frame(const EncodedFrame& e, const std::vector<std::uint8_t>& asc = {});

/// What libavformat reads back from an init segment followed by a segment (or parts).
struct Demuxed {
    std::vector<bool> video_keyframes;
    int audio_packets = 0;
    std::optional<double> first_video_s;  ///< the first packet's pts, seconds
    std::optional<double> first_audio_s;
};
Demuxed demux(const std::string& init, const std::string& media);

class HlsTestMedia {
public:
    static constexpr int sample_rate = 48000;

    /// Throws std::runtime_error when an encoder does not open.
    HlsTestMedia(int width, int height, int fps);

    /// The next video frame (x264 with zerolatency has no delay: one in, one out).
    EncodedFrame next_video();
    /// The AAC frames that cover audio up to `until_pts90k` (video time).
    std::vector<EncodedFrame> audio_until(std::int64_t until_pts90k);

    /// SPS + PPS, Annex B.
    std::vector<std::uint8_t> video_extradata() const;
    /// The AudioSpecificConfig.
    std::vector<std::uint8_t> audio_specific_config() const;
    int width() const noexcept { return m_width; }
    int height() const noexcept { return m_height; }

private:
    int m_width;
    int m_height;
    int m_fps;
    std::int64_t m_video_index = 0;
    std::int64_t m_audio_samples = 0;
    ffmpeg::CodecContextPtr m_video;
    ffmpeg::CodecContextPtr m_audio;
    double m_phase = 0;
};

}  // namespace switchboard::test
