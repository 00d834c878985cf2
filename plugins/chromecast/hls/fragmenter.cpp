#include "hls/fragmenter.hpp"

extern "C" {
#include <libavutil/mathematics.h>
}

#include "hls/h264_config.hpp"

namespace switchboard::hls {

namespace {

/// A segment ends at a keyframe this close below the target too: 2 s of 30 fps frames
/// in a 1/1000 time base land a fraction of a millisecond short.
constexpr Micros segment_slack{1'000};
constexpr int aac_frame_samples = 1024;

/// "mp4a.40.<object type>" from the first five bits of an AudioSpecificConfig.
std::string audio_codec_string(const std::vector<std::uint8_t>& asc) {
    return "mp4a.40." + std::to_string(asc[0] >> 3);
}

}  // namespace

Fragmenter::Fragmenter(FragmenterSettings settings, StreamDescription description, Listener& listener)
    : m_settings(settings), m_description(std::move(description)), m_listener(listener) {}

Fragmenter::~Fragmenter() = default;

Micros Fragmenter::to_micros(std::int64_t pts, Rational time_base) const {
    return Micros(av_rescale_q(pts, AVRational{time_base.num, time_base.den}, AVRational{1, 1'000'000}));
}

Result<void> Fragmenter::start(const VideoSample& first) {
    auto sets = H264ParameterSets::find(m_description.parameter_sets);
    if (!sets) sets = H264ParameterSets::find(first.annexb);
    if (!sets) return Error::invalid("hls fragmenter: no SPS/PPS in the extradata or the first keyframe");
    if (sets->level_idc() > max_level_idc)
        return Error::invalid("hls fragmenter: H264 level_idc " + std::to_string(sets->level_idc()) +
                              " is above 4.1, which a Chromecast does not decode");
    CmafTracks tracks;
    tracks.video = {m_description.width, m_description.height, sets->annexb()};
    tracks.audio = m_description.audio;
    auto muxer = CmafMuxer::open(tracks);
    if (!muxer) return muxer.error();
    m_muxer = std::move(muxer.value());
    m_origin = to_micros(first.pts, first.time_base);

    StreamInfo info{m_description.width, m_description.height, sets->codec_string()};
    if (tracks.audio) info.codecs += "," + audio_codec_string(tracks.audio->audio_specific_config);
    m_listener.on_init(m_muxer->init_segment(), info);
    return {};
}

Result<void> Fragmenter::push_video(const VideoSample& sample) {
    if (m_finished) return Error::invalid("hls fragmenter: video after finish()");
    if (!m_muxer) {
        if (!sample.keyframe) {
            ++m_dropped;
            return {};
        }
        if (auto started = start(sample); !started) return started;
    }
    Micros at = to_micros(sample.pts, sample.time_base) - m_origin;
    if (m_held) {
        if (at <= m_held->at)
            return Error::invalid("hls fragmenter: video pts " + std::to_string(sample.pts) +
                                  " does not increase (B-frames are not supported)");
        Micros held_at = m_held->at;
        std::int64_t next_pts = av_rescale_q(sample.pts, AVRational{sample.time_base.num, sample.time_base.den},
                                             AVRational{m_held->time_base.num, m_held->time_base.den});
        if (auto written = write_held(next_pts); !written) return written;
        bool segment_end = sample.keyframe && at - m_segment_start >= m_settings.segment_target - segment_slack;
        // The next frame would last about as long as this one: cut now if it would not fit.
        bool part_full = at + (at - held_at) - m_part_start > m_settings.part_target;
        if (segment_end || part_full) {
            if (auto done = cut(at, segment_end, sample.keyframe); !done) return done;
        }
    }
    m_held = HeldFrame{{sample.annexb.begin(), sample.annexb.end()}, sample.pts, sample.time_base, sample.keyframe, at};
    return {};
}

Result<void> Fragmenter::write_held(std::int64_t next_pts) {
    m_last_duration = next_pts - m_held->pts;
    std::int64_t origin = av_rescale_q(m_origin.count(), AVRational{1, 1'000'000},
                                       AVRational{m_held->time_base.num, m_held->time_base.den});
    auto written = m_muxer->write(CmafMuxer::Track::video, m_held->bytes, m_held->pts - origin, m_last_duration,
                                  m_held->time_base, m_held->keyframe);
    m_held.reset();
    return written;
}

Result<void> Fragmenter::cut(Micros at, bool segment_end, bool next_is_keyframe) {
    auto bytes = m_muxer->flush_fragment();
    if (!bytes) return bytes.error();
    m_listener.on_part(
        CmafPart{m_msn, m_part_index, m_part_start, at - m_part_start, m_part_independent, std::move(bytes.value())});
    if (segment_end) {
        m_listener.on_segment_end(m_msn, at - m_segment_start);
        ++m_msn;
        m_part_index = 0;
        m_segment_start = at;
    } else {
        ++m_part_index;
    }
    m_part_start = at;
    m_part_independent = next_is_keyframe;
    return {};
}

Result<void> Fragmenter::push_audio(const AudioSample& sample) {
    if (m_finished) return Error::invalid("hls fragmenter: audio after finish()");
    if (!m_description.audio) return Error::invalid("hls fragmenter: audio in a stream described without audio");
    if (!m_muxer) return {};
    Micros at = to_micros(sample.pts, sample.time_base) - m_origin;
    if (at < Micros(0)) return {};  // before the first keyframe: nothing to play it with
    if (m_last_audio && at <= *m_last_audio)
        return Error::invalid("hls fragmenter: audio pts " + std::to_string(sample.pts) + " does not increase");
    m_last_audio = at;
    AVRational tb{sample.time_base.num, sample.time_base.den};
    std::int64_t origin = av_rescale_q(m_origin.count(), AVRational{1, 1'000'000}, tb);
    std::int64_t duration = av_rescale_q(aac_frame_samples, AVRational{1, m_description.audio->sample_rate}, tb);
    return m_muxer->write(CmafMuxer::Track::audio, sample.data, sample.pts - origin, duration, sample.time_base, true);
}

Result<void> Fragmenter::finish() {
    if (m_finished || !m_muxer || !m_held) {
        m_finished = true;
        return {};
    }
    m_finished = true;
    std::int64_t duration = m_last_duration > 0 ? m_last_duration : 1;
    Micros end = m_held->at + to_micros(duration, m_held->time_base);
    if (auto written = write_held(m_held->pts + duration); !written) return written;
    return cut(end, true, false);
}

}  // namespace switchboard::hls
