/// \file timing_map.hpp
/// \brief Remembers the Timing of each input until the coder outputs what it became.
///
/// Encoders and decoders may hold frames back (reordering, look-ahead, an audio codec's
/// priming), so an output cannot simply take the timing of the latest input. The node
/// remembers each input's Timing under its pts and, for each output, takes the entry
/// with the same pts, or failing that the nearest older one. Bounded, so a coder that
/// swallows inputs cannot make it grow. A plain value used on the node's executor.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

#include <switchboard/frame.hpp>

namespace switchboard::transcode {

class TimingMap {
public:
    /// What an input carried that its output must inherit.
    struct Entry {
        Timing timing;
        std::int64_t duration = 0;  ///< in the coder's time base; 0: unknown
    };

    explicit TimingMap(std::size_t capacity = 128) noexcept : m_capacity(capacity) {}

    /// Records an input under `pts` (the coder's time base).
    void remember(std::int64_t pts, const Timing& timing, std::int64_t duration) {
        m_entries[pts] = Entry{timing, duration};
        while (m_entries.size() > m_capacity) m_entries.erase(m_entries.begin());
    }

    /// The entry for an output at `pts`: an exact match, else the nearest older entry,
    /// else the oldest one (an output stamped before any input, as codecs with priming
    /// samples do). That entry and all older ones are forgotten. nullopt when empty.
    std::optional<Entry> take(std::int64_t pts) {
        if (m_entries.empty()) return std::nullopt;
        auto it = m_entries.upper_bound(pts);
        if (it != m_entries.begin()) --it;
        Entry found = it->second;
        m_entries.erase(m_entries.begin(), std::next(it));
        return found;
    }

    std::size_t size() const noexcept { return m_entries.size(); }
    void clear() noexcept { m_entries.clear(); }

private:
    std::map<std::int64_t, Entry> m_entries;
    std::size_t m_capacity;
};

}  // namespace switchboard::transcode
