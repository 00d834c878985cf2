/// \file srtp_key_log.hpp
/// \brief A benchmark-only SRTP key log, like SSLKEYLOGFILE: one line per connection with
/// the DTLS-SRTP profile and both master keys, so a test relay can decrypt a copy of what
/// left the gateway (to find a keyframe) without being part of the session.
///
/// Line format (text, space separated):
///   SRTP <connection> <profile> tx=<hex key||salt> rx=<hex key||salt>
/// `tx` protects what the writer sends, `rx` what it receives. Anyone holding the file can
/// decrypt the call: PeerConnection writes it only when configured, and says so in a
/// warning. Plain functions; any thread (appends are single write() calls).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <switchboard/errors.hpp>

#include "rtc/srtp/srtp_keys.hpp"

namespace switchboard::rtc {

struct SrtpKeyLogEntry {
    std::string connection;  ///< an id the writer picks (our ICE ufrag)
    SrtpKeys keys;           ///< local = tx, remote = rx
};

/// The line for `entry`, newline included.
std::string format_srtp_key_log_line(const SrtpKeyLogEntry& entry);
/// nullopt for anything that is not a well-formed line.
std::optional<SrtpKeyLogEntry> parse_srtp_key_log_line(std::string_view line);

/// Appends the line to `path` (created 0600 if missing); Error::runtime naming the path on failure.
Result<void> append_srtp_key_log(const std::string& path, const SrtpKeyLogEntry& entry);
/// The last well-formed entry of the file, if any.
std::optional<SrtpKeyLogEntry> read_last_srtp_key_log_entry(const std::string& path);

}  // namespace switchboard::rtc
