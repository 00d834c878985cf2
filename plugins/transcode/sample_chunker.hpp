/// \file sample_chunker.hpp
/// \brief Regroups interleaved S16 audio into blocks of a fixed number of samples.
///
/// Opus encodes exactly 20 ms (960 samples at 48 kHz) per packet, but audio may arrive in
/// any block size (an AAC decoder gives 1024). The chunker buffers samples and hands out
/// full blocks as Frames, each with the pts of its first sample and the Timing of the
/// input that supplied that sample. A plain value used on the node's executor.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

#include <switchboard/format.hpp>
#include <switchboard/frame.hpp>

namespace switchboard::transcode {

class SampleChunker {
public:
    /// Blocks of `block_samples` per channel; `format` (S16, rate, channels) is stamped on
    /// every block, whose pts are in 1/format.sample_rate.
    SampleChunker(int block_samples, const Format& format);

    /// Appends an S16 frame's samples. `pts` is its first sample's position in
    /// 1/sample_rate. A gap or overlap of more than one block (a source that skipped)
    /// drops the partial block and restarts at `pts`.
    void push(const Frame& frame, std::int64_t pts);

    /// The next full block, or nullopt when fewer samples are buffered.
    std::optional<Frame> pop();

    /// What is left, padded with silence to a full block; nullopt when nothing is left.
    /// For the end of a stream.
    std::optional<Frame> pop_padded();

    /// Samples per channel waiting for a full block.
    int buffered() const noexcept { return int(m_samples.size() / std::size_t(m_channels)); }

private:
    Frame make_block(const std::int16_t* data);
    Timing timing_at(std::int64_t pts) const;
    void forget_before(std::int64_t pts);

    int m_block;
    int m_channels;
    Format m_format;
    std::vector<std::int16_t> m_samples;                  ///< interleaved, oldest first
    std::int64_t m_first_pts = 0;                         ///< pts of m_samples[0]
    std::deque<std::pair<std::int64_t, Timing>> m_marks;  ///< input start pts -> its Timing
};

}  // namespace switchboard::transcode
