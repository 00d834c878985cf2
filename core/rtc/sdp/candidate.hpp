/// \file candidate.hpp
/// \brief An ICE candidate line (RFC 8839 §5.1), as in a=candidate or a trickled one.
///
/// Kept as a parsed struct so the ICE layer need not re-read text; extensions the
/// struct does not name (generation, ufrag, network-id, network-cost, ...) are kept in
/// order and written back.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace switchboard::rtc::sdp {

/// RFC 8445 §5.1.1: host, server reflexive, peer reflexive, relayed.
enum class CandidateType { host, srflx, prflx, relay };

struct Candidate {
    std::string foundation;
    std::uint16_t component = 1;  ///< 1 RTP, 2 RTCP
    std::string transport;        ///< "udp", "UDP", "tcp" as written
    std::uint32_t priority = 0;
    std::string address;  ///< IP address or an mDNS name (".local")
    std::uint16_t port = 0;
    CandidateType type = CandidateType::host;
    std::optional<std::string> related_address;  ///< raddr
    std::optional<std::uint16_t> related_port;   ///< rport
    std::optional<std::string> tcp_type;         ///< tcptype (RFC 6544): active, passive, so
    std::vector<std::pair<std::string, std::string>> extensions;

    /// The value after "a=candidate:"; a leading "candidate:" (as trickled over
    /// signalling) is accepted too. nullopt on bad syntax.
    static std::optional<Candidate> parse(std::string_view value);
    /// The value after "a=candidate:".
    std::string to_string() const;
    /// "candidate:..." as a trickled candidate is sent.
    std::string to_attribute() const { return "candidate:" + to_string(); }

    friend bool operator==(const Candidate&, const Candidate&) = default;
};

std::string_view to_string(CandidateType t);

}  // namespace switchboard::rtc::sdp
