/// \file sync_filter.hpp
/// \brief The /sync filter: a timeline limit that fits a call's burst of events, presence
/// and other noise off. Sent inline (JSON in the query), so no filter id has to be kept.
#pragma once

#include <string>
#include <vector>

namespace switchboard::matrix {

struct SyncFilterOptions {
    /// Synapse serves 10 without a filter; a call sends invite + candidates + more.
    unsigned timeline_limit = 50;
    /// Event types to keep in timelines ("m.call.*" wildcards allowed); empty: all.
    std::vector<std::string> timeline_types;
};

/// The filter JSON.
std::string make_sync_filter(const SyncFilterOptions& options);

}  // namespace switchboard::matrix
