// CastDiscovery against a real mDNS responder (tests/peers/mdns_responder.py, Debian's
// python3-zeroconf) inside a network namespace this process makes for itself, so no
// multicast ever leaves the machine: before any test, the global environment unshares
// the network namespace (needs root, as CI runs), brings its lo up with IFF_MULTICAST and
// routes 224.0.0.0/4 to it. CTest runs each case as its own process, so each case has its
// own namespace. Everything runs on one io_context in the test's thread; every wait is
// for a condition, with a deadline; the responder is ended by its PID.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <net/if.h>
#include <net/route.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "chromecast/discovery/cast_discovery.hpp"
#include "support/cast_receiver.hpp"
#include "support/gateway_process.hpp"
#include "support/process.hpp"
#include "support/run_until.hpp"
#include "support/test_node_context.hpp"

using namespace std::chrono_literals;
using namespace switchboard;
using namespace switchboard::chromecast;
using switchboard::test::ChildProcess;
using switchboard::test::RecordingLogger;
using Clock = std::chrono::steady_clock;

namespace {

const std::string responder_script = std::string(SWITCHBOARD_SOURCE_DIR) + "/tests/peers/mdns_responder.py";

/// Why the namespace could not be made; empty once it was.
std::string g_namespace_error = "the network namespace was not set up";
ino_t g_original_namespace = 0;

ino_t namespace_inode() {
    struct stat st {};
    return ::stat("/proc/self/ns/net", &st) == 0 ? st.st_ino : 0;
}

std::string errno_text(const std::string& what) {
    return what + ": " + std::strerror(errno);
}

/// A new network namespace whose only interface, lo, is up, multicast-capable and the
/// route for 224.0.0.0/4. Empty on success, else what failed.
std::string make_namespace() {
    g_original_namespace = namespace_inode();
    if (::unshare(CLONE_NEWNET) != 0)
        return errno_text("unshare(CLONE_NEWNET) failed (these tests need root, as CI has)");
    const int fd = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return errno_text("socket");
    struct ifreq ifr {};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    std::string error;
    if (::ioctl(fd, SIOCGIFFLAGS, &ifr) != 0) {
        error = errno_text("SIOCGIFFLAGS lo");
    } else {
        ifr.ifr_flags = static_cast<short>(ifr.ifr_flags | IFF_UP | IFF_MULTICAST);
        if (::ioctl(fd, SIOCSIFFLAGS, &ifr) != 0) error = errno_text("SIOCSIFFLAGS lo up multicast");
    }
    if (error.empty()) {  // ip route add 224.0.0.0/4 dev lo
        struct rtentry route {};
        auto set = [](sockaddr& sa, const char* address) {
            auto& in = reinterpret_cast<sockaddr_in&>(sa);
            in.sin_family = AF_INET;
            ::inet_pton(AF_INET, address, &in.sin_addr);
        };
        set(route.rt_dst, "224.0.0.0");
        set(route.rt_genmask, "240.0.0.0");
        set(route.rt_gateway, "0.0.0.0");
        route.rt_flags = RTF_UP;
        char device[] = "lo";
        route.rt_dev = device;
        if (::ioctl(fd, SIOCADDRT, &route) != 0) error = errno_text("SIOCADDRT 224.0.0.0/4 dev lo");
    }
    ::close(fd);
    return error;
}

class NetworkNamespace : public ::testing::Environment {
public:
    void SetUp() override {
        // Each test fails on it (a failure here would only skip them).
        g_namespace_error = make_namespace();
    }
};

const auto* const g_environment = ::testing::AddGlobalTestEnvironment(new NetworkNamespace);

/// The names of this namespace's interfaces.
std::vector<std::string> interfaces() {
    std::vector<std::string> out;
    if (auto* list = ::if_nameindex()) {
        for (auto* i = list; i->if_index != 0; ++i) out.emplace_back(i->if_name);
        ::if_freenameindex(list);
    }
    return out;
}

std::string device_json(const std::string& fn, const std::string& id, int port) {
    return R"({"fn": ")" + fn + R"(", "id": ")" + id + R"(", "md": "Chromecast", "port": )" + std::to_string(port) +
           "}";
}

/// mdns_responder.py announcing Living Room TV (port 8009) and Kitchen (port 8010) on
/// 127.0.0.1; ready() once it registered both (probing takes a second or two).
class Responder {
public:
    explicit Responder(bool additionals = true) : m_ready_file(ready_path()), m_process(argv(additionals)) {
        const auto deadline = Clock::now() + 20s;
        while (Clock::now() < deadline && !std::filesystem::exists(m_ready_file)) std::this_thread::sleep_for(20ms);
        m_ready = std::filesystem::exists(m_ready_file);
    }
    ~Responder() {
        m_process.signal(SIGTERM);
        const auto r = m_process.wait(10s);
        if (!m_ready || r.timed_out) std::fprintf(stderr, "[responder] %s%s\n", r.out.c_str(), r.err.c_str());
        std::filesystem::remove(m_ready_file);
    }
    bool ready() const noexcept { return m_ready; }

private:
    static std::string ready_path() {
        return ::testing::TempDir() + "mdns_responder_" + std::to_string(::getpid()) + ".ready";
    }
    std::vector<std::string> argv(bool additionals) const {
        std::vector<std::string> a{"/usr/bin/python3", responder_script,
                                   "--address",        "127.0.0.1",
                                   "--device",         device_json("Living Room TV", "1a2b3c", 8009),
                                   "--device",         device_json("Kitchen", "4d5e6f", 8010),
                                   "--ready-file",     m_ready_file,
                                   "--timeout",        "60"};
        if (!additionals) a.emplace_back("--no-additionals");
        return a;
    }
    std::string m_ready_file;
    ChildProcess m_process;
    bool m_ready = false;
};

class CastDiscoveryTest : public ::testing::Test {
protected:
    void SetUp() override {
        ASSERT_TRUE(g_namespace_error.empty()) << "no network namespace of our own, so no mDNS: " << g_namespace_error;
    }

    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
        return switchboard::test::run_until(m_io, done, timeout);
    }

    /// find(name) to the end: the result.
    Result<CastDevice> find(const std::string& name, std::chrono::milliseconds timeout = 3000ms) {
        DiscoveryOptions options;
        options.name = name;
        options.timeout = timeout;
        std::optional<Result<CastDevice>> result;
        int calls = 0;
        m_discovery = discover(m_io.get_executor(), m_log, options, [&](Result<CastDevice> r) {
            ++calls;
            result = std::move(r);
        });
        EXPECT_TRUE(run_until([&] { return result.has_value(); }, timeout + 5s)) << "the handler was never called";
        run_until([] { return false; }, 100ms);  // nothing more comes
        EXPECT_EQ(calls, 1);
        if (!result) return Error::runtime("no result");
        return std::move(*result);
    }

    boost::asio::io_context m_io;
    RecordingLogger m_log;
    std::shared_ptr<CastDiscovery> m_discovery;  ///< the last find()'s
};

}  // namespace

TEST_F(CastDiscoveryTest, RunsInItsOwnNetworkNamespaceWithOnlyLoopback) {
    EXPECT_NE(namespace_inode(), g_original_namespace);
    EXPECT_EQ(interfaces(), std::vector<std::string>{"lo"});
}

TEST_F(CastDiscoveryTest, FindsEachDeviceByItsFriendlyName) {
    Responder responder;
    ASSERT_TRUE(responder.ready());

    const auto started = Clock::now();
    auto living = find("Living Room TV");
    const auto took = Clock::now() - started;
    ASSERT_TRUE(living.ok()) << living.error().message;
    EXPECT_EQ(living->friendly_name, "Living Room TV");
    EXPECT_EQ(living->host, "127.0.0.1");
    EXPECT_EQ(living->port, 8009);
    EXPECT_EQ(living->id, "1a2b3c");
    EXPECT_EQ(living->model, "Chromecast");
    EXPECT_EQ(living->instance, "Chromecast-1a2b3c._googlecast._tcp.local");
    EXPECT_EQ(m_discovery->stats().follow_ups_sent, 0u);  // zeroconf sends SRV, TXT and A along
    std::printf("found Living Room TV in %lld ms\n",
                static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()));

    auto kitchen = find("Kitchen");
    ASSERT_TRUE(kitchen.ok()) << kitchen.error().message;
    EXPECT_EQ(kitchen->friendly_name, "Kitchen");
    EXPECT_EQ(kitchen->port, 8010);
    EXPECT_EQ(kitchen->id, "4d5e6f");
}

TEST_F(CastDiscoveryTest, MatchesNamesCaseInsensitivelyAndByInstanceName) {
    Responder responder;
    ASSERT_TRUE(responder.ready());
    auto lower = find("living room tv");
    ASSERT_TRUE(lower.ok()) << lower.error().message;
    EXPECT_EQ(lower->friendly_name, "Living Room TV");
    auto instance = find("CHROMECAST-4D5E6F");
    ASSERT_TRUE(instance.ok()) << instance.error().message;
    EXPECT_EQ(instance->friendly_name, "Kitchen");
}

TEST_F(CastDiscoveryTest, AnUnknownNameTimesOutNamingTheDevicesSeen) {
    Responder responder;
    ASSERT_TRUE(responder.ready());
    const auto started = Clock::now();
    auto missing = find("Bedroom");
    const auto took = Clock::now() - started;
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().kind, ErrorKind::unavailable);
    const auto& message = missing.error().message;
    EXPECT_NE(message.find("no Chromecast named \"Bedroom\" answered on mDNS within 3 s; seen: "), std::string::npos)
        << message;
    EXPECT_NE(message.find("Living Room TV"), std::string::npos) << message;
    EXPECT_NE(message.find("Kitchen"), std::string::npos) << message;
    EXPECT_GE(took, 3s);
    EXPECT_LT(took, 4s);
}

TEST_F(CastDiscoveryTest, NobodyAnsweringTimesOutWithNoneSeen) {
    auto missing = find("Living Room TV", 1500ms);
    ASSERT_FALSE(missing.ok());
    EXPECT_EQ(missing.error().message,
              "no Chromecast named \"Living Room TV\" answered on mDNS within 1500 ms; seen: none");
}

TEST_F(CastDiscoveryTest, AsksForSrvTxtAndAWhenTheResponderOmitsThem) {
    Responder responder(/*additionals=*/false);
    ASSERT_TRUE(responder.ready());
    auto living = find("Living Room TV");
    ASSERT_TRUE(living.ok()) << living.error().message;
    EXPECT_EQ(living->host, "127.0.0.1");
    EXPECT_EQ(living->port, 8009);
    EXPECT_EQ(living->id, "1a2b3c");
    EXPECT_GE(m_discovery->stats().follow_ups_sent, 3u);  // SRV, TXT, then A
}

TEST_F(CastDiscoveryTest, BrowseListsEveryDevice) {
    Responder responder;
    ASSERT_TRUE(responder.ready());
    DiscoveryOptions options;
    options.timeout = 1500ms;
    std::optional<Result<std::vector<CastDevice>>> result;
    auto discovery = browse(m_io.get_executor(), m_log, options, [&](auto r) { result = std::move(r); });
    ASSERT_TRUE(run_until([&] { return result.has_value(); }, 10s));
    ASSERT_TRUE(result->ok()) << result->error().message;
    std::vector<std::string> names;
    for (const auto& d : result->value())
        names.push_back(d.friendly_name + "@" + d.host + ":" + std::to_string(d.port));
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"Kitchen@127.0.0.1:8010", "Living Room TV@127.0.0.1:8009"}));
    EXPECT_EQ(discovery->seen().size(), 2u);
}

TEST_F(CastDiscoveryTest, AfterCloseOrDestructionTheHandlerIsNeverCalled) {
    Responder responder;
    ASSERT_TRUE(responder.ready());
    DiscoveryOptions options;
    options.name = "Living Room TV";
    options.timeout = 1000ms;
    int calls = 0;
    auto closed = discover(m_io.get_executor(), m_log, options, [&](Result<CastDevice>) { ++calls; });
    closed->close();
    auto dropped = discover(m_io.get_executor(), m_log, options, [&](Result<CastDevice>) { ++calls; });
    dropped.reset();
    run_until([] { return false; }, 2000ms);  // past the timeout, with answers arriving
    EXPECT_EQ(calls, 0);
}

TEST_F(CastDiscoveryTest, TheSinkFindsItsTvByNameAndConnectsToIt) {
    // The emulator listens where the responder says Living Room TV is: this namespace
    // has ports of its own, so 8009 is free.
    const auto dir = std::filesystem::path(::testing::TempDir()) / ("sink-mdns-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    switchboard::test::CastReceiverOptions tv;
    tv.port = 8009;
    tv.stats_file = dir / "tv-stats.json";
    switchboard::test::CastReceiver receiver(tv);
    ASSERT_TRUE(receiver.ready());
    Responder responder;
    ASSERT_TRUE(responder.ready());
    switchboard::test::GatewayProcess gateway(dir, R"({
  "nodes": [
    {"name": "camera", "type": "testsrc.camera", "config": {"width": 320, "height": 240, "fps": 15}},
    {"name": "tv", "type": "chromecast.sink", "config": {"name": "living room tv", "listen": "127.0.0.1:8899"}}
  ],
  "links": [{"from": "camera.video", "to": "tv.video"}, {"from": "camera.audio", "to": "tv.audio"}]
})");
    const auto stats = receiver.wait_for(
        [](const rapidjson::Document& s) { return switchboard::test::stat_number(s, {"connections"}) >= 1; }, 20s);
    EXPECT_GE(switchboard::test::stat_number(stats, {"connections"}), 1) << "the sink never connected to the TV";
    const auto log = gateway.stop().err;
    EXPECT_NE(log.find(R"(found "Living Room TV" (Chromecast) on mDNS at 127.0.0.1:8009)"), std::string::npos) << log;
    std::filesystem::remove_all(dir);
}
