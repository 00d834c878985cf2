// testsrc.camera node; see camera_node.hpp.
#include "camera_node.hpp"

#include <boost/asio/error.hpp>

#include <switchboard/log.hpp>

#include "pattern.hpp"
#include "stamp.hpp"

namespace switchboard::testsrc {

CameraNode::CameraNode(NodeContext& context, const NodeConfig& config)
    : m_ctx(context),
      m_settings(CameraSettings::from(config)),
      m_video_timer(context.executor()),
      m_audio_timer(context.executor()),
      m_video_pacer(Rational{m_settings.fps, 1}),
      m_audio_pacer(Rational{sample_rate, samples_per_frame}),
      m_tone(m_settings.tone_hz, sample_rate) {
    m_video_format.kind = MediaKind::video;
    m_video_format.codec = Codec::i420;
    m_video_format.width = m_settings.width;
    m_video_format.height = m_settings.height;
    m_video_format.frame_rate = Rational{m_settings.fps, 1};

    m_audio_format.kind = MediaKind::audio;
    m_audio_format.codec = Codec::s16;
    m_audio_format.sample_rate = sample_rate;
    m_audio_format.channels = 1;
}

CameraNode::~CameraNode() {
    stop();
}

std::vector<PortSpec> CameraNode::output_ports() const noexcept {
    std::vector<PortSpec> ports{{"video", MediaKind::video, {m_video_format}, false}};
    if (m_settings.audio) ports.push_back({"audio", MediaKind::audio, {m_audio_format}, false});
    return ports;
}

Result<void> CameraNode::start() noexcept {
    m_alive = std::make_shared<int>(0);
    m_done = false;
    const auto now = Pacer::Clock::now();
    m_video_pacer.start(now);
    m_audio_pacer.start(now);
    try {
        arm_video();
        if (m_settings.audio) arm_audio();
    } catch (const std::exception& e) {
        return Error::runtime(std::string("cannot arm timers: ") + e.what());
    }
    SWITCHBOARD_LOG(m_ctx.log(), info,
                    "test camera " << m_settings.width << "x" << m_settings.height << "@" << m_settings.fps << " fps, "
                                   << (m_settings.audio ? "with" : "without") << " a " << m_settings.tone_hz
                                   << " Hz tone");
    return {};
}

void CameraNode::stop() noexcept {
    if (!m_alive) return;
    m_alive.reset();
    m_done = true;
    m_video_timer.cancel();
    m_audio_timer.cancel();
    SWITCHBOARD_LOG(m_ctx.log(), debug,
                    "stopped after " << m_video_sent << " video frames; late skips: video " << m_video_skipped
                                     << ", audio " << m_audio_skipped);
}

void CameraNode::arm_video() {
    m_video_timer.expires_at(m_video_pacer.deadline());
    m_video_timer.async_wait([this, alive = std::weak_ptr<int>(m_alive)](const boost::system::error_code& ec) {
        // Check before touching `this`: after stop() the node may be gone.
        if (ec || alive.expired()) return;
        on_video_tick();
    });
}

void CameraNode::arm_audio() {
    m_audio_timer.expires_at(m_audio_pacer.deadline());
    m_audio_timer.async_wait([this, alive = std::weak_ptr<int>(m_alive)](const boost::system::error_code& ec) {
        if (ec || alive.expired()) return;
        on_audio_tick();
    });
}

void CameraNode::on_video_tick() {
    if (m_done) return;
    if (auto skipped = m_video_pacer.catch_up(Pacer::Clock::now())) {
        m_video_skipped += skipped;
        SWITCHBOARD_LOG(m_ctx.log(), warn,
                        "video ran late: skipped " << skipped << " frame(s), " << m_video_skipped << " so far");
    }
    m_ctx.emit(video_port, make_video_frame(m_video_pacer.index()));
    ++m_video_sent;
    m_video_pacer.advance();
    if (m_settings.frames && m_video_sent >= *m_settings.frames) {
        finish();
        return;
    }
    arm_video();
}

void CameraNode::on_audio_tick() {
    if (m_done) return;
    if (auto skipped = m_audio_pacer.catch_up(Pacer::Clock::now())) {
        m_audio_skipped += skipped;
        SWITCHBOARD_LOG(m_ctx.log(), warn,
                        "audio ran late: skipped " << skipped << " frame(s), " << m_audio_skipped << " so far");
    }
    m_ctx.emit(audio_port, make_audio_frame(m_audio_pacer.index()));
    m_audio_pacer.advance();
    arm_audio();
}

void CameraNode::finish() {
    m_done = true;
    m_video_timer.cancel();
    m_audio_timer.cancel();
    SWITCHBOARD_LOG(m_ctx.log(), info, "sent " << m_video_sent << " frames as configured; finished");
    m_ctx.finished();
}

Frame CameraNode::make_video_frame(std::int64_t index) const {
    const int w = m_settings.width;
    const int h = m_settings.height;
    const std::size_t luma = std::size_t(w) * std::size_t(h);
    const std::size_t chroma = luma / 4;

    Frame frame;
    frame.timing.capture_ns = monotonic_ns();
    const std::uint32_t wall_ms = stamp::now_ms32();
    frame.format = m_video_format;
    frame.buffer = Buffer::allocate(luma + 2 * chroma);
    std::uint8_t* bytes = frame.buffer.mutable_data();
    frame.plane_count = 3;
    frame.planes[0] = {bytes, w};
    frame.planes[1] = {bytes + luma, w / 2};
    frame.planes[2] = {bytes + luma + chroma, w / 2};
    paint_pattern(frame.planes[0], frame.planes[1], frame.planes[2], w, h, index);
    stamp::write(bytes, w, w, wall_ms, std::uint32_t(index));

    frame.pts = index;
    frame.duration = 1;
    frame.time_base = Rational{1, m_settings.fps};
    frame.keyframe = true;
    return frame;
}

Frame CameraNode::make_audio_frame(std::int64_t index) {
    Frame frame;
    frame.timing.capture_ns = monotonic_ns();
    frame.format = m_audio_format;
    frame.buffer = Buffer::allocate(samples_per_frame * sizeof(std::int16_t));
    m_tone.fill(reinterpret_cast<std::int16_t*>(frame.buffer.mutable_data()), samples_per_frame, 1);
    frame.samples = samples_per_frame;
    frame.pts = index * samples_per_frame;
    frame.duration = samples_per_frame;
    frame.time_base = Rational{1, sample_rate};
    frame.keyframe = true;
    return frame;
}

}  // namespace switchboard::testsrc
