// Fuzzes what a peer's SDP can do to a call: the input is a remote offer (and, in a second
// connection, a remote answer to our offer) given to a PeerConnection, which must refuse
// it with a reason or answer it, and close cleanly either way. Gathering is on 127.0.0.1.
#include <boost/asio/io_context.hpp>

#include <string_view>

#include "rtc/dtls/certificate.hpp"
#include "rtc/ice/glib_loop.hpp"
#include "rtc/peer_connection.hpp"

using namespace switchboard::rtc;

namespace {

struct Fixture {
    GlibLoop loop;
    std::shared_ptr<const Certificate> certificate = Certificate::generate().value();
    boost::asio::io_context io;
};

std::unique_ptr<PeerConnection> make(Fixture& f) {
    PeerConnectionConfig config;
    config.gather_addresses = {"127.0.0.1"};
    auto pc = PeerConnection::create(f.loop, f.io.get_executor(), f.certificate, config, {});
    return pc ? std::move(pc.value()) : nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Fixture f;
    const std::string_view sdp(reinterpret_cast<const char*>(data), size);
    if (auto answerer = make(f)) {
        if (answerer->set_remote_description(sdp, SdpType::offer)) (void)answerer->create_answer();
        answerer->close();
    }
    if (auto offerer = make(f)) {
        if (offerer->create_offer()) (void)offerer->set_remote_description(sdp, SdpType::answer);
        offerer->close();
    }
    f.io.restart();
    f.io.poll();  // what the connections posted before they closed
    return 0;
}
