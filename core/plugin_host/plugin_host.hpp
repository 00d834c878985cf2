/// \file plugin_host.hpp
/// \brief Finds, loads and checks plugins (Boost.DLL), and indexes their node types.
///
/// A plugin for node type "x.y" is libswitchboard-x.so, looked up in order in: the
/// config's plugin_path, the SWITCHBOARD_PLUGIN_PATH variable (colon-separated), and the
/// folder installed beside the program (<prefix>/lib/switchboard/plugins). Loading checks,
/// each failure one clear line: the file exists and loads, the ABI constant is there and
/// matches (read before any C++ symbol), the descriptor is there, every node type is
/// named "<plugin>.<kind>" and not already provided, and every config schema is valid
/// JSON Schema draft-04.
///
/// Control thread only. The host must outlive everything made from a plugin; a
/// LoadedNodeType keeps its library loaded for whoever holds it.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <switchboard/plugin.hpp>

#include "config/json_schema.hpp"

namespace boost::dll {
class shared_library;
}

namespace switchboard::core {

struct LoadedPlugin {
    std::string name;
    std::string version;
    std::filesystem::path file;
    std::shared_ptr<boost::dll::shared_library> library;
};

struct LoadedNodeType {
    NodeTypeInfo info;
    std::shared_ptr<const JsonSchema> schema;
    std::shared_ptr<const LoadedPlugin> plugin;  ///< keeps the library loaded
};

class PluginHost {
public:
    /// `config_path`: the config's plugin_path entries, searched first.
    explicit PluginHost(std::vector<std::filesystem::path> config_path = {});
    ~PluginHost();
    PluginHost(const PluginHost&) = delete;
    PluginHost& operator=(const PluginHost&) = delete;

    /// The folders searched, in order.
    const std::vector<std::filesystem::path>& search_path() const noexcept { return m_search_path; }

    /// Loads libswitchboard-<name>.so from the search path (once; later calls are no-ops).
    Result<void> load(const std::string& name);
    /// Loads a plugin from an explicit file.
    Result<void> load_file(const std::filesystem::path& file);
    /// Loads every libswitchboard-*.so on the search path (the first of each name); the
    /// errors of those that fail are returned, the others stay loaded.
    std::vector<Error> load_all();

    /// The node type, loading its plugin (from the type's prefix) when needed.
    Result<const LoadedNodeType*> node_type(const std::string& type);
    /// Node types that can be inserted by "convert": "auto", in load order.
    std::vector<const LoadedNodeType*> converters() const;

    const std::vector<std::shared_ptr<const LoadedPlugin>>& plugins() const noexcept { return m_plugins; }
    const std::map<std::string, LoadedNodeType>& node_types() const noexcept { return m_types; }

private:
    std::vector<std::filesystem::path> m_search_path;
    std::vector<std::shared_ptr<const LoadedPlugin>> m_plugins;
    std::map<std::string, LoadedNodeType> m_types;
    std::vector<std::string> m_type_order;
};

}  // namespace switchboard::core
