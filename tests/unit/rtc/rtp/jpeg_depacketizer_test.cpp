#include "rtc/rtp/jpeg_depacketizer.hpp"

#include <gtest/gtest.h>

extern "C" {
#include <libavutil/frame.h>
#include <libavutil/opt.h>
}

#include "ffmpeg_decoder.hpp"
#include "rtc/rtp/jpeg_header.hpp"
#include "rtc/rtp/jpeg_tables.hpp"
#include "rtc/rtp/rtp_packet_writer.hpp"
#include "rtp_test_data.hpp"

namespace switchboard::rtc::rtp {
namespace {

using test::Bytes;

/// A picture encoded by FFmpeg's mjpeg encoder with the standard Huffman tables (what
/// RFC 2435 assumes), taken apart: its quantization tables and its scan data.
struct EncodedJpeg {
    int width = 0, height = 0;
    Bytes tables;  // the DQT tables in order, 64 bytes each (8-bit)
    Bytes scan;    // between the SOS header and the EOI
};

EncodedJpeg encode_jpeg(int width, int height, AVPixelFormat pix_fmt) {
    av_log_set_level(AV_LOG_QUIET);
    const AVCodec* codec = avcodec_find_encoder(AV_CODEC_ID_MJPEG);
    AVCodecContext* ctx = avcodec_alloc_context3(codec);
    ctx->width = width;
    ctx->height = height;
    ctx->pix_fmt = pix_fmt;
    ctx->time_base = {1, 25};
    ctx->flags |= AV_CODEC_FLAG_QSCALE;
    ctx->global_quality = FF_QP2LAMBDA * 3;
    av_opt_set(ctx->priv_data, "huffman", "default", 0);
    EncodedJpeg out;
    if (avcodec_open2(ctx, codec, nullptr) < 0) return out;
    AVFrame* f = av_frame_alloc();
    f->format = pix_fmt;
    f->width = width;
    f->height = height;
    f->quality = ctx->global_quality;
    av_frame_get_buffer(f, 0);
    for (int p = 0; p < 3; ++p) {
        const int h = p == 0 || pix_fmt == AV_PIX_FMT_YUVJ422P ? height : height / 2;
        for (int y = 0; y < h; ++y)
            for (int x = 0; x < f->linesize[p]; ++x)
                f->data[p][y * f->linesize[p] + x] = std::uint8_t(x * 3 + y * (p + 1));
    }
    AVPacket* pkt = av_packet_alloc();
    avcodec_send_frame(ctx, f);
    avcodec_send_frame(ctx, nullptr);
    Bytes jpeg;
    if (avcodec_receive_packet(ctx, pkt) == 0) jpeg.assign(pkt->data, pkt->data + pkt->size);
    av_packet_free(&pkt);
    av_frame_free(&f);
    avcodec_free_context(&ctx);
    // Walk the marker segments up to SOS; the scan runs to the final EOI.
    for (std::size_t i = 2; i + 4 <= jpeg.size();) {
        const std::uint8_t m = jpeg[i + 1];
        const std::size_t len = (std::size_t(jpeg[i + 2]) << 8) | jpeg[i + 3];
        if (m == 0xdb)
            for (std::size_t t = i + 4; t + 65 <= i + 2 + len; t += 65)
                out.tables.insert(out.tables.end(), jpeg.begin() + std::ptrdiff_t(t + 1),
                                  jpeg.begin() + std::ptrdiff_t(t + 65));
        if (m == 0xda) {
            out.scan.assign(jpeg.begin() + std::ptrdiff_t(i + 2 + len), jpeg.end() - 2);
            break;
        }
        i += 2 + len;
    }
    out.width = width;
    out.height = height;
    return out;
}

/// RFC 2435 packets of one frame: main header, the restart header for types 64+, the
/// quantization table header in the first packet for Q >= 128, `chunk` scan bytes each.
std::vector<RtpPacket> packetize(const EncodedJpeg& j, std::uint8_t type, std::uint8_t q, std::size_t chunk,
                                 std::uint16_t first_seq = 1, std::uint32_t ts = 0) {
    std::vector<RtpPacket> out;
    std::uint16_t seq = first_seq;
    for (std::size_t off = 0; off < j.scan.size(); off += chunk) {
        const std::size_t n = std::min(chunk, j.scan.size() - off);
        Bytes pl = {0, std::uint8_t(off >> 16),   std::uint8_t(off >> 8),    std::uint8_t(off), type,
                    q, std::uint8_t(j.width / 8), std::uint8_t(j.height / 8)};
        if (type >= 64) pl.insert(pl.end(), {0, 0, 0xff, 0xff});
        if (q >= 128 && off == 0) {
            pl.insert(pl.end(), {0, 0, std::uint8_t(j.tables.size() >> 8), std::uint8_t(j.tables.size())});
            pl.insert(pl.end(), j.tables.begin(), j.tables.end());
        }
        pl.insert(pl.end(), j.scan.begin() + std::ptrdiff_t(off), j.scan.begin() + std::ptrdiff_t(off + n));
        RtpPacketWriter w;
        w.payload_type = 26;
        w.sequence_number = seq++;
        w.timestamp = ts;
        w.marker = off + n == j.scan.size();
        w.payload = pl;
        out.push_back(*RtpPacket::parse(w.to_buffer()).packet);
    }
    return out;
}

std::vector<Frame> run(JpegDepacketizer& d, const std::vector<RtpPacket>& packets, std::uint32_t* dropped = nullptr) {
    std::vector<Frame> frames;
    for (const auto& p : packets) {
        auto out = d.push(p);
        if (dropped) *dropped += out.frames_dropped;
        for (auto& f : out.frames) frames.push_back(std::move(f));
    }
    return frames;
}

TEST(JpegDepacketizer, FfmpegPictureInFragmentsDecodesAtItsSize) {
    // 4:2:0, type 1. (FFmpeg codes its 4:2:2 with 2x2 luma and 1x2 chroma sampling, not
    // the 2x1 luma of RFC 2435 type 0: FlatPicturesOfBothTypes... covers type 0.)
    const auto j = encode_jpeg(320, 240, AV_PIX_FMT_YUVJ420P);
    ASSERT_GT(j.scan.size(), 1000u);
    ASSERT_FALSE(j.tables.empty());
    JpegDepacketizer d;
    auto packets = packetize(j, 1, 255, 400, 65533, 1234);
    ASSERT_GT(packets.size(), 3u);
    const auto frames = run(d, packets);
    ASSERT_EQ(frames.size(), 1u);
    EXPECT_TRUE(frames[0].keyframe);
    EXPECT_EQ(frames[0].format.codec, Codec::mjpeg);
    EXPECT_EQ(frames[0].pts, 1234);
    EXPECT_EQ(frames[0].time_base, (Rational{1, 90000}));
    const Bytes out = test::bytes_of(frames[0].buffer);
    EXPECT_EQ(out[0], 0xff);
    EXPECT_EQ(out[1], 0xd8);
    EXPECT_EQ(out[out.size() - 2], 0xff);
    EXPECT_EQ(out.back(), 0xd9);
    EXPECT_TRUE(std::search(out.begin(), out.end(), j.scan.begin(), j.scan.end()) != out.end());
    const auto st = test::decode_all(AV_CODEC_ID_MJPEG, {out});
    EXPECT_EQ(st.errors, 0);
    EXPECT_EQ(st.decoded, 1);
    EXPECT_EQ(st.width, 320);
    EXPECT_EQ(st.height, 240);
}

TEST(JpegDepacketizer, FfmpegRtpCaptureDecodes) {
    // ffmpeg's own RFC 2435 packetizer (data/README.md): Q 255, tables in every frame.
    const auto packets = test::parse_all(test::read_capture("mjpeg.rtp"));
    ASSERT_EQ(packets.size(), 25u);
    JpegDepacketizer d;
    std::uint32_t dropped = 0;
    const auto frames = run(d, packets, &dropped);
    EXPECT_EQ(dropped, 0u);
    ASSERT_EQ(frames.size(), 5u);
    std::vector<Bytes> all;
    for (std::size_t i = 0; i < frames.size(); ++i) {
        all.push_back(test::bytes_of(frames[i].buffer));
        if (i) {
            EXPECT_EQ(frames[i].pts - frames[i - 1].pts, 18000);  // 5 fps
        }
    }
    const auto st = test::decode_all(AV_CODEC_ID_MJPEG, all);
    EXPECT_EQ(st.errors, 0);
    EXPECT_EQ(st.decoded, 5);
    EXPECT_EQ(st.width, 160);
    EXPECT_EQ(st.height, 120);
}

/// The scan of a flat grey picture, coded by hand with the standard Huffman tables:
/// every block a DC difference of 0 ("00") and an end of block (luma "1010", chroma
/// "00"); with a restart interval, the MCUs in groups, each group padded with 1 bits
/// and followed by the next RSTn marker (T.81 F.1.2.3). The shortest scan there is.
Bytes flat_scan(int type, int width, int height, int restart_interval) {
    const int mcus = ((width + 15) / 16) * ((height + (type == 0 ? 7 : 15)) / (type == 0 ? 8 : 16));
    Bytes out;
    unsigned acc = 0, n = 0;
    const auto bits = [&](unsigned v, unsigned count) {
        for (unsigned i = count; i-- > 0;) {
            acc = (acc << 1) | ((v >> i) & 1);
            if (++n == 8) {
                out.push_back(std::uint8_t(acc));
                if (acc == 0xff) out.push_back(0);  // byte stuffing
                acc = n = 0;
            }
        }
    };
    const auto pad = [&] {
        while (n) bits(1, 1);
    };
    int restarts = 0;
    for (int m = 0; m < mcus; ++m) {
        if (restart_interval && m && m % restart_interval == 0) {
            pad();
            out.push_back(0xff);
            out.push_back(std::uint8_t(0xd0 + restarts++ % 8));
        }
        for (int y = 0; y < (type == 0 ? 2 : 4); ++y) bits(0b001010, 6);
        bits(0b0000, 4);  // Cb
        bits(0b0000, 4);  // Cr
    }
    pad();
    return out;
}

TEST(JpegDepacketizer, FlatPicturesOfBothTypesWithAndWithoutRestartMarkersDecode) {
    for (const std::uint8_t type : {0, 1, 64, 65}) {
        EncodedJpeg j;
        j.width = 64;
        j.height = 32;
        const int interval = type >= 64 ? 3 : 0;
        j.scan = flat_scan(type & 1, j.width, j.height, interval);
        auto packets = packetize(j, type, 50, 5);
        for (auto& p : packets) {  // packetize() writes a restart interval of 0
            if (type < 64) break;
            const auto pl = p.payload();
            Bytes b(pl.begin(), pl.end());
            b[9] = std::uint8_t(interval);
            RtpPacketWriter w = RtpPacketWriter::from(p);
            w.payload = b;
            p = *RtpPacket::parse(w.to_buffer()).packet;
        }
        JpegDepacketizer d;
        const auto frames = run(d, packets);
        ASSERT_EQ(frames.size(), 1u) << int(type);
        const Bytes out = test::bytes_of(frames[0].buffer);
        const Bytes dri = {0xff, 0xdd, 0, 4, 0, std::uint8_t(interval)};
        EXPECT_EQ(std::search(out.begin(), out.end(), dri.begin(), dri.end()) != out.end(), type >= 64);
        const auto st = test::decode_all(AV_CODEC_ID_MJPEG, {out});
        EXPECT_EQ(st.errors, 0) << int(type);
        EXPECT_EQ(st.decoded, 1) << int(type);
        EXPECT_EQ(st.width, 64);
        EXPECT_EQ(st.height, 32);
        // One byte less than the shortest possible scan: not a whole picture.
        if (type == 0) {
            j.scan.pop_back();
            std::uint32_t dropped = 0;
            EXPECT_TRUE(run(d, packetize(j, type, 50, 5, 100, 3000), &dropped).empty());
            EXPECT_EQ(dropped, 1u);
        }
    }
}

TEST(JpegDepacketizer, ScaledTablesForQBelow100) {
    // Q 50 is the T.81 Table K.1 itself (scale 100%), in zig-zag order.
    const auto t = jpeg::quantization_tables(50);
    const Bytes k1_zigzag = {16, 11, 12,  14,  12,  10, 16, 14,  13,  14,  18,  17,  16, 19,  24,  40,
                             26, 24, 22,  22,  24,  49, 35, 37,  29,  40,  58,  51,  61, 60,  57,  51,
                             56, 55, 64,  72,  92,  78, 64, 68,  87,  69,  55,  56,  80, 109, 81,  87,
                             95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99};
    EXPECT_EQ(Bytes(t.begin(), t.begin() + 64), k1_zigzag);
    EXPECT_EQ(t[64], 17);                               // K.2's first entry
    EXPECT_EQ(jpeg::quantization_tables(99)[0], 1);     // scale 2%: 16 * 2 / 100 rounds to 0, kept at 1
    EXPECT_EQ(jpeg::quantization_tables(1)[127], 255);  // scale 5000%: clamped to 255
    EXPECT_EQ(jpeg::quantization_tables(0), jpeg::quantization_tables(1));
    // A Q 75 stream: the scan was coded with other tables, but it decodes to the right
    // size, which is what the header decides.
    const auto j = encode_jpeg(64, 48, AV_PIX_FMT_YUVJ420P);
    JpegDepacketizer d;
    const auto frames = run(d, packetize(j, 1, 75, 200));
    ASSERT_EQ(frames.size(), 1u);
    const auto st = test::decode_all(AV_CODEC_ID_MJPEG, {test::bytes_of(frames[0].buffer)});
    EXPECT_EQ(st.errors, 0);
    EXPECT_EQ(st.width, 64);
    EXPECT_EQ(st.height, 48);
}

TEST(JpegDepacketizer, TablesOmittedLaterAreReusedForTheSameQ) {
    const auto j = encode_jpeg(64, 48, AV_PIX_FMT_YUVJ420P);
    EncodedJpeg no_tables = j;
    no_tables.tables.clear();
    JpegDepacketizer d;
    // Q 200 without tables before any were sent: dropped.
    std::uint32_t dropped = 0;
    EXPECT_TRUE(run(d, packetize(no_tables, 1, 200, 500, 1, 0), &dropped).empty());
    EXPECT_EQ(dropped, 1u);
    ASSERT_EQ(run(d, packetize(j, 1, 200, 500, 10, 3000)).size(), 1u);
    const auto again = run(d, packetize(no_tables, 1, 200, 500, 20, 6000));
    ASSERT_EQ(again.size(), 1u);
    EXPECT_EQ(test::decode_all(AV_CODEC_ID_MJPEG, {test::bytes_of(again[0].buffer)}).errors, 0);
    // Q 255 must bring its tables every time.
    dropped = 0;
    run(d, packetize(j, 1, 255, 500, 30, 9000));
    EXPECT_TRUE(run(d, packetize(no_tables, 1, 255, 500, 40, 12000), &dropped).empty());
    EXPECT_EQ(dropped, 1u);
}

TEST(JpegDepacketizer, MalformedFramesAreDropped) {
    const auto j = encode_jpeg(64, 48, AV_PIX_FMT_YUVJ420P);
    const auto good = packetize(j, 1, 255, 100);
    ASSERT_GE(good.size(), 3u);
    /// The frame's packets with packet `i`'s payload byte `at` set to `v` (a negative
    /// `at` cuts the payload to -at bytes).
    const auto edited = [&](std::size_t i, int at, std::uint8_t v) {
        std::vector<RtpPacket> out;
        for (std::size_t k = 0; k < good.size(); ++k) {
            const auto pl = good[k].payload();
            Bytes b(pl.begin(), pl.end());
            if (k == i && at >= 0) b[std::size_t(at)] = v;
            if (k == i && at < 0) b.resize(std::size_t(-at));
            RtpPacketWriter w = RtpPacketWriter::from(good[k]);
            w.payload = b;
            out.push_back(*RtpPacket::parse(w.to_buffer()).packet);
        }
        return out;
    };
    const std::vector<std::vector<RtpPacket>> bad = {
        edited(1, 1, 0x40),   // second fragment's offset far past the end
        edited(1, 3, 0x01),   // overlapping the first
        edited(0, 3, 0x08),   // the first fragment not at offset 0
        edited(1, 5, 90),     // Q changes within the frame
        edited(0, -7, 0),     // a main header cut short
        edited(0, 11, 0xff),  // table length past the packet (§3.1.8)
        edited(0, 4, 2),      // reserved type
        edited(0, 4, 130),    // dynamic type, unknown here
        edited(0, 5, 0),      // Q 0
        edited(0, 5, 110),    // Q 100..127 reserved
        edited(0, 6, 0),      // width 0
    };
    for (std::size_t n = 0; n < bad.size(); ++n) {
        JpegDepacketizer d;
        std::uint32_t dropped = 0;
        EXPECT_TRUE(run(d, bad[n], &dropped).empty()) << n;
        EXPECT_EQ(dropped, 1u) << n;
        EXPECT_EQ(run(d, packetize(j, 1, 255, 200, 100, 9000)).size(), 1u) << n;  // and the next one plays
    }
}

TEST(JpegDepacketizer, HugeSizeWithFewBytesIsDropped) {
    // 2040x2040, the most RFC 2435 can say, with a few hundred bytes of scan.
    auto j = encode_jpeg(64, 48, AV_PIX_FMT_YUVJ420P);
    j.width = j.height = 2040;
    JpegDepacketizer d;
    std::uint32_t dropped = 0;
    EXPECT_TRUE(run(d, packetize(j, 1, 255, 1000), &dropped).empty());
    EXPECT_EQ(dropped, 1u);
    jpeg::FrameHeader h;
    h.type = 1;
    h.width = h.height = 2040;
    EXPECT_GT(jpeg::minimum_scan_size(h), 60000u);
}

TEST(JpegDepacketizer, LostFragmentDropsOnlyItsFrame) {
    const auto j = encode_jpeg(64, 48, AV_PIX_FMT_YUVJ420P);
    auto first = packetize(j, 1, 255, 100, 1, 0);
    first.erase(first.begin() + 1);
    JpegDepacketizer d;
    std::uint32_t dropped = 0;
    EXPECT_TRUE(run(d, first, &dropped).empty());
    EXPECT_EQ(dropped, 1u);
    const auto second = run(d, packetize(j, 1, 255, 100, 50, 3000));
    EXPECT_EQ(second.size(), 1u);
    EXPECT_FALSE(d.waiting_for_keyframe());
}

TEST(JpegHeader, SixteenBitTablesAndRefusals) {
    jpeg::FrameHeader h;
    h.type = 1;
    h.width = 64;
    h.height = 48;
    Bytes tables(128 + 64, 1);  // a 16-bit luma table, an 8-bit chroma table
    h.tables = tables;
    h.precision = 0x01;
    auto header = jpeg::write_header(h);
    const Bytes sof1 = {0xff, 0xc1, 0, 17, 8, 0, 48, 0, 64};
    EXPECT_TRUE(std::search(header.begin(), header.end(), sof1.begin(), sof1.end()) != header.end());
    const Bytes dqt = {0xff, 0xdb, 0, 2 + 129 + 65, 0x10};
    EXPECT_TRUE(std::search(header.begin(), header.end(), dqt.begin(), dqt.end()) != header.end());
    h.precision = 0x03;  // the second table would need 128 bytes too
    EXPECT_TRUE(jpeg::write_header(h).empty());
    h.precision = 0;
    Bytes three(3 * 64, 1);
    h.tables = three;
    EXPECT_TRUE(jpeg::write_header(h).empty());
    h.tables = {};
    EXPECT_TRUE(jpeg::write_header(h).empty());
    h.tables = std::span<const std::uint8_t>(tables).first(64);
    EXPECT_FALSE(jpeg::write_header(h).empty());  // one table, shared by chroma
    h.type = 2;
    EXPECT_TRUE(jpeg::write_header(h).empty());
    h.type = 0;
    h.width = 2048;
    EXPECT_TRUE(jpeg::write_header(h).empty());
}

}  // namespace
}  // namespace switchboard::rtc::rtp
