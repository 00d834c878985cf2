// Finding the TV; see tv_resolver.hpp.
#include "chromecast/sink/tv_resolver.hpp"

#include <boost/asio/post.hpp>

namespace switchboard::chromecast {

TvResolver make_tv_resolver(boost::asio::any_io_executor io, Logger& log, const SinkSettings& settings) {
    (void)log;
    if (!settings.host.empty()) {
        return [io, where = std::make_pair(settings.host, settings.port)](auto done) {
            boost::asio::post(io, [done = std::move(done), where] { done(where); });
        };
    }
    return [io, name = settings.name](auto done) {
        boost::asio::post(io, [done = std::move(done), name] {
            done(Error::unavailable("mDNS lookup of \"" + name + "\" is not built in yet"));
        });
    };
}

}  // namespace switchboard::chromecast
