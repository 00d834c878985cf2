#include "matrix_client/sync_filter.hpp"

#include "matrix_client/json_util.hpp"

namespace switchboard::matrix {

std::string make_sync_filter(const SyncFilterOptions& options) {
    std::string timeline = "{\"limit\":" + std::to_string(options.timeline_limit);
    if (!options.timeline_types.empty()) {
        timeline += ",\"types\":[";
        for (std::size_t i = 0; i < options.timeline_types.size(); ++i) {
            if (i) timeline += ',';
            timeline += json::quote(options.timeline_types[i]);
        }
        timeline += ']';
    }
    timeline += '}';
    return "{\"presence\":{\"not_types\":[\"*\"]},\"account_data\":{\"not_types\":[\"*\"]},"
           "\"room\":{\"timeline\":" +
           timeline +
           ",\"state\":{\"lazy_load_members\":true},\"ephemeral\":{\"not_types\":[\"*\"]},"
           "\"account_data\":{\"not_types\":[\"*\"]}}}";
}

}  // namespace switchboard::matrix
