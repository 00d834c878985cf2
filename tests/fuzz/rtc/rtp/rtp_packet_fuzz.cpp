// Fuzzes RtpPacket::parse, the RFC 8285 extension walk and the writer: whatever parses
// must re-serialize (RtpPacketWriter::from) into a packet that parses to the same fields,
// extensions and payload; and an RTX wrap of it unwraps to the same packet.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "rtc/rtp/packet_demux.hpp"
#include "rtc/rtp/rtp_packet.hpp"
#include "rtc/rtp/rtp_packet_writer.hpp"
#include "rtc/rtp/rtx.hpp"

using namespace switchboard::rtc::rtp;

namespace {
using Elements = std::vector<std::pair<std::uint8_t, std::vector<std::uint8_t>>>;

Elements elements(const RtpPacket& p) {
    Elements out;
    p.for_each_extension([&](std::uint8_t id, std::span<const std::uint8_t> v) {
        for (auto& e : out)
            if (e.first == id) return;  // a repeated id: listed once
        out.emplace_back(id, std::vector<std::uint8_t>(v.begin(), v.end()));
    });
    return out;
}

void check(bool ok) {
    if (!ok) std::abort();
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    (void)classify(bytes);
    auto r = RtpPacket::parse(bytes);
    if (!r) return 0;
    const RtpPacket& p = *r.packet;
    for (int id = 0; id < 256; id += 17) (void)p.extension(std::uint8_t(id));

    const auto w = RtpPacketWriter::from(p);
    auto again = RtpPacket::parse(w.to_buffer());
    check(again.ok());
    const RtpPacket& q = *again.packet;
    check(q.marker() == p.marker() && q.payload_type() == p.payload_type());
    check(q.sequence_number() == p.sequence_number() && q.timestamp() == p.timestamp() && q.ssrc() == p.ssrc());
    check(q.csrc_count() == p.csrc_count());
    for (std::size_t i = 0; i < p.csrc_count(); ++i) check(q.csrc(i) == p.csrc(i));
    check(q.padding_size() == p.padding_size());
    check(q.payload().size() == p.payload().size());
    check(p.payload().empty() || std::memcmp(q.payload().data(), p.payload().data(), p.payload().size()) == 0);
    if (p.extension_profile() == ExtensionProfile::other) {
        check(q.extension_profile_id() == p.extension_profile_id());
        check(q.extension_data().size() == p.extension_data().size());
    } else if (p.has_extension()) {
        // Each id the original carries (first occurrence, up to a malformed element)
        // reads back with the same value. The writer keeps the last of a repeated id,
        // so repeated ids are compared only for presence.
        for (const auto& [id, value] : elements(p)) {
            auto v = q.extension(id);
            check(v.has_value());
            const auto orig = w.extension(id);
            check(orig && orig->size() == v->size());
            check(v->empty() || std::memcmp(v->data(), orig->data(), v->size()) == 0);
        }
    }

    // RTX (RFC 4588): unwrapping what we wrapped gives the original's header and payload.
    auto rtx = RtpPacket::parse(wrap_rtx(p, 97, p.ssrc() ^ 1u, 7));
    check(rtx.ok());
    auto back = unwrap_rtx(*rtx.packet, p.payload_type(), p.ssrc());
    check(back.has_value());
    check(back->sequence_number() == p.sequence_number() && back->timestamp() == p.timestamp());
    check(back->payload().size() == p.payload().size());
    check(p.payload().empty() || std::memcmp(back->payload().data(), p.payload().data(), p.payload().size()) == 0);
    (void)unwrap_rtx(p, 96, 1);  // any packet as RTX: never crashes
    return 0;
}
