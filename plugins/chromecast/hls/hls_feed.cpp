#include "hls/hls_feed.hpp"

#include <array>

#include <boost/asio/post.hpp>

#include <switchboard/ffmpeg/picture_size.hpp>

extern "C" {
#include <libavutil/mathematics.h>
}

#include "hls/h264_config.hpp"

namespace switchboard::hls {

namespace {

Micros micros_of(const Frame& f) {
    return Micros(av_rescale_q(f.pts, AVRational{f.time_base.num, f.time_base.den}, AVRational{1, 1'000'000}));
}

std::span<const std::uint8_t> bytes_of(const Buffer& b) {
    return {b.data(), b.size()};
}

/// The picture size the SPS states, read by FFmpeg's parser from the parameter sets and
/// the keyframe's slice; {0, 0} when it cannot tell.
std::pair<int, int> stated_size(const H264ParameterSets& sets, const Frame& keyframe) {
    auto bytes = sets.annexb();
    const auto payload = bytes_of(keyframe.buffer);
    bytes.insert(bytes.end(), payload.begin(), payload.end());
    return ffmpeg::picture_size(Codec::h264, bytes);
}

/// Sample rate and channels from an AudioSpecificConfig (ISO 14496-3 §1.6.2.1):
/// audioObjectType (5 bits, 31 escapes to 6 more), samplingFrequencyIndex (4 bits, 15:
/// the rate in the next 24), channelConfiguration (4 bits; 0: in a PCE, so unknown).
std::optional<std::pair<int, int>> read_asc(std::span<const std::uint8_t> asc) {
    static constexpr std::array<int, 13> rates{96000, 88200, 64000, 48000, 44100, 32000, 24000,
                                               22050, 16000, 12000, 11025, 8000,  7350};
    std::size_t at = 0;
    auto bits = [&](int n) {
        std::uint32_t v = 0;
        for (int i = 0; i < n; ++i, ++at) {
            if (at / 8 >= asc.size()) return std::optional<std::uint32_t>{};
            v = (v << 1) | ((asc[at / 8] >> (7 - at % 8)) & 1);
        }
        return std::optional<std::uint32_t>{v};
    };
    auto object = bits(5);
    if (object && *object == 31) object = bits(6);
    auto index = bits(4);
    if (!object || !index) return std::nullopt;
    int rate = 0;
    if (*index == 15) {
        auto explicit_rate = bits(24);
        if (!explicit_rate) return std::nullopt;
        rate = int(*explicit_rate);
    } else if (*index < rates.size()) {
        rate = rates[*index];
    }
    auto channels = bits(4);
    if (!channels || rate <= 0) return std::nullopt;
    return std::pair{rate, int(*channels)};
}

}  // namespace

/// The Fragmenter's listener: counts on the feed's thread, hands over on the io executor.
class HlsFeed::Publisher : public Fragmenter::Listener {
public:
    explicit Publisher(HlsFeed& feed) : m_feed(feed) {}
    void on_init(std::string init, const StreamInfo& info) override {
        boost::asio::post(m_feed.m_io, [s = m_feed.m_stream, init = std::move(init), info]() mutable {
            s->set_init(std::move(init), info);
        });
    }
    void on_part(CmafPart part) override {
        ++m_feed.m_parts_out;
        boost::asio::post(m_feed.m_io,
                          [s = m_feed.m_stream, part = std::move(part)]() mutable { s->add_part(std::move(part)); });
    }
    void on_segment_end(std::uint64_t msn, Micros duration) override {
        ++m_feed.m_segments_out;
        boost::asio::post(m_feed.m_io, [s = m_feed.m_stream, msn, duration] { s->end_segment(msn, duration); });
    }

private:
    HlsFeed& m_feed;
};

HlsFeed::HlsFeed(boost::asio::any_io_executor io, std::shared_ptr<HlsStream> stream, FragmenterSettings settings,
                 Logger& log, HlsFeedOptions options)
    : m_io(std::move(io)),
      m_stream(std::move(stream)),
      m_settings(settings),
      m_log(log),
      m_options(options),
      m_publisher(std::make_unique<Publisher>(*this)) {}

HlsFeed::~HlsFeed() = default;

void HlsFeed::set_audio_format(const Format& aac) {
    m_audio_format = aac;
}

void HlsFeed::drop(const char* why) {
    ++m_frames_dropped;
    if (m_logged_drops.insert(why).second) SWITCHBOARD_LOG(m_log, info, "hls feed: dropping " << why);
}

Error HlsFeed::fail(Error error) {
    if (!m_error) {
        SWITCHBOARD_LOG(m_log, error, error.message);
        m_error = error;
    }
    return *m_error;
}

Error HlsFeed::discontinuity(const std::string& why) {
    if (m_fragmenter && !m_finished) {
        m_finished = true;
        (void)m_fragmenter->finish();  // the last segment completes; an error here changes nothing
    }
    m_restart_needed = true;
    return fail(Error::unavailable("hls feed: " + why + "; this stream ends here and a new one is needed"));
}

Result<void> HlsFeed::push_video(const Frame& h264) {
    ++m_frames_in;
    if (m_error) {
        ++m_frames_dropped;
        return *m_error;
    }
    if (h264.buffer.empty()) {
        drop("empty video frames");
        return {};
    }
    if (!h264.codec_config.empty()) m_video_config = h264_config_as_annexb(bytes_of(h264.codec_config));
    if (!m_fragmenter && !m_holding) {
        if (!h264.keyframe) {
            drop("video before the first keyframe");
            return {};
        }
        m_first_keyframe_at = micros_of(h264);
        m_first_keyframe_capture_ns = h264.timing.capture_ns;
        m_held.push_back({false, h264});
        bool audio_expected = m_audio_format || m_audio_seen;
        if (audio_expected && !m_audio_config) {
            m_holding = true;
            SWITCHBOARD_LOG(m_log, debug,
                            "hls feed: first keyframe; waiting up to " << m_options.audio_config_wait.count()
                                                                       << " ms for the audio config");
            return {};
        }
        return start();
    }
    if (m_holding) {
        m_held.push_back({false, h264});
        if (micros_of(h264) - *m_first_keyframe_at >= m_options.audio_config_wait) {
            SWITCHBOARD_LOG(m_log, warn,
                            "hls feed: no AAC config after " << m_options.audio_config_wait.count()
                                                             << " ms of video; starting without audio");
            return start();
        }
        return {};
    }
    return feed_video(h264);
}

Result<void> HlsFeed::push_audio(const Frame& aac) {
    ++m_frames_in;
    m_audio_seen = true;
    if (m_error) {
        ++m_frames_dropped;
        return *m_error;
    }
    if (!aac.codec_config.empty() && !m_audio_config) {
        auto asc = bytes_of(aac.codec_config);
        auto read = read_asc(asc);
        int rate = read ? read->first : 0;
        int channels = read && read->second ? read->second : 0;
        if (!rate && m_audio_format) rate = m_audio_format->sample_rate;
        if (!channels && m_audio_format) channels = m_audio_format->channels;
        if (rate > 0 && channels > 0) {
            m_audio_config = AudioConfig{rate, channels, {asc.begin(), asc.end()}};
        } else {
            drop("AAC whose AudioSpecificConfig gives no rate or channels");
            return {};
        }
    }
    if (aac.buffer.empty()) {
        drop("empty audio frames");
        return {};
    }
    if (!m_fragmenter && !m_holding) {
        drop("audio before the first keyframe");
        return {};
    }
    if (m_holding) {
        if (!m_audio_config) {
            drop("audio before its AudioSpecificConfig");
            return {};
        }
        m_held.push_back({true, aac});
        return start();  // the config is here: nothing more to wait for
    }
    return feed_audio(aac);
}

Result<void> HlsFeed::start() {
    m_holding = false;
    const Frame& first = m_held.front().frame;
    auto sets = H264ParameterSets::find(m_video_config);
    if (!sets) sets = H264ParameterSets::find(bytes_of(first.buffer));
    if (!sets) {
        m_held.clear();
        return fail(Error::invalid("hls feed: no SPS/PPS in the codec_config or the first keyframe"));
    }
    StreamDescription d;
    d.width = first.format.width;
    d.height = first.format.height;
    m_sps_size = stated_size(*sets, first);
    if (d.width <= 0 || d.height <= 0) std::tie(d.width, d.height) = m_sps_size;
    if (d.width <= 0 || d.height <= 0) {
        m_held.clear();
        return fail(Error::invalid("hls feed: no picture size in the video format or the SPS"));
    }
    d.parameter_sets = sets->annexb();
    if (m_audio_config)
        d.audio = CmafTracks::Audio{m_audio_config->sample_rate, m_audio_config->channels, m_audio_config->asc};
    m_with_audio = d.audio.has_value();
    m_codec_string = sets->codec_string();
    SWITCHBOARD_LOG(m_log, info,
                    "hls feed: starting " << d.width << "x" << d.height << " " << m_codec_string
                                          << (m_with_audio ? " with AAC " + std::to_string(d.audio->sample_rate) +
                                                                 " Hz " + std::to_string(d.audio->channels) + " ch"
                                                           : std::string(" without audio")));
    m_fragmenter = std::make_unique<Fragmenter>(m_settings, std::move(d), *m_publisher);
    std::deque<Held> held = std::move(m_held);
    m_held.clear();
    for (const Held& h : held) {
        auto fed = h.audio ? feed_audio(h.frame) : feed_video(h.frame);
        if (!fed) return fed;
    }
    return {};
}

bool HlsFeed::same_stream(const Frame& keyframe) const {
    auto sets = H264ParameterSets::find(bytes_of(keyframe.buffer));
    if (!sets) sets = H264ParameterSets::find(m_video_config);
    if (!sets) return true;
    return sets->codec_string() == m_codec_string && stated_size(*sets, keyframe) == m_sps_size;
}

Result<void> HlsFeed::feed_video(const Frame& frame) {
    Micros at = micros_of(frame);
    if (m_last_video && at <= *m_last_video)
        return discontinuity("video pts went from " + std::to_string(m_last_video->count()) + " to " +
                             std::to_string(at.count()) + " us");
    if (frame.keyframe && !same_stream(frame)) return discontinuity("the SPS changed (picture size or profile/level)");
    m_last_video = at;
    auto pushed = m_fragmenter->push_video({bytes_of(frame.buffer), frame.pts, frame.time_base, frame.keyframe});
    if (!pushed) return fail(Error{pushed.error().kind, "hls feed: video: " + pushed.error().message});
    return {};
}

Result<void> HlsFeed::feed_audio(const Frame& frame) {
    if (!m_with_audio) {
        drop("audio: the stream started without it");
        return {};
    }
    const Micros at = micros_of(frame);
    if (!m_audio_shift) {
        m_audio_shift = Micros(0);
        if (m_first_keyframe_capture_ns > 0 && frame.timing.capture_ns > 0) {
            const Micros after_keyframe((frame.timing.capture_ns - m_first_keyframe_capture_ns) / 1000);
            m_audio_shift = *m_first_keyframe_at + after_keyframe - at;
            SWITCHBOARD_LOG(m_log, debug,
                            "hls feed: audio starts " << after_keyframe.count() / 1000
                                                      << " ms after the first keyframe (capture times)");
        }
    }
    const std::int64_t pts = frame.pts + av_rescale_q(m_audio_shift->count(), AVRational{1, 1'000'000},
                                                      AVRational{frame.time_base.num, frame.time_base.den});
    auto pushed = m_fragmenter->push_audio({bytes_of(frame.buffer), pts, frame.time_base});
    if (!pushed) {
        if (pushed.error().kind == ErrorKind::invalid) {  // pts not increasing: that frame only
            drop("audio whose pts does not increase");
            return {};
        }
        return fail(Error{pushed.error().kind, "hls feed: audio: " + pushed.error().message});
    }
    return {};
}

void HlsFeed::finish() {
    if (m_holding && !m_error) (void)start();
    if (!m_fragmenter || m_finished || m_error) return;
    m_finished = true;
    auto done = m_fragmenter->finish();
    if (!done) (void)fail(Error{done.error().kind, "hls feed: finish: " + done.error().message});
}

}  // namespace switchboard::hls
