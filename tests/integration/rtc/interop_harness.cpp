#include "interop_harness.hpp"

#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <istream>
#include <sstream>

#include "rtc/dtls/certificate.hpp"

namespace switchboard::test {

using namespace std::chrono_literals;
using boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

MsSummary MsSummary::of(std::vector<double> v) {
    MsSummary s;
    if (v.empty()) return s;
    std::sort(v.begin(), v.end());
    s.samples = v.size();
    s.p50 = v[v.size() / 2];
    s.max = v.back();
    return s;
}

std::vector<std::string> aiortc_peer(Codec video, std::vector<std::string> extra) {
    std::vector<std::string> argv{
        "/usr/bin/python3", std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/peers/webrtc_peer_aiortc.py",
        "--codec",          video == Codec::h264 ? "h264" : "vp8",
        "--size",           "320x240"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

std::vector<std::string> wrtc_peer(std::vector<std::string> extra) {
    std::vector<std::string> argv{"/usr/bin/node", std::string(SWITCHBOARD_NODE_PEERS_DIR) + "/webrtc_peer_wrtc.mjs",
                                  "--codec",       "vp8",
                                  "--size",        "320x240"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

std::vector<std::string> chromium_peer(Codec video, std::vector<std::string> extra) {
    std::vector<std::string> argv{
        "/usr/bin/node", std::string(SWITCHBOARD_NODE_PEERS_DIR) + "/webrtc_peer_chromium.mjs",
        "--codec",       video == Codec::h264 ? "h264" : "vp8",
        "--size",        "320x240"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return argv;
}

int InteropResult::peer_int(const char* key) const {
    if (!got_report || !report.HasMember(key) || !report[key].IsInt()) return -1;
    return report[key].GetInt();
}

std::optional<double> InteropResult::peer_double(const char* key) const {
    if (!got_report || !report.HasMember(key) || !report[key].IsNumber()) return std::nullopt;
    return report[key].GetDouble();
}

std::string InteropResult::describe(const std::string& peer) const {
    std::ostringstream o;
    std::string all;
    for (const auto& s : states) all += s + "; ";
    auto fmt = [](std::optional<double> v) { return v ? std::to_string(*v).substr(0, 6) : std::string("none"); };
    o << "[switchboard] states: " << all << "\n"
      << "[switchboard] offer -> connected " << to_connected.count() << " ms, offer -> first frame at the peer "
      << to_peer_first_frame.count() << " ms\n"
      << "[switchboard] sent " << video_sent << " video frames, " << audio_sent << " Opus packets (" << stats.rtp_sent
      << " RTP); decoded " << video_decoded << " video frames (" << resolution << "), " << audio_decoded
      << " Opus packets at " << fmt(audio_dbfs) << " dBFS; PLIs sent " << stats.plis_sent << ", unknown PT "
      << stats.unknown_payload_type << "\n"
      << "[switchboard] glass-to-glass (peer's stamp -> our decoder): p50 " << latency.p50 << " ms, max " << latency.max
      << " ms over " << latency.samples << " frames\n"
      << "[switchboard] remote candidates trickled " << remote_candidates << " (after the description "
      << remote_candidates_after_description << "), end-of-candidates " << (remote_end_of_candidates ? "yes" : "no")
      << "\n";
    for (const auto& n : renegotiations)
        o << "[switchboard] renegotiated (" << n.command << (n.ice_restart ? ", ICE restart" : "")
          << "): the peer had decoded " << n.peer_frames << " frames (libwebrtc: " << n.peer_frames_by_libwebrtc
          << "), we " << n.our_frames << ", we had sent " << n.our_video_sent << "; ufrags peer " << n.peer_ufrag
          << " ours " << n.our_ufrag << "; peer directions " << n.peer_directions << "\n";
    for (const auto& e : renegotiation_errors) o << "[switchboard] " << e << "\n";
    if (got_report) {
        const auto* lat = report.HasMember("stamp_latency_ms") ? &report["stamp_latency_ms"] : nullptr;
        auto lat_field = [&](const char* k) {
            return lat && lat->IsObject() && lat->HasMember(k) && (*lat)[k].IsNumber() ? (*lat)[k].GetDouble() : -1.0;
        };
        o << "[" << peer << "] decoded " << peer_int("frames_decoded") << " video frames, "
          << peer_int("audio_frames_received") << " audio frames at " << fmt(peer_double("audio_level_dbfs"))
          << " dBFS; glass-to-glass (our stamp -> its decoder): median " << lat_field("median") << " ms, max "
          << lat_field("max") << " ms; candidates sent " << peer_int("candidates_sent") << " (after the description "
          << peer_int("candidates_sent_after_description") << "), ours added " << peer_int("remote_candidates_added")
          << "\n";
    } else {
        o << "[" << peer << "] no report\n";
    }
    if (process.exit_code != 0 || !got_report)
        o << "[" << peer << "] exit " << process.exit_code << (process.timed_out ? " (timed out)" : "") << "\nstdout:\n"
          << process.out << "\nstderr:\n"
          << process.err << "\n";
    return o.str();
}

namespace {

std::string json_line(std::initializer_list<std::pair<const char*, std::string>> fields,
                      std::optional<int> mline_index = std::nullopt) {
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    w.StartObject();
    for (const auto& [k, v] : fields) {
        w.Key(k);
        w.String(v.data(), rapidjson::SizeType(v.size()));
    }
    if (mline_index) {
        w.Key("sdpMLineIndex");
        w.Int(*mline_index);
    }
    w.EndObject();
    return std::string(sb.GetString()) + "\n";
}

/// A line-oriented JSON connection to one peer process.
class Signalling {
public:
    explicit Signalling(boost::asio::io_context& io)
        : m_acceptor(io, tcp::endpoint(boost::asio::ip::make_address("127.0.0.1"), 0)), m_socket(io) {}

    std::string address() const { return "127.0.0.1:" + std::to_string(m_acceptor.local_endpoint().port()); }

    void accept(std::function<void()> on_accepted) {
        m_acceptor.async_accept(m_socket, [on_accepted](const boost::system::error_code& ec) {
            if (!ec) on_accepted();
        });
    }
    void send(const std::string& line) {
        boost::system::error_code ec;
        boost::asio::write(m_socket, boost::asio::buffer(line), ec);
    }
    /// Calls on_message with every object that has a "type", until the peer closes.
    void read(std::function<void(const rapidjson::Document&)> on_message) {
        boost::asio::async_read_until(
            m_socket, m_in, '\n', [this, on_message](const boost::system::error_code& ec, std::size_t) {
                if (ec) return;
                std::istream is(&m_in);
                std::string line;
                std::getline(is, line);
                rapidjson::Document d;
                d.Parse(line.c_str());
                if (!d.HasParseError() && d.IsObject() && d.HasMember("type") && d["type"].IsString()) on_message(d);
                read(on_message);
            });
    }

private:
    tcp::acceptor m_acceptor;
    tcp::socket m_socket;
    boost::asio::streambuf m_in;
};

/// The SDP without a=candidate and a=end-of-candidates lines.
std::string without_candidates(const std::string& sdp) {
    std::string out;
    std::istringstream in(sdp);
    for (std::string line; std::getline(in, line);) {
        if (line.starts_with("a=candidate:") || line.starts_with("a=end-of-candidates")) continue;
        out += line + "\n";
    }
    return out;
}

std::string str(const rapidjson::Value& v, const char* key) {
    return v.HasMember(key) && v[key].IsString() ? std::string(v[key].GetString(), v[key].GetStringLength())
                                                 : std::string();
}

/// Our stack's debug lines on stderr, with the time since the call began, when
/// SWITCHBOARD_TEST_LOG=1 (to see why a call is slow or fails).
class StderrLogger final : public Logger {
public:
    bool enabled(LogLevel) const noexcept override { return true; }
    void write(LogLevel, std::string_view message) noexcept override {
        const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - m_start).count();
        std::fprintf(stderr, "[switchboard %6lld ms] %.*s\n", static_cast<long long>(ms), int(message.size()),
                     message.data());
    }
    std::shared_ptr<Logger> with_context(std::string_view) const override { return std::make_shared<StderrLogger>(); }

private:
    Clock::time_point m_start = Clock::now();
};

/// A periodic task on absolute deadlines, so the rate does not drift with work time.
class Ticker {
public:
    Ticker(boost::asio::io_context& io, std::chrono::microseconds period) : m_timer(io), m_period(period) {}
    void start(std::function<bool()> tick) {
        m_tick = std::move(tick);
        m_timer.expires_after(0ms);
        wait();
    }
    void stop() { m_timer.cancel(); }

private:
    void wait() {
        m_timer.async_wait([this](const boost::system::error_code& ec) {
            if (ec || !m_tick()) return;
            m_timer.expires_at(m_timer.expiry() + m_period);
            wait();
        });
    }
    boost::asio::steady_timer m_timer;
    std::chrono::microseconds m_period;
    std::function<bool()> m_tick;
};

}  // namespace

InteropResult run_interop_call(const std::vector<std::string>& peer_argv, const InteropOptions& options) {
    InteropResult result;
    boost::asio::io_context io;
    auto work = boost::asio::make_work_guard(io);
    rtc::GlibLoop loop;
    Signalling signalling(io);
    VideoEncoder video_encoder(options.video);
    OpusEncoder audio_encoder;
    VideoDecoder video_decoder(options.video);
    OpusDecoder audio_decoder;
    std::vector<double> latencies;
    if (!video_encoder.ok() || !audio_encoder.ok()) {
        result.states.push_back("no encoder for the codec in libavcodec");
        return result;
    }

    std::vector<std::string> argv = peer_argv;
    for (const auto& s :
         {std::string("--role"), std::string(options.we_offer ? "answer" : "offer"), std::string("--connect"),
          signalling.address(), std::string("--duration"), std::to_string(options.seconds), std::string("--timeout"),
          std::to_string(options.timeout.count() - 5), std::string("--min-frames"), std::string("120")})
        argv.push_back(s);
    ChildProcess child(argv);

    bool accepted = false;
    signalling.accept([&] { accepted = true; });
    auto run_until = [&](const std::function<bool()>& done, std::chrono::milliseconds timeout) {
        const auto deadline = Clock::now() + timeout;
        while (!done()) {
            if (Clock::now() > deadline) return false;
            io.run_for(5ms);
        }
        return true;
    };
    if (!run_until([&] { return accepted; }, 20s)) {
        result.states.push_back("the peer did not connect to signalling");
        result.process = child.wait(1s);
        return result;
    }

    auto cert = rtc::Certificate::generate();
    if (!cert.ok()) {
        result.states.push_back("certificate: " + cert.error().message);
        return result;
    }
    rtc::PeerConnectionConfig config;
    config.gather_addresses = {"127.0.0.1"};
    config.ice_timeout = 20s;
    config.video_formats = {Format{.kind = MediaKind::video, .codec = options.video, .clock_rate = 90000}};
    if (options.video == Codec::h264) {
        config.video_formats[0].profile_level_id = 0x42e01f;
        config.video_formats[0].packetization_mode = 1;
    }
    if (const char* log = std::getenv("SWITCHBOARD_TEST_LOG"); log && std::string_view(log) == "1")
        config.log = std::make_shared<StderrLogger>();
    if (options.configure) options.configure(config);

    std::unique_ptr<rtc::PeerConnection> pc;
    Ticker video_ticker(io, std::chrono::microseconds(1000000 / fps));
    Ticker audio_ticker(io, 20ms);
    bool keyframe_requested = false;
    bool gathered = false;
    bool remote_description_set = false;
    bool description_sent = false;
    const auto max_video = fps * (options.seconds + 10);
    Clock::time_point t0 = Clock::now();

    auto start_media = [&] {
        video_ticker.start([&] {
            if (!pc || result.got_report || result.video_sent >= max_video) return false;
            Frame f = video_encoder.encode(keyframe_requested || result.video_sent == 0);
            keyframe_requested = false;
            if (!f.buffer.empty() && pc->send_video(f)) ++result.video_sent;
            return true;
        });
        audio_ticker.start([&] {
            if (!pc || result.got_report) return false;
            Frame f = audio_encoder.encode();
            if (!f.buffer.empty() && pc->send_audio(f)) ++result.audio_sent;
            return true;
        });
    };

    rtc::PeerConnection::Callbacks cb;
    // Trickled lines wait here until our description went out (a peer drops a candidate
    // that comes before the description).
    std::vector<std::string> held;
    auto trickle = [&](std::string line) {
        if (!options.trickle) return;
        if (description_sent)
            signalling.send(line);
        else
            held.push_back(std::move(line));
    };
    cb.on_local_candidate = [&](const std::string& c, const std::string& mid) {
        result.local_candidates.push_back(c);
        trickle(json_line({{"type", "candidate"}, {"candidate", c}, {"sdpMid", mid}}, 0));
    };
    cb.on_gathering_done = [&] {
        gathered = true;
        trickle(json_line({{"type", "candidate"}, {"candidate", ""}, {"sdpMid", "0"}}, 0));
    };
    cb.on_state = [&](rtc::PeerConnectionState s, const std::string& reason) {
        result.states.push_back(std::string(to_string(s)) + (reason.empty() ? "" : " (" + reason + ")"));
        if (s == rtc::PeerConnectionState::connected && !result.connected) {
            result.connected = true;
            result.to_connected = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
            start_media();
        }
        if (s == rtc::PeerConnectionState::failed) result.failed = true;
    };
    cb.on_video_frame = [&](const Frame& f) { video_decoder.decode(f); };
    cb.on_audio_frame = [&](const Frame& f) { audio_decoder.decode(f); };
    cb.on_keyframe_request = [&] { keyframe_requested = true; };
    auto created = rtc::PeerConnection::create(loop, io.get_executor(), cert.value(), config, std::move(cb));
    if (!created.ok()) {
        result.states.push_back("create: " + created.error().message);
        return result;
    }
    pc = std::move(created.value());

    // Our description: at once with trickle, else once every candidate is in it.
    auto send_description = [&](const char* type) {
        if (!options.trickle) {
            run_until([&] { return gathered || result.failed; }, 10s);
        }
        // With trickle, the description carries no candidate: each goes out on its own.
        std::string sdp = pc->local_description();
        if (options.trickle) sdp = without_candidates(sdp);
        description_sent = true;
        if (options.we_offer) t0 = Clock::now();
        signalling.send(json_line({{"type", type}, {"sdp", sdp}}));
        for (const auto& line : held) signalling.send(line);
        held.clear();
    };
    bool answered = false;
    // A re-offer's answer goes out once it lists our candidates (after an ICE restart they
    // are announced again), or at once without them when trickling.
    boost::asio::steady_timer reanswer_timer(io);
    std::function<void(const char*, Clock::time_point)> send_redescription = [&](const char* type,
                                                                                 Clock::time_point deadline) {
        std::string sdp = pc->local_description();
        if (options.trickle) {
            sdp = without_candidates(sdp);
        } else if (sdp.find("a=end-of-candidates") == std::string::npos && Clock::now() < deadline) {
            reanswer_timer.expires_after(10ms);
            reanswer_timer.async_wait([&, type, deadline](const boost::system::error_code& ec) {
                if (!ec) send_redescription(type, deadline);
            });
            return;
        }
        signalling.send(json_line({{"type", type}, {"sdp", sdp}}));
    };
    bool our_offer_pending = false;
    std::vector<std::unique_ptr<boost::asio::steady_timer>> command_timers;
    signalling.read([&](const rapidjson::Document& d) {
        const std::string type = d["type"].GetString();
        if (type == "offer" && remote_description_set) {
            auto r = pc->set_remote_description(str(d, "sdp"), rtc::SdpType::offer);
            if (!r) return result.renegotiation_errors.push_back("re-offer refused: " + r.error().message);
            auto a = pc->create_answer();
            if (!a) return result.renegotiation_errors.push_back("create_answer: " + a.error().message);
            send_redescription("answer", Clock::now() + 5s);
        } else if (type == "event" && str(d, "event") == "renegotiated") {
            InteropResult::Renegotiation n;
            n.command = str(d, "command");
            n.ice_restart = d.HasMember("ice_restart") && d["ice_restart"].IsBool() && d["ice_restart"].GetBool();
            n.peer_frames = d.HasMember("frames") && d["frames"].IsInt() ? d["frames"].GetInt() : -1;
            if (d.HasMember("frames_decoded_by_libwebrtc") && d["frames_decoded_by_libwebrtc"].IsInt())
                n.peer_frames_by_libwebrtc = d["frames_decoded_by_libwebrtc"].GetInt();
            n.our_frames = video_decoder.decoded;
            n.our_video_sent = result.video_sent;
            n.peer_ufrag = str(d, "ufrag");
            n.our_ufrag = str(d, "remote_ufrag");
            if (d.HasMember("directions") && d["directions"].IsArray())
                for (const auto& v : d["directions"].GetArray())
                    n.peer_directions += (v.IsString() ? v.GetString() : "null") + std::string(" ");
            result.renegotiations.push_back(std::move(n));
        } else if (type == "answer" && our_offer_pending) {
            our_offer_pending = false;
            auto r = pc->set_remote_description(str(d, "sdp"), rtc::SdpType::answer);
            if (!r)
                return result.renegotiation_errors.push_back("answer to our re-offer refused: " + r.error().message);
            ++result.our_offers_answered;
        } else if (type == "offer" && !options.we_offer) {
            t0 = Clock::now();
            auto r = pc->set_remote_description(str(d, "sdp"), rtc::SdpType::offer);
            if (!r) return result.states.push_back("remote offer refused: " + r.error().message);
            remote_description_set = true;
            auto a = pc->create_answer();
            if (!a) return result.states.push_back("create_answer: " + a.error().message);
            answered = true;
        } else if (type == "answer" && options.we_offer) {
            auto r = pc->set_remote_description(str(d, "sdp"), rtc::SdpType::answer);
            if (!r) return result.states.push_back("remote answer refused: " + r.error().message);
            remote_description_set = true;
        } else if (type == "candidate") {
            const std::string c = str(d, "candidate");
            if (c.empty()) {
                result.remote_end_of_candidates = true;
                pc->remote_end_of_candidates();
                return;
            }
            auto r = pc->add_remote_candidate(c);
            if (!r) return result.states.push_back("remote candidate refused: " + r.error().message);
            ++result.remote_candidates;
            if (remote_description_set) ++result.remote_candidates_after_description;
        } else if (type == "event" && str(d, "event") == "first_frame" && result.to_peer_first_frame.count() < 0) {
            result.to_peer_first_frame = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0);
            for (const auto& command : options.peer_commands) {
                auto& timer = command_timers.emplace_back(std::make_unique<boost::asio::steady_timer>(io));
                timer->expires_after(command.after);
                timer->async_wait([&signalling, line = command.line](const boost::system::error_code& ec) {
                    if (!ec) signalling.send(line + "\n");
                });
            }
            for (const auto& offer : options.our_offers) {
                auto& timer = command_timers.emplace_back(std::make_unique<boost::asio::steady_timer>(io));
                timer->expires_after(offer.after);
                timer->async_wait([&, o = offer.options](const boost::system::error_code& ec) {
                    if (ec || !pc) return;
                    auto r = pc->create_offer(o);
                    if (!r) return result.renegotiation_errors.push_back("re-offer: " + r.error().message);
                    our_offer_pending = true;
                    send_redescription("offer", Clock::now() + 5s);
                });
            }
        } else if (type == "report") {
            result.report.CopyFrom(d, result.report.GetAllocator());
            result.got_report = true;
        }
    });

    if (options.we_offer) {
        auto offer = pc->create_offer();
        if (!offer) {
            result.states.push_back("create_offer: " + offer.error().message);
        } else {
            send_description("offer");
        }
    } else if (run_until([&] { return answered || result.failed; }, 20s) && answered) {
        send_description("answer");
    }
    run_until([&] { return result.got_report || result.failed; }, options.timeout);
    video_ticker.stop();
    audio_ticker.stop();
    result.process = child.wait(10s);
    result.stats = pc->stats();
    pc.reset();
    result.video_decoded = video_decoder.decoded;
    result.resolution = video_decoder.resolution;
    result.audio_decoded = audio_decoder.decoded;
    result.audio_dbfs = audio_decoder.dbfs();
    for (int l : video_decoder.latencies_ms) latencies.push_back(l);
    result.latency = MsSummary::of(std::move(latencies));
    return result;
}

PeerPairTimes run_peer_pair(const std::vector<std::string>& offerer_argv, const std::vector<std::string>& answerer_argv,
                            int seconds, std::chrono::seconds timeout) {
    PeerPairTimes times;
    boost::asio::io_context io;
    auto work = boost::asio::make_work_guard(io);
    Signalling offerer(io), answerer(io);
    auto start = [&](std::vector<std::string> argv, const char* role, Signalling& s) {
        for (const auto& a : {std::string("--role"), std::string(role), std::string("--connect"), s.address(),
                              std::string("--duration"), std::to_string(seconds), std::string("--timeout"),
                              std::to_string(timeout.count() - 5), std::string("--min-frames"), std::string("1")})
            argv.push_back(a);
        return std::make_unique<ChildProcess>(argv);
    };
    auto offerer_process = start(offerer_argv, "offer", offerer);
    auto answerer_process = start(answerer_argv, "answer", answerer);
    int accepted = 0;
    offerer.accept([&] { ++accepted; });
    answerer.accept([&] { ++accepted; });
    Clock::time_point t0{};
    int reports = 0;
    const auto since = [&] { return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0); };
    auto relay = [&](Signalling& to, bool from_offerer) {
        return [&, from_offerer](const rapidjson::Document& d) {
            const std::string type = d["type"].GetString();
            if (type == "offer" || type == "answer" || type == "candidate" || type == "bye") {
                if (type == "offer") t0 = Clock::now();
                rapidjson::StringBuffer sb;
                rapidjson::Writer<rapidjson::StringBuffer> w(sb);
                d.Accept(w);
                to.send(std::string(sb.GetString()) + "\n");
            } else if (type == "event") {
                const std::string e = str(d, "event");
                if (from_offerer && e == "connection_state" && str(d, "state") == "connected" &&
                    times.to_connected.count() < 0)
                    times.to_connected = since();
                if (!from_offerer && e == "first_frame" && times.to_answerer_first_frame.count() < 0)
                    times.to_answerer_first_frame = since();
            } else if (type == "report") {
                ++reports;
            }
        };
    };
    const auto deadline = Clock::now() + timeout;
    bool reading = false;
    while (reports < 2 && Clock::now() < deadline) {
        io.run_for(5ms);
        if (accepted == 2 && !reading) {
            reading = true;
            offerer.read(relay(answerer, true));
            answerer.read(relay(offerer, false));
        }
    }
    const auto a = offerer_process->wait(10s);
    const auto b = answerer_process->wait(10s);
    if (times.to_connected.count() < 0 || times.to_answerer_first_frame.count() < 0)
        times.failure = "offerer exit " + std::to_string(a.exit_code) + ": " + a.err + "\nanswerer exit " +
                        std::to_string(b.exit_code) + ": " + b.err;
    return times;
}

}  // namespace switchboard::test
