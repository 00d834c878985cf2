// Fuzzes compound RTCP iteration and every per-type parser; what parses must write and
// parse back to the same values.
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

#include "rtc/rtp/rtcp_bye.hpp"
#include "rtc/rtp/rtcp_feedback.hpp"
#include "rtc/rtp/rtcp_fir.hpp"
#include "rtc/rtp/rtcp_nack.hpp"
#include "rtc/rtp/rtcp_pli.hpp"
#include "rtc/rtp/rtcp_reader.hpp"
#include "rtc/rtp/rtcp_receiver_report.hpp"
#include "rtc/rtp/rtcp_remb.hpp"
#include "rtc/rtp/rtcp_sdes.hpp"
#include "rtc/rtp/rtcp_sender_report.hpp"

using namespace switchboard::rtc::rtp;

namespace {
void check(bool ok) {
    if (!ok) std::abort();
}

/// Writes `t`, reads the single packet back with the same parser.
template <class T>
T reparse(const T& t) {
    std::vector<std::uint8_t> out;
    t.write(out);
    auto all = RtcpReader::read_all(out);
    check(all && all->size() == 1);
    auto back = T::parse(all->front());
    check(back.has_value());
    return *back;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    RtcpReader reader(std::span<const std::uint8_t>(data, size));
    // The one-pass summary PeerConnection acts on agrees with the per-type parsers.
    const auto summary = read_rtcp_feedback(std::span<const std::uint8_t>(data, size));
    std::size_t nacks = 0, srs = 0;
    bool keyframe = false;
    while (auto v = reader.next()) {
        if (v->type == rtcp_type::rtpfb && v->count == RtcpNack::fmt && RtcpNack::parse(*v)) ++nacks;
        if (v->type == rtcp_type::sr && RtcpSenderReport::parse(*v)) ++srs;
        if (v->type == rtcp_type::psfb &&
            ((v->count == RtcpPli::fmt && RtcpPli::parse(*v)) || (v->count == RtcpFir::fmt && RtcpFir::parse(*v))))
            keyframe = true;
        if (auto sr = RtcpSenderReport::parse(*v)) {
            auto b = reparse(*sr);
            check(b.ntp_timestamp == sr->ntp_timestamp && b.report_blocks == sr->report_blocks);
        }
        if (auto rr = RtcpReceiverReport::parse(*v)) check(reparse(*rr).report_blocks == rr->report_blocks);
        if (auto s = RtcpSdes::parse(*v)) {
            auto b = reparse(*s);
            check(b.chunks.size() == s->chunks.size());
            for (std::size_t i = 0; i < b.chunks.size(); ++i) check(b.chunks[i].cname() == s->chunks[i].cname());
        }
        if (auto bye = RtcpBye::parse(*v)) {
            auto b = reparse(*bye);
            check(b.ssrcs == bye->ssrcs && b.reason == bye->reason);
        }
        if (auto n = RtcpNack::parse(*v)) {
            // Compression may merge or reorder, but never loses a sequence number.
            auto b = reparse(*n);
            for (auto s : n->sequence_numbers) {
                bool found = false;
                for (auto t : b.sequence_numbers) found |= s == t;
                check(found);
            }
        }
        if (auto pli = RtcpPli::parse(*v)) check(reparse(*pli).media_ssrc == pli->media_ssrc);
        if (auto fir = RtcpFir::parse(*v)) check(reparse(*fir).entries == fir->entries);
        if (auto remb = RtcpRemb::parse(*v)) {
            auto b = reparse(*remb);
            check(b.bitrate_bps == remb->bitrate_bps && b.ssrcs == remb->ssrcs);
        }
    }
    check(summary.nacks.size() == nacks && summary.sender_reports.size() == srs &&
          summary.keyframe_request == keyframe);
    return 0;
}
