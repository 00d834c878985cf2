// The mDNS response parser (any host on the link can send us a response): any bytes parse
// or are refused without crashing or reading outside them, and every name that parsed can
// be encoded again (labels of 1-63 bytes, at most 255 bytes in all).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <string>

#include "chromecast/discovery/dns_message.hpp"

namespace {
void check_name(const std::string& name) {
    if (name.empty()) return;  // the root
    if (!switchboard::chromecast::build_dns_query(name, switchboard::chromecast::DnsType::a)) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace switchboard::chromecast;
    auto message = parse_dns_message(std::span(data, size));
    if (!message) {
        if (message.error().message.empty()) std::abort();
        return 0;
    }
    for (const auto* section : {&message->answers, &message->authorities, &message->additionals}) {
        for (const auto& r : *section) {
            check_name(r.name);
            if (const auto* ptr = std::get_if<std::string>(&r.data)) check_name(*ptr);
            if (const auto* srv = std::get_if<SrvData>(&r.data)) check_name(srv->target);
            if (const auto* txt = std::get_if<TxtData>(&r.data)) (void)txt_value(*txt, "fn");
        }
    }
    return 0;
}
