#include "rtsp/source/camera_probe.hpp"

#include <boost/asio/io_context.hpp>

namespace switchboard::rtsp {

SessionOptions session_options(const SourceSettings& settings) {
    SessionOptions o;
    o.connection.url = settings.url;
    o.connection.tls = settings.tls;
    o.connection.timeout = settings.timeout;
    o.transport = settings.transport;
    return o;
}

Result<CameraDescription> probe_camera(const SourceSettings& settings) {
    boost::asio::io_context io;
    std::optional<Result<CameraDescription>> outcome;
    SessionEvents events;
    std::shared_ptr<RtspSession> session;
    events.on_described = [&](const CameraDescription& d) {
        outcome = d;
        session->stop();
    };
    events.on_ended = [&](const Error& e) {
        if (!outcome) outcome = Result<CameraDescription>(e);
    };
    session = RtspSession::create(io.get_executor(), session_options(settings), std::move(events));
    session->start();
    // Each step is bounded by the connection's timeout; the whole probe by a few of them.
    io.run_for(settings.timeout * 3);
    session->stop();
    if (!outcome)
        return Error::unavailable(settings.url.to_string() + ": no description within " +
                                  std::to_string((settings.timeout * 3).count()) + " ms");
    return std::move(*outcome);
}

}  // namespace switchboard::rtsp
