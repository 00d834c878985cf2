/// \file tv_resolver.hpp
/// \brief Where the configured TV is now: its address as given, or its name looked up
/// through mDNS (_googlecast._tcp) before each connect, since a TV's DHCP address moves.
#pragma once

#include <boost/asio/any_io_executor.hpp>

#include <switchboard/log.hpp>

#include "chromecast/sink/sink_settings.hpp"
#include "chromecast/sink/tv_remote.hpp"

namespace switchboard::chromecast {

/// A resolver for TvRemote; `log` must outlive it. Runs on `io`.
TvResolver make_tv_resolver(boost::asio::any_io_executor io, Logger& log, const SinkSettings& settings);

}  // namespace switchboard::chromecast
