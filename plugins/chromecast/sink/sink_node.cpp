// chromecast.sink; see sink_node.hpp.
#include "sink_node.hpp"

#include <boost/asio/post.hpp>

#include <switchboard/station.hpp>

#include "chromecast/cast/cast_payload.hpp"
#include "chromecast/sink/tv_remote.hpp"
#include "chromecast/sink/tv_resolver.hpp"
#include "chromecast/sink/webrtc_delivery.hpp"
#include "hls/hls_feed.hpp"
#include "hls/hls_server.hpp"
#include "hls/hls_stream.hpp"
#include "whep/whep_text.hpp"

namespace switchboard::chromecast {

namespace {

/// What a Chromecast's media player takes: H264 and AAC-LC (the fragmenter checks the
/// level, at most 4.1).
constexpr Format media_video_format{.kind = MediaKind::video, .codec = Codec::h264};
constexpr Format media_audio_format{.kind = MediaKind::audio, .codec = Codec::aac, .sample_rate = 48000};

}  // namespace

/// The io side: the TV and the server it fetches from.
class SinkNode::Tv : public std::enable_shared_from_this<SinkNode::Tv> {
public:
    Tv(NodeContext& ctx, const SinkSettings& settings)
        : m_ctx(ctx), m_settings(settings), m_log(ctx.log().with_context("")) {}

    Result<void> start() {
        const auto io = m_ctx.io_executor();
        Result<boost::asio::ip::tcp::endpoint> bound = Error::runtime("no server");
        if (m_settings.mode == DeliveryMode::webrtc) {
            CallMedia media;
            media.send_video = SinkNode::video;
            media.send_audio = SinkNode::audio;
            m_webrtc = std::make_unique<WebrtcDelivery>(io, m_ctx.calls(), media, m_log->with_context("http"));
            bound = m_webrtc->listen(m_settings.listen);
        } else {
            m_hls = std::make_unique<hls::HlsServer>(io, m_log->with_context("http"));
            bound = m_hls->listen(m_settings.listen);
        }
        if (!bound) return Error::unavailable(std::string(m_ctx.name()) + ": " + bound.error().message);
        SWITCHBOARD_LOG(*m_log, info,
                        (m_settings.mode == DeliveryMode::webrtc ? "TV page" : "HLS")
                            << " served on " << bound.value() << ", advertised as " << m_settings.advertised_base_url);

        TvRemoteOptions options;
        options.channel.heartbeat_interval = m_settings.heartbeat_interval;
        options.channel.dead_after = m_settings.dead_after;
        options.channel.connect_timeout = m_settings.connect_timeout;
        options.reconnect_min = m_settings.reconnect_min;
        options.reconnect_max = m_settings.reconnect_max;
        options.yield_to_other_apps = m_settings.yield_to_other_apps;
        options.resolve = make_tv_resolver(io, *m_log, m_settings);
        m_remote = TvRemote::create(io, *m_log, std::move(options));
        m_remote->start();
        return {};
    }

    /// Call `call_id` starts (rings): the TV shows it. `stream` is its HLS (media mode).
    void call_started(const std::string& call_id, std::shared_ptr<hls::HlsStream> stream) {
        if (!m_remote) return;
        TvContent content;
        content.app_id = m_settings.app_id;
        if (m_webrtc) {
            content.app_namespace = m_settings.app_namespace;
            content.app_message =
                payload::web_receiver_url(m_settings.advertised_base_url + m_webrtc->open_call(call_id));
            content.what = "the TV page of call " + call_id;
        } else {
            if (!m_hls_token.empty()) m_hls->remove_stream(m_hls_token);
            m_hls_token = whep::random_hex(16);
            if (auto r = m_hls->add_stream(m_hls_token, stream); !r) {
                SWITCHBOARD_LOG(*m_log, error,
                                "call " << call_id << ": cannot serve its stream: " << r.error().message);
                return;
            }
            content.what = "the stream of call " + call_id;
            // The app starts now, so that it is up when the call is; the stream is loaded
            // once it has something to play: LL-HLS when the call connects (the player's
            // first playlist request then waits for the first segment, and it starts at
            // that segment's keyframe, at the live edge); plain HLS at three segments,
            // where a player starts. Not while an outgoing call still rings: a player kept
            // waiting gives up.
            m_load = content;
            LoadRequest load;
            load.content_id = m_settings.advertised_base_url + "/hls/" + m_hls_token + "/index.m3u8";
            load.content_type = "application/x-mpegurl";
            load.stream_type = "LIVE";  // and no currentTime: a live stream starts at its edge
            load.hls_video_segment_format = "fmp4";
            m_load->load = std::move(load);
            if (!m_settings.low_latency)
                when_segment(stream, 2, [weak = weak_from_this(), shown = stream.get()] {
                    if (auto self = weak.lock(); self && self->m_stream.lock().get() == shown) self->load_stream();
                });
            m_stream = stream;
        }
        SWITCHBOARD_LOG(*m_log, info, "call " << call_id << ": showing it on the TV");
        m_remote->show(std::move(content));
    }

    /// The call shown connected: LL-HLS is loaded now.
    void call_connected(const std::string& call_id) {
        if (!m_remote || !m_load || !m_settings.low_latency) return;
        SWITCHBOARD_LOG(*m_log, info, "call " << call_id << " connected: loading its stream on the TV");
        load_stream();
    }

    void load_stream() {
        if (m_remote && m_load) m_remote->show(*m_load);
    }

    /// Calls `then` once segment `msn` of `stream` is complete, for as long as that takes
    /// (each wait is bounded by the stream; the next begins). Never after the stream went.
    void when_segment(const std::shared_ptr<hls::HlsStream>& stream, std::uint64_t msn, std::function<void()> then) {
        stream->wait_for(msn, std::nullopt,
                         [weak = weak_from_this(), weak_stream = std::weak_ptr<hls::HlsStream>(stream), msn,
                          then = std::move(then)](hls::HlsStream::Wait result) {
                             auto self = weak.lock();
                             auto s = weak_stream.lock();
                             if (!self || !s || result == hls::HlsStream::Wait::closed) return;
                             if (result == hls::HlsStream::Wait::ready) return then();
                             self->when_segment(s, msn, then);
                         });
    }

    void call_ended(const std::string& call_id) {
        if (!m_remote) return;
        SWITCHBOARD_LOG(*m_log, info, "call " << call_id << " ended: clearing the TV");
        if (m_webrtc) m_webrtc->close_call();
        if (m_hls && !m_hls_token.empty()) {
            m_hls->remove_stream(m_hls_token);
            m_hls_token.clear();
            m_stream.reset();
            m_load.reset();
        }
        m_remote->clear();
    }

    void close() noexcept {
        if (m_remote) m_remote->close();
        if (m_webrtc) m_webrtc->close();
        if (m_hls) m_hls->close();
        m_remote.reset();
    }

private:
    NodeContext& m_ctx;
    const SinkSettings& m_settings;
    std::shared_ptr<Logger> m_log;
    std::shared_ptr<TvRemote> m_remote;
    std::unique_ptr<WebrtcDelivery> m_webrtc;
    std::unique_ptr<hls::HlsServer> m_hls;
    std::string m_hls_token;                 ///< the stream of the call shown: its URL's secret
    std::weak_ptr<hls::HlsStream> m_stream;  ///< that stream
    std::optional<TvContent> m_load;         ///< its LOAD, once it is due
};

SinkNode::SinkNode(NodeContext& context, SinkSettings settings) : m_ctx(context), m_settings(std::move(settings)) {}

SinkNode::~SinkNode() {
    stop();
}

std::vector<PortSpec> SinkNode::input_ports() const noexcept {
    if (m_settings.mode == DeliveryMode::webrtc)
        return {{"video", MediaKind::video, {Format{.kind = MediaKind::video}}, false},
                {"audio", MediaKind::audio, {Format{.kind = MediaKind::audio}}, false}};
    return {{"video", MediaKind::video, {media_video_format}, false},
            {"audio", MediaKind::audio, {media_audio_format}, false}};
}

Result<void> SinkNode::set_input_format(PortIndex input, const Format& f) noexcept {
    if (input == audio && m_settings.mode == DeliveryMode::media) m_audio_format = f;
    return {};
}

Result<void> SinkNode::start() noexcept {
    try {
        auto tv = std::make_shared<Tv>(m_ctx, m_settings);
        // The host starts nodes before it runs the control loop: the io side may be set up here.
        if (auto r = tv->start(); !r) {
            tv->close();
            return r;
        }
        m_tv = std::move(tv);
        return {};
    } catch (const std::exception& e) {
        return Error::runtime(std::string(m_ctx.name()) + ": " + e.what());
    }
}

void SinkNode::stop() noexcept {
    m_media.reset();
    if (!m_tv) return;
    // The host stops its control loop before the nodes: nothing else touches the io side.
    m_tv->close();
    m_tv.reset();
}

void SinkNode::on_frame(PortIndex input, Frame&& frame) noexcept {
    // webrtc mode: the TV's WHEP session is linked to what feeds us; nothing to do here.
    if (!m_media) return;
    auto pushed = input == video ? m_media->push_video(frame) : m_media->push_audio(frame);
    if (pushed || !m_media->restart_needed()) return;  // the feed logs its errors once
    // The picture changed size or its clock went back: one HLS stream cannot follow (its
    // init segment is fixed), so the TV gets a new one.
    SWITCHBOARD_LOG(m_ctx.log(), info, "call " << m_call << ": " << pushed.error().message << "; a new HLS stream");
    try {
        show_call(m_call);
        if (input == video) (void)m_media->push_video(frame);
    } catch (const std::exception& e) {
        SWITCHBOARD_LOG(m_ctx.log(), error, "call " << m_call << ": " << e.what());
    }
}

void SinkNode::show_call(const std::string& call_id) {
    std::shared_ptr<hls::HlsStream> stream;
    if (m_settings.mode == DeliveryMode::media) {
        if (m_media) m_media->finish();
        hls::HlsStreamSettings hls_settings;
        hls_settings.playlist.part_target = m_settings.part_target;
        hls_settings.playlist.low_latency = m_settings.low_latency;
        hls_settings.playlist.target_duration_s = int((m_settings.segment_target.count() + 999'999) / 1'000'000);
        stream = std::make_shared<hls::HlsStream>(m_ctx.io_executor(), hls_settings, std::chrono::system_clock::now());
        hls::FragmenterSettings cut;
        cut.part_target = m_settings.part_target;
        cut.segment_target = m_settings.segment_target;
        m_media = std::make_unique<hls::HlsFeed>(m_ctx.io_executor(), stream, cut, m_ctx.log());
        m_media->set_audio_format(m_audio_format);
        m_ctx.request_keyframe(video);  // the stream starts on a keyframe: ask for one now
    }
    boost::asio::post(m_ctx.io_executor(), [tv = std::weak_ptr<Tv>(m_tv), id = call_id, stream] {
        if (auto t = tv.lock()) t->call_started(id, stream);
    });
    if (m_call_connected) call_connected();  // a new stream for a call that is up
}

void SinkNode::call_connected() {
    m_call_connected = true;
    boost::asio::post(m_ctx.io_executor(), [tv = std::weak_ptr<Tv>(m_tv), id = m_call] {
        if (auto t = tv.lock()) t->call_connected(id);
    });
}

void SinkNode::on_call(const StationCall& call) noexcept {
    try {
        if (call.state == CallState::ended) {
            if (call.id != m_call) return;
            m_call.clear();
            if (m_media) {
                m_media->finish();
                m_media.reset();
            }
            boost::asio::post(m_ctx.io_executor(), [tv = std::weak_ptr<Tv>(m_tv), id = call.id] {
                if (auto t = tv.lock()) t->call_ended(id);
            });
            return;
        }
        if (!m_call.empty()) {
            if (call.id != m_call)
                SWITCHBOARD_LOG(
                    m_ctx.log(), info,
                    "call " << call.id << " is " << to_string(call.state) << "; the TV shows call " << m_call);
            else if (call.state == CallState::connected && !m_call_connected)
                call_connected();
            return;
        }
        m_call = call.id;
        m_call_connected = false;
        show_call(call.id);
        if (call.state == CallState::connected) call_connected();
    } catch (const std::exception& e) {
        SWITCHBOARD_LOG(m_ctx.log(), error, "call " << call.id << ": " << e.what());
    }
}

}  // namespace switchboard::chromecast
