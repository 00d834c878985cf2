// A config file from a user: parse, substitute, validate the top level. Must never
// crash, hang or leak, whatever the bytes.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/graph_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    auto config = switchboard::core::parse_graph_config(text, "fuzz.json", "/nonexistent-fuzz-dir");
    if (config) {
        // Walk what was accepted, as the graph builder would.
        for (const auto& node : config->nodes) (void)node.config->IsObject();
        for (const auto& link : config->links) (void)link.from.text();
    }
    return 0;
}
