/// \file plugin.hpp
/// \brief The plugin ABI: what a plugin exports and how it describes its node types.
///
/// A plugin is a shared object `libswitchboard-<name>.so` that exports exactly two
/// symbols, both made by SWITCHBOARD_PLUGIN(describe):
///  - `switchboard_abi_version`: a plain `extern "C"` std::uint32_t holding
///    SWITCHBOARD_ABI_VERSION. The host reads it first and refuses a mismatch before any
///    C++ symbol of the plugin is touched.
///  - `switchboard_plugin`: a Boost.DLL alias of a noexcept function returning the
///    PluginInfo below.
/// The host keeps the library loaded while anything made by it (a Node, a std::function
/// from PluginInfo) is alive.
///
/// Node type names are "<plugin>.<kind>" (`testsrc.video`, `transcode.encoder`): the host
/// finds the plugin for a type from its prefix.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/dll/alias.hpp>

#include <switchboard/abi.hpp>
#include <switchboard/config.hpp>
#include <switchboard/errors.hpp>
#include <switchboard/format.hpp>
#include <switchboard/node.hpp>

namespace switchboard {

enum class NodeRole { source, filter, sink, signalling };

inline const char* to_string(NodeRole r) noexcept {
    switch (r) {
        case NodeRole::source:
            return "source";
        case NodeRole::filter:
            return "filter";
        case NodeRole::sink:
            return "sink";
        case NodeRole::signalling:
            return "signalling";
    }
    return "?";
}

/// Makes a node from its validated config. Called on the control thread. Must not throw;
/// node_factory<T>() below wraps a constructor so that it cannot.
using NodeFactory = std::function<Result<std::unique_ptr<Node>>(NodeContext& context, const NodeConfig& config)>;

/// One node the host should insert for a "convert": "auto" link: a type and its config
/// as JSON text (validated against that type's schema like any other config).
struct ConverterStep {
    std::string type;
    std::string config_json;
};

/// Plans a conversion from `from` (what the producer settled on) to one format of `to`
/// (what the consumer accepts): the chain of nodes to insert, or nullopt if this plugin
/// cannot do it. Must not throw.
using ConverterPlanner =
    std::function<std::optional<std::vector<ConverterStep>>(const Format& from, const FormatSet& to)>;

/// A node type a plugin provides.
struct NodeTypeInfo {
    std::string type;  ///< "testsrc.video"
    NodeRole role = NodeRole::filter;
    std::string summary;        ///< one line for `switchboard plugins`
    std::string config_schema;  ///< JSON Schema (draft-04) of the node's "config" object
    NodeFactory create;
    ConverterPlanner convert;  ///< optional: this type can be inserted by "convert": "auto"
};

/// What a plugin returns from its descriptor function.
struct PluginInfo {
    std::string name;     ///< the <name> of libswitchboard-<name>.so
    std::string version;  ///< the plugin's own version, informational
    std::vector<NodeTypeInfo> node_types;
};

/// A NodeFactory for a class T constructible as T(NodeContext&, const NodeConfig&) that
/// reports bad config by throwing std::invalid_argument and other failures by throwing
/// anything else: the exception is caught here, inside the plugin, and becomes an Error.
template <class T>
NodeFactory node_factory() {
    return [](NodeContext& context, const NodeConfig& config) -> Result<std::unique_ptr<Node>> {
        try {
            return std::unique_ptr<Node>(std::make_unique<T>(context, config));
        } catch (const std::invalid_argument& e) {
            return Error::invalid(config.pointer() + ": " + e.what());
        } catch (const std::exception& e) {
            return Error::runtime(std::string(context.name()) + ": " + e.what());
        } catch (...) {
            return Error::runtime(std::string(context.name()) + ": unknown exception");
        }
    };
}

/// A NodeFactory for a node read through a settings type: `Settings::from(config)`
/// returns Result<Settings> whose errors already name their JSON pointer (kept as they
/// are), and T is constructible as T(NodeContext&, Settings). Exceptions become Errors
/// here, inside the plugin.
template <class T, class Settings>
NodeFactory settings_node_factory() {
    return [](NodeContext& context, const NodeConfig& config) -> Result<std::unique_ptr<Node>> {
        try {
            auto settings = Settings::from(config);
            if (!settings) return settings.error();
            return std::unique_ptr<Node>(std::make_unique<T>(context, std::move(settings.value())));
        } catch (const std::exception& e) {
            return Error::runtime(std::string(context.name()) + ": " + e.what());
        } catch (...) {
            return Error::runtime(std::string(context.name()) + ": unknown exception");
        }
    };
}

/// The signature of the function behind the `switchboard_plugin` alias.
using PluginDescribeFn = PluginInfo() noexcept;

}  // namespace switchboard

/// Exports a plugin. `describe` is a function `switchboard::PluginInfo describe()`; if it
/// throws, the plugin reports no node types (the host then says so).
#define SWITCHBOARD_PLUGIN(describe)                                                                     \
    extern "C" SWITCHBOARD_EXPORT const std::uint32_t switchboard_abi_version = SWITCHBOARD_ABI_VERSION; \
    namespace switchboard_plugin_detail {                                                                \
    inline ::switchboard::PluginInfo describe_noexcept() noexcept {                                      \
        try {                                                                                            \
            return describe();                                                                           \
        } catch (...) {                                                                                  \
            return {};                                                                                   \
        }                                                                                                \
    }                                                                                                    \
    }                                                                                                    \
    BOOST_DLL_ALIAS(switchboard_plugin_detail::describe_noexcept, switchboard_plugin)
