/// \file demuxer.hpp
/// \brief Reads a container file's best video and audio streams as encoded Frames.
///
/// H264 and H265 come out in Annex B (start codes, parameter sets before keyframes), the
/// form every Switchboard node expects, whatever the container stored (MP4 and Matroska
/// store length-prefixed NAL units): the h264/hevc_mp4toannexb filters convert them, and
/// codec_config is the Annex-B parameter sets. Other codecs pass as stored, with their
/// extradata (OpusHead, AAC AudioSpecificConfig) as codec_config. Used on one node's
/// executor.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <switchboard/errors.hpp>
#include <switchboard/ffmpeg/handles.hpp>
#include <switchboard/format.hpp>
#include <switchboard/frame.hpp>

namespace switchboard::file {

class Demuxer {
public:
    /// A stream Switchboard can name, in output port order (video first).
    struct Stream {
        std::string name;  ///< "video" or "audio": the port name
        int index = -1;    ///< the container's stream index
        Format format;
        Rational time_base;
        Buffer codec_config;
        ffmpeg::BsfContextPtr to_annexb;  ///< set for length-prefixed H264/H265
    };

    /// A frame read from stream `stream` (an index into streams()).
    struct Packet {
        std::size_t stream = 0;
        Frame frame;
    };

    /// Opens `path` and finds its streams. Throws std::invalid_argument naming the path
    /// when it cannot be opened or holds nothing Switchboard can play.
    explicit Demuxer(const std::string& path);

    const std::vector<Stream>& streams() const noexcept { return m_streams; }
    const std::string& path() const noexcept { return m_path; }

    /// The next frame of one of streams(), or nullopt at the end of the file. Frames carry
    /// format, pts, duration, time_base and the keyframe flag; not codec_config or timing.
    /// Reads from disk: call it from the node's executor, one frame per step.
    Result<std::optional<Packet>> read();

    /// Back to the start of the file, for looping.
    Result<void> rewind();

private:
    Result<std::optional<Packet>> filter(std::size_t slot, AVPacket& packet);

    std::string m_path;
    ffmpeg::InputFormatPtr m_input;
    std::vector<Stream> m_streams;
    ffmpeg::PacketPtr m_packet;
};

}  // namespace switchboard::file
