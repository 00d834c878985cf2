#include "support/peer_pair.hpp"

#include <utility>

#include "rtc/dtls/certificate.hpp"
#include "support/udp_relay.hpp"

namespace switchboard::test {

using namespace std::chrono_literals;

namespace {

/// `record`, then the test's own callback if it set one.
template <class Record, class... Args>
std::function<void(Args...)> after(Record record, std::function<void(Args...)> then) {
    return [record = std::move(record), then = std::move(then)](Args... args) {
        record(args...);
        if (then) then(args...);
    };
}

}  // namespace

PeerPair::PeerPair(UdpRelay* relay, std::chrono::milliseconds slice) : m_relay(relay), m_slice(slice) {}

PeerPair::~PeerPair() {
    close();
}

Result<void> PeerPair::make(Side& side, const Tweak& tweak) {
    rtc::PeerConnectionConfig config;
    config.gather_addresses = {"127.0.0.1"};
    rtc::PeerConnection::Callbacks cb;
    if (tweak) tweak(config, cb);
    cb.on_gathering_done = after([&side] { side.gathered = true; }, std::move(cb.on_gathering_done));
    cb.on_state = after(
        [&side](rtc::PeerConnectionState s, const std::string& why) {
            side.state = s;
            if (!why.empty()) side.reason = why;
        },
        std::move(cb.on_state));
    cb.on_video_frame = after([&side](const Frame&) { ++side.frames; }, std::move(cb.on_video_frame));
    cb.on_keyframe_request = after([&side] { side.keyframe_requests.push_back(std::chrono::steady_clock::now()); },
                                   std::move(cb.on_keyframe_request));
    auto pc = rtc::PeerConnection::create(loop, io.get_executor(), rtc::Certificate::generate().value(), config, cb);
    if (!pc.ok()) return pc.error();
    side.pc = std::move(pc.value());
    return {};
}

Result<void> PeerPair::connect(const std::function<void(std::string&)>& edit_answer) {
    // The relay learns each side's real port from its candidates and stands in for it.
    const auto through_relay = [this](std::string sdp, bool from_a) {
        return m_relay ? m_relay->rewrite_candidates(sdp, from_a) : sdp;
    };
    if (auto offer = a.pc->create_offer(); !offer.ok()) return offer.error();
    if (!run_until([&] { return a.gathered; }, 10s)) return Error::runtime("a did not finish gathering in 10 s");
    if (auto r = b.pc->set_remote_description(through_relay(a.pc->local_description(), true), rtc::SdpType::offer);
        !r.ok())
        return r;
    if (auto answer = b.pc->create_answer(); !answer.ok()) return answer.error();
    if (!run_until([&] { return b.gathered; }, 10s)) return Error::runtime("b did not finish gathering in 10 s");
    std::string answer = b.pc->local_description();
    if (edit_answer) edit_answer(answer);
    return a.pc->set_remote_description(through_relay(answer, false), rtc::SdpType::answer);
}

bool PeerPair::run_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!done() && std::chrono::steady_clock::now() < deadline) {
        io.restart();
        io.run_for(m_slice);
    }
    return done();
}

bool PeerPair::connected() const {
    return a.state == rtc::PeerConnectionState::connected && b.state == rtc::PeerConnectionState::connected;
}

std::string PeerPair::describe() const {
    return "a: " + std::string(to_string(a.state)) + " " + a.reason + "; b: " + std::string(to_string(b.state)) + " " +
           b.reason;
}

void PeerPair::close() {
    if (a.pc) a.pc->close();
    if (b.pc) b.pc->close();
    run_until([] { return false; }, 50ms);
}

}  // namespace switchboard::test
