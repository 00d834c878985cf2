/// Test-only plugins that are wrong on purpose, one per way the plugin host must refuse
/// a plugin. Which way is chosen at compile time (see CMakeLists.txt).
#include <switchboard/switchboard.hpp>

namespace {

using namespace switchboard;

class Nothing final : public Node {
public:
    Nothing(NodeContext&, const NodeConfig&) {}
    std::vector<PortSpec> input_ports() const noexcept override { return {}; }
    std::vector<PortSpec> output_ports() const noexcept override { return {}; }
};

[[maybe_unused]] PluginInfo describe() {
#if defined(BROKEN_DUPLICATE)
    // Claims a type that testplug already provides.
    return {"testplug", "1.0", {{"testplug.source", NodeRole::source, "", "{}", node_factory<Nothing>(), {}}}};
#elif defined(BROKEN_SCHEMA)
    return {"badschema",
            "1.0",
            {{"badschema.node", NodeRole::source, "", R"({"type": "strng"})", node_factory<Nothing>(), {}}}};
#else
    return {BROKEN_NAME, "1.0", {{BROKEN_NAME ".node", NodeRole::source, "", "{}", node_factory<Nothing>(), {}}}};
#endif
}

}  // namespace

#if defined(BROKEN_NO_ABI)
// The descriptor without the ABI constant.
namespace noabi {
inline PluginInfo describe_noexcept() noexcept {
    return describe();
}
}  // namespace noabi
BOOST_DLL_ALIAS(noabi::describe_noexcept, switchboard_plugin)
#elif defined(BROKEN_NO_DESCRIPTOR)
extern "C" SWITCHBOARD_EXPORT const std::uint32_t switchboard_abi_version = SWITCHBOARD_ABI_VERSION;
#elif defined(BROKEN_ABI)
// Built "against another SDK": the constant says so, and the host must stop there.
extern "C" SWITCHBOARD_EXPORT const std::uint32_t switchboard_abi_version = SWITCHBOARD_ABI_VERSION + 998;
namespace badabi {
inline PluginInfo describe_noexcept() noexcept {
    return describe();
}
}  // namespace badabi
BOOST_DLL_ALIAS(badabi::describe_noexcept, switchboard_plugin)
#else
SWITCHBOARD_PLUGIN(describe)
#endif
