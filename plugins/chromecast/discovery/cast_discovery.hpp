/// \file cast_discovery.hpp
/// \brief Finds a Chromecast by name with multicast DNS service discovery: the PTR query
/// for _googlecast._tcp.local, then each instance's SRV (host, port), TXT (fn, id, md)
/// and its host's A record (RFC 6762, RFC 6763).
///
/// The query is a one-shot multicast DNS query (RFC 6762 §5.1): sent to 224.0.0.251 from
/// an ephemeral port, so responders answer by unicast to that port and no mDNS port has to
/// be shared with a system responder. It is sent again every resend_interval until the
/// timeout; records a responder did not volunteer as additional records (RFC 6763 §12)
/// are asked for with follow-up SRV/TXT/A queries. Responses not from the mDNS port are
/// ignored (RFC 6762 §6), malformed ones are logged once each at debug level and dropped.
///
/// Runs on the serial executor given (a strand or a one-thread io_context); handlers run
/// there. The caller owns the CastDiscovery: its pending operations hold it only weakly,
/// so destroying it ends the query like close() does. The handler is called exactly once,
/// unless close() or destruction comes first: then it is never called.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <switchboard/errors.hpp>
#include <switchboard/log.hpp>

#include "chromecast/discovery/dns_message.hpp"

namespace switchboard::chromecast {

/// One receiver as its mDNS records describe it.
struct CastDevice {
    std::string instance;       ///< the service instance name, "Chromecast-1a2b…._googlecast._tcp.local"
    std::string friendly_name;  ///< TXT "fn": the name a user gave it, "Living Room TV"
    std::string id;             ///< TXT "id"
    std::string model;          ///< TXT "md", "Chromecast Ultra"
    std::string host;           ///< IPv4 address of the SRV target, "192.0.2.7"
    std::uint16_t port = 0;     ///< SRV port, normally 8009
};

struct DiscoveryOptions {
    std::string name;  ///< friendly name (fn) or instance name, case-insensitive; empty finds none
    std::chrono::milliseconds timeout{3000};
    std::chrono::milliseconds resend_interval{1000};
    /// The interface to send the query on (its IPv4 address); any: the routing table's choice.
    boost::asio::ip::address_v4 interface = boost::asio::ip::address_v4::any();
    std::uint16_t port = 5353;  ///< the mDNS port (the group's, and responders' source port)
};

class CastDiscovery : public std::enable_shared_from_this<CastDiscovery> {
public:
    struct Stats {
        std::uint64_t queries_sent = 0;     ///< PTR queries for the service, first and resent
        std::uint64_t follow_ups_sent = 0;  ///< SRV, TXT and A queries for what was not volunteered
        std::uint64_t responses = 0;        ///< responses parsed
        std::uint64_t dropped = 0;          ///< malformed packets, queries, packets not from the mDNS port
    };

    /// `log` must outlive the discovery.
    static std::shared_ptr<CastDiscovery> create(boost::asio::any_io_executor executor, Logger& log,
                                                 DiscoveryOptions options);
    ~CastDiscovery();
    CastDiscovery(const CastDiscovery&) = delete;
    CastDiscovery& operator=(const CastDiscovery&) = delete;

    /// Looks for the device named options.name: the first one fully resolved, or
    /// Unavailable at the timeout naming the devices seen. Call find() or browse() once.
    void find(std::function<void(Result<CastDevice>)> done);
    /// Listens for the whole timeout: every device resolved by then (maybe none), or an
    /// Error when the query could not be sent at all.
    void browse(std::function<void(Result<std::vector<CastDevice>>)> done);

    /// Ends the query now; the handler is not called after this. Safe from a handler.
    void close() noexcept;

    /// Every instance heard of so far, resolved or not (unknown fields empty).
    std::vector<CastDevice> seen() const;
    const Stats& stats() const noexcept { return m_stats; }

private:
    /// What is known of one instance; resolved once SRV, TXT and the target's A record are.
    struct Instance {
        std::string name;
        std::optional<SrvData> srv;
        std::optional<TxtData> txt;
    };

    CastDiscovery(boost::asio::any_io_executor executor, Logger& log, DiscoveryOptions options);

    /// Opens the socket and sends the first query; an Error if that failed.
    Result<void> start();
    void receive();
    void on_packet(std::span<const std::uint8_t> bytes, const boost::asio::ip::udp::endpoint& from);
    void on_record(const DnsRecord& record);
    /// Sends the PTR query again and starts a new round of follow-ups.
    void query_all();
    /// Asks for each SRV, TXT and A record still missing, once per round.
    void follow_up();
    Result<void> send_query(const std::string& name, DnsType type);
    void resend_later();
    /// Calls the find handler if an instance that matches options.name is resolved.
    void check_found();
    void on_timeout();
    std::optional<CastDevice> resolved(const Instance& instance) const;
    CastDevice device(const Instance& instance) const;
    bool matches(const CastDevice& device) const;
    std::string seen_names() const;

    Logger& m_log;
    DiscoveryOptions m_options;
    boost::asio::ip::udp::socket m_socket;
    boost::asio::steady_timer m_resend;
    boost::asio::steady_timer m_deadline;
    std::function<void(Result<CastDevice>)> m_find;
    std::function<void(Result<std::vector<CastDevice>>)> m_browse;
    std::map<std::string, Instance> m_instances;  ///< by lower-cased instance name
    std::map<std::string, std::string> m_hosts;   ///< lower-cased host name -> IPv4 address
    std::set<std::string> m_asked;                ///< follow-ups sent this round, "name/type"
    std::chrono::steady_clock::time_point m_started;
    Stats m_stats;
    bool m_closed = false;
};

/// Starts a find(): keep the returned pointer (dropping it cancels the discovery).
std::shared_ptr<CastDiscovery> discover(boost::asio::any_io_executor executor, Logger& log, DiscoveryOptions options,
                                        std::function<void(Result<CastDevice>)> done);

/// Starts a browse() for every receiver on the link (options.name unused).
std::shared_ptr<CastDiscovery> browse(boost::asio::any_io_executor executor, Logger& log, DiscoveryOptions options,
                                      std::function<void(Result<std::vector<CastDevice>>)> done);

}  // namespace switchboard::chromecast
