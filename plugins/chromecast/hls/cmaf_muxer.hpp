/// \file cmaf_muxer.hpp
/// \brief CMAF fMP4 in memory: one init segment (ftyp + moov), then one fragment
/// (moof + mdat) each time flush_fragment() is called.
///
/// Built on libavformat's mp4 muxer rather than a box writer of our own: it already
/// writes avcC/esds, tfdt, trun with per-sample flags and the CMAF brand, and it is
/// what FFmpeg's own HLS muxer uses, so the bytes are ones players have long accepted.
/// Our part is the in-memory AVIOContext and the flags that make the muxer cut a
/// fragment only when told (frag_custom; empty_moov so the init segment comes first
/// with no samples; default_base_moof so each fragment stands alone; cmaf).
///
/// H264 goes in as Annex B (the muxer rewrites it to length-prefixed NAL units because
/// the extradata given is Annex B too); AAC as raw frames with the AudioSpecificConfig as
/// extradata. Not thread-safe: one owner thread.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <switchboard/errors.hpp>
#include <switchboard/format.hpp>

struct AVFormatContext;
struct AVIOContext;

namespace switchboard::hls {

/// The tracks of one stream: H264 video, and AAC audio when `audio` is set.
struct CmafTracks {
    struct Video {
        int width = 0;
        int height = 0;
        std::vector<std::uint8_t> parameter_sets;  ///< SPS + PPS, Annex B
    };
    struct Audio {
        int sample_rate = 0;
        int channels = 0;
        std::vector<std::uint8_t> audio_specific_config;  ///< ISO 14496-3 §1.6.2.1
    };
    Video video;
    std::optional<Audio> audio;
};

class CmafMuxer {
public:
    enum class Track { video = 0, audio = 1 };

    /// Opens the muxer and writes the init segment. invalid for tracks it cannot
    /// describe; runtime when libavformat refuses (its message is kept).
    static Result<std::unique_ptr<CmafMuxer>> open(const CmafTracks& tracks);
    ~CmafMuxer();
    CmafMuxer(const CmafMuxer&) = delete;
    CmafMuxer& operator=(const CmafMuxer&) = delete;

    /// ftyp + moov: what EXT-X-MAP points at.
    const std::string& init_segment() const noexcept { return m_init; }

    /// Adds one sample to the fragment being built. `pts` and `duration` are in
    /// `time_base`; pts per track must increase (no B-frames: decode order is
    /// presentation order).
    Result<void> write(Track track, std::span<const std::uint8_t> data, std::int64_t pts, std::int64_t duration,
                       Rational time_base, bool keyframe);
    /// Ends the fragment: the moof + mdat of every sample written since the last call.
    Result<std::string> flush_fragment();

private:
    CmafMuxer() = default;
    /// AVIOContext write callback: appends to m_pending.
    static int on_write(void* opaque, std::uint8_t* data, int size);

    AVFormatContext* m_format = nullptr;
    AVIOContext* m_io = nullptr;
    bool m_has_audio = false;
    std::string m_init;
    /// Bytes the muxer wrote since they were last taken.
    std::string m_pending;
};

}  // namespace switchboard::hls
