// Finding the TV; see tv_resolver.hpp.
#include "chromecast/sink/tv_resolver.hpp"

#include <boost/asio/post.hpp>

#include "chromecast/discovery/cast_discovery.hpp"

namespace switchboard::chromecast {

TvResolver make_tv_resolver(boost::asio::any_io_executor io, Logger& log, const SinkSettings& settings) {
    if (!settings.host.empty()) {
        return [io, where = std::make_pair(settings.host, settings.port)](auto done) {
            boost::asio::post(io, [done = std::move(done), where] { done(where); });
        };
    }
    DiscoveryOptions options;
    options.name = settings.name;
    options.timeout = settings.discovery_timeout;
    // The lookup in flight: kept alive by the resolver, replaced by the next one.
    auto pending = std::make_shared<std::shared_ptr<CastDiscovery>>();
    return [io, &log, options, pending](auto done) {
        *pending = discover(io, log, options, [&log, done = std::move(done)](Result<CastDevice> device) {
            if (!device) return done(device.error());
            const auto& d = device.value();
            SWITCHBOARD_LOG(log, info,
                            "found \"" << d.friendly_name << "\" (" << (d.model.empty() ? "Cast device" : d.model)
                                       << ") on mDNS at " << d.host << ":" << d.port);
            done(std::make_pair(d.host, d.port));
        });
    };
}

}  // namespace switchboard::chromecast
