/// \file listen_address.hpp
/// \brief The "host:port" a server listens on, as configs write it (whep.server's
/// `listen`, the control API's `/control/listen`). Never throws.
#pragma once

#include <optional>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>

namespace switchboard::http {

/// Parses "host:port" ("127.0.0.1:8889", "[::1]:0", "localhost:8889"); nullopt when it
/// is not an IP literal (or localhost) with a port 0..65535. No name lookup: a listener
/// must not depend on DNS.
std::optional<boost::asio::ip::tcp::endpoint> parse_listen(std::string_view text) noexcept;

}  // namespace switchboard::http
