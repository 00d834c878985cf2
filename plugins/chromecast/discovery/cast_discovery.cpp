#include "chromecast/discovery/cast_discovery.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/ip/multicast.hpp>
#include <boost/asio/post.hpp>

namespace switchboard::chromecast {

namespace asio = boost::asio;
using asio::ip::udp;

namespace {

/// The IPv4 mDNS group (RFC 6762 §3).
const asio::ip::address_v4 mdns_group = asio::ip::make_address_v4("224.0.0.251");
/// The largest mDNS message (RFC 6762 §17).
constexpr std::size_t max_packet = 9000;
/// Responses must leave with TTL 255 (RFC 6762 §11); queries use it too.
constexpr int multicast_ttl = 255;

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

/// "3 s", or "1500 ms" when not whole seconds.
std::string duration(std::chrono::milliseconds d) {
    if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
    return std::to_string(d.count()) + " ms";
}

/// Whether `name` is an instance of the Cast service: "<instance>._googlecast._tcp.local".
bool is_cast_instance(std::string_view name) {
    const auto suffix = googlecast_service.size() + 1;
    return name.size() > suffix && name[name.size() - suffix] == '.' &&
           dns_iequals(name.substr(name.size() - googlecast_service.size()), googlecast_service);
}

/// The instance label, unescaped: "Living Room TV" of "Living Room TV._googlecast._tcp.local".
std::string instance_label(std::string_view name) {
    std::string out;
    for (std::size_t i = 0; i < name.size(); ++i) {
        if (name[i] == '\\' && i + 1 < name.size()) {
            out += name[++i];
        } else if (name[i] == '.') {
            break;
        } else {
            out += name[i];
        }
    }
    return out;
}

}  // namespace

std::shared_ptr<CastDiscovery> CastDiscovery::create(asio::any_io_executor executor, Logger& log,
                                                     DiscoveryOptions options) {
    return std::shared_ptr<CastDiscovery>(new CastDiscovery(std::move(executor), log, std::move(options)));
}

CastDiscovery::CastDiscovery(asio::any_io_executor executor, Logger& log, DiscoveryOptions options)
    : m_log(log), m_options(std::move(options)), m_socket(executor), m_resend(executor), m_deadline(executor) {}

CastDiscovery::~CastDiscovery() {
    close();
}

void CastDiscovery::close() noexcept {
    m_closed = true;
    m_find = nullptr;
    m_browse = nullptr;
    m_resend.cancel();
    m_deadline.cancel();
    boost::system::error_code ignored;
    m_socket.close(ignored);
}

void CastDiscovery::find(std::function<void(Result<CastDevice>)> done) {
    m_find = std::move(done);
    if (auto started = start(); !started) {
        asio::post(m_socket.get_executor(), [self = weak_from_this(), error = started.error()] {
            auto me = self.lock();
            if (!me || !me->m_find) return;
            auto done = std::move(me->m_find);
            me->close();
            done(error);
        });
    }
}

void CastDiscovery::browse(std::function<void(Result<std::vector<CastDevice>>)> done) {
    m_browse = std::move(done);
    if (auto started = start(); !started) {
        asio::post(m_socket.get_executor(), [self = weak_from_this(), error = started.error()] {
            auto me = self.lock();
            if (!me || !me->m_browse) return;
            auto done = std::move(me->m_browse);
            me->close();
            done(error);
        });
    }
}

Result<void> CastDiscovery::start() {
    m_started = std::chrono::steady_clock::now();
    boost::system::error_code ec;
    auto failed = [&](const char* what) {
        return Error::unavailable(std::string("mDNS: cannot ") + what + ": " + ec.message());
    };
    if (m_socket.open(udp::v4(), ec); ec) return failed("open a UDP socket");
    if (m_socket.set_option(asio::ip::multicast::hops(multicast_ttl), ec); ec) return failed("set the multicast TTL");
    if (m_socket.set_option(asio::ip::multicast::enable_loopback(true), ec); ec)
        return failed("enable multicast loopback");
    if (!m_options.interface.is_unspecified()) {
        if (m_socket.set_option(asio::ip::multicast::outbound_interface(m_options.interface), ec); ec)
            return failed(("send multicast on " + m_options.interface.to_string()).c_str());
    }
    if (m_socket.bind(udp::endpoint(m_options.interface, 0), ec); ec) return failed("bind an ephemeral UDP port");
    SWITCHBOARD_LOG(m_log, debug,
                    "mDNS: asking for " << googlecast_service << " from port " << m_socket.local_endpoint(ec).port()
                                        << " for " << duration(m_options.timeout));
    if (auto sent = send_query(std::string(googlecast_service), DnsType::ptr); !sent) return sent.error();
    ++m_stats.queries_sent;
    receive();
    resend_later();
    m_deadline.expires_after(m_options.timeout);
    m_deadline.async_wait([self = weak_from_this()](const boost::system::error_code& e) {
        auto me = self.lock();
        if (e || !me || me->m_closed) return;
        me->on_timeout();
    });
    return {};
}

Result<void> CastDiscovery::send_query(const std::string& name, DnsType type) {
    auto query = build_dns_query(name, type);
    if (!query) return query.error();
    boost::system::error_code ec;
    m_socket.send_to(asio::buffer(query.value()), udp::endpoint(mdns_group, m_options.port), 0, ec);
    if (ec)
        return Error::unavailable("mDNS: cannot send the query for " + name + " to " + mdns_group.to_string() + ":" +
                                  std::to_string(m_options.port) + ": " + ec.message());
    return {};
}

void CastDiscovery::resend_later() {
    m_resend.expires_after(m_options.resend_interval);
    m_resend.async_wait([self = weak_from_this()](const boost::system::error_code& e) {
        auto me = self.lock();
        if (e || !me || me->m_closed) return;
        me->query_all();
        me->resend_later();
    });
}

void CastDiscovery::query_all() {
    m_asked.clear();
    ++m_stats.queries_sent;
    if (auto sent = send_query(std::string(googlecast_service), DnsType::ptr); !sent) {
        SWITCHBOARD_LOG(m_log, warn, sent.error().message);
        return;
    }
    follow_up();
}

void CastDiscovery::follow_up() {
    auto ask = [this](const std::string& name, DnsType type) {
        if (!m_asked.insert(lower(name) + "/" + std::to_string(static_cast<int>(type))).second) return;
        ++m_stats.follow_ups_sent;
        if (auto sent = send_query(name, type); !sent) SWITCHBOARD_LOG(m_log, debug, sent.error().message);
    };
    for (const auto& [key, instance] : m_instances) {
        if (!instance.srv) ask(instance.name, DnsType::srv);
        if (!instance.txt) ask(instance.name, DnsType::txt);
        if (instance.srv && !m_hosts.contains(lower(instance.srv->target))) ask(instance.srv->target, DnsType::a);
    }
}

void CastDiscovery::receive() {
    auto buffer = std::make_shared<std::vector<std::uint8_t>>(max_packet);
    auto from = std::make_shared<udp::endpoint>();
    m_socket.async_receive_from(
        asio::buffer(*buffer), *from,
        [self = weak_from_this(), buffer, from](const boost::system::error_code& e, std::size_t n) {
            auto me = self.lock();
            if (!me || me->m_closed || e == asio::error::operation_aborted) return;
            if (e) {
                SWITCHBOARD_LOG(me->m_log, debug, "mDNS: receive failed: " << e.message());
            } else {
                me->on_packet(std::span(buffer->data(), n), *from);
                if (me->m_closed) return;  // found, and the handler closed it
            }
            me->receive();
        });
}

void CastDiscovery::on_packet(std::span<const std::uint8_t> bytes, const udp::endpoint& from) {
    if (from.port() != m_options.port) {
        ++m_stats.dropped;
        SWITCHBOARD_LOG(m_log, debug, "mDNS: ignored a packet from " << from << ", not from the mDNS port");
        return;
    }
    auto message = parse_dns_message(bytes);
    if (!message || !message->is_response()) {
        ++m_stats.dropped;
        SWITCHBOARD_LOG(
            m_log, debug,
            "mDNS: dropped a packet from " << from << ": " << (message ? "not a response" : message.error().message));
        return;
    }
    ++m_stats.responses;
    for (const auto& r : message->answers) on_record(r);
    for (const auto& r : message->additionals) on_record(r);
    follow_up();
    check_found();
}

void CastDiscovery::on_record(const DnsRecord& r) {
    if (r.type == static_cast<std::uint16_t>(DnsType::a)) {
        if (const auto* a = std::get_if<std::array<std::uint8_t, 4>>(&r.data)) m_hosts[lower(r.name)] = ipv4_string(*a);
        return;
    }
    if (r.type == static_cast<std::uint16_t>(DnsType::ptr)) {
        const auto* target = std::get_if<std::string>(&r.data);
        if (!target || r.ttl == 0 || !dns_iequals(r.name, googlecast_service) || !is_cast_instance(*target)) return;
        auto& instance = m_instances[lower(*target)];
        if (instance.name.empty()) {
            instance.name = *target;
            SWITCHBOARD_LOG(m_log, debug, "mDNS: heard of " << *target);
        }
        return;
    }
    if (!is_cast_instance(r.name)) return;
    auto& instance = m_instances[lower(r.name)];
    if (instance.name.empty()) instance.name = r.name;
    if (const auto* srv = std::get_if<SrvData>(&r.data)) instance.srv = *srv;
    if (const auto* txt = std::get_if<TxtData>(&r.data)) instance.txt = *txt;
}

CastDevice CastDiscovery::device(const Instance& instance) const {
    CastDevice d;
    d.instance = instance.name;
    if (instance.txt) {
        d.friendly_name = txt_value(*instance.txt, "fn").value_or("");
        d.id = txt_value(*instance.txt, "id").value_or("");
        d.model = txt_value(*instance.txt, "md").value_or("");
    }
    if (instance.srv) {
        d.port = instance.srv->port;
        if (auto host = m_hosts.find(lower(instance.srv->target)); host != m_hosts.end()) d.host = host->second;
    }
    return d;
}

std::optional<CastDevice> CastDiscovery::resolved(const Instance& instance) const {
    auto d = device(instance);
    if (d.host.empty() || !instance.txt) return std::nullopt;
    return d;
}

bool CastDiscovery::matches(const CastDevice& d) const {
    return !m_options.name.empty() &&
           (dns_iequals(d.friendly_name, m_options.name) || dns_iequals(instance_label(d.instance), m_options.name) ||
            dns_iequals(d.instance, m_options.name));
}

void CastDiscovery::check_found() {
    if (!m_find) return;
    for (const auto& [key, instance] : m_instances) {
        auto d = resolved(instance);
        if (!d || !matches(*d)) continue;
        const auto took =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - m_started);
        SWITCHBOARD_LOG(m_log, info,
                        "mDNS: found \"" << d->friendly_name << "\" (" << d->model << ", id " << d->id << ") at "
                                         << d->host << ":" << d->port << " in " << took.count() << " ms");
        auto done = std::move(m_find);
        close();
        done(std::move(*d));
        return;
    }
}

void CastDiscovery::on_timeout() {
    if (m_browse) {
        std::vector<CastDevice> devices;
        for (const auto& [key, instance] : m_instances)
            if (auto d = resolved(instance)) devices.push_back(std::move(*d));
        SWITCHBOARD_LOG(m_log, info,
                        "mDNS: " << devices.size() << " Chromecast(s) resolved in " << duration(m_options.timeout)
                                 << "; seen: " << seen_names());
        auto done = std::move(m_browse);
        close();
        done(std::move(devices));
        return;
    }
    if (!m_find) return;
    auto done = std::move(m_find);
    auto error = Error::unavailable("no Chromecast named \"" + m_options.name + "\" answered on mDNS within " +
                                    duration(m_options.timeout) + "; seen: " + seen_names());
    close();
    done(std::move(error));
}

std::string CastDiscovery::seen_names() const {
    std::string out;
    for (const auto& d : seen()) {
        if (!out.empty()) out += ", ";
        out += d.friendly_name.empty() ? instance_label(d.instance) : d.friendly_name;
        if (d.host.empty()) out += " (unresolved)";
    }
    return out.empty() ? "none" : out;
}

std::vector<CastDevice> CastDiscovery::seen() const {
    std::vector<CastDevice> out;
    for (const auto& [key, instance] : m_instances) out.push_back(device(instance));
    return out;
}

std::shared_ptr<CastDiscovery> discover(asio::any_io_executor executor, Logger& log, DiscoveryOptions options,
                                        std::function<void(Result<CastDevice>)> done) {
    auto discovery = CastDiscovery::create(std::move(executor), log, std::move(options));
    discovery->find(std::move(done));
    return discovery;
}

std::shared_ptr<CastDiscovery> browse(asio::any_io_executor executor, Logger& log, DiscoveryOptions options,
                                      std::function<void(Result<std::vector<CastDevice>>)> done) {
    auto discovery = CastDiscovery::create(std::move(executor), log, std::move(options));
    discovery->browse(std::move(done));
    return discovery;
}

}  // namespace switchboard::chromecast
