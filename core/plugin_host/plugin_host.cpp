#include "plugin_host/plugin_host.hpp"

#include <algorithm>
#include <cstdlib>
#include <set>
#include <sstream>

#include <dlfcn.h>

#include <boost/dll/runtime_symbol_info.hpp>
#include <boost/dll/shared_library.hpp>

namespace switchboard::core {

namespace {

constexpr const char* abi_symbol = "switchboard_abi_version";
constexpr const char* describe_symbol = "switchboard_plugin";

std::string file_name_for(const std::string& plugin) {
    return "libswitchboard-" + plugin + ".so";
}

std::string join(const std::vector<std::filesystem::path>& dirs) {
    std::string s;
    for (const auto& d : dirs) s += (s.empty() ? "" : ", ") + d.string();
    return s.empty() ? "(nothing)" : s;
}

}  // namespace

PluginHost::PluginHost(std::vector<std::filesystem::path> config_path) : m_search_path(std::move(config_path)) {
    if (const char* env = std::getenv("SWITCHBOARD_PLUGIN_PATH")) {
        std::stringstream parts(env);
        std::string dir;
        while (std::getline(parts, dir, ':'))
            if (!dir.empty()) m_search_path.emplace_back(dir);
    }
    std::error_code ec;
    auto exe = boost::dll::program_location(ec);
    if (!ec) m_search_path.push_back((exe.parent_path() / SWITCHBOARD_PLUGIN_RELDIR).lexically_normal());
}

PluginHost::~PluginHost() = default;

Result<void> PluginHost::load(const std::string& name) {
    for (const auto& p : m_plugins)
        if (p->name == name) return {};
    const auto file = file_name_for(name);
    for (const auto& dir : m_search_path) {
        std::error_code ec;
        if (std::filesystem::exists(dir / file, ec)) return load_file(dir / file);
    }
    return Error::unavailable("plugin '" + name + "' not found: no " + file + " in " + join(m_search_path) +
                              " (add its folder to plugin_path or SWITCHBOARD_PLUGIN_PATH)");
}

Result<void> PluginHost::load_file(const std::filesystem::path& file) {
    const std::string where = file.string();
    std::error_code fec;
    if (!std::filesystem::exists(file, fec)) return Error::unavailable(where + ": no such plugin file");

    auto lib = std::make_shared<boost::dll::shared_library>();
    std::error_code ec;
    // RTLD_NODELETE: a plugin's code stays mapped after the host lets go of it. Nothing
    // posted by it (a handler left in a stopped io_context, a static's destructor at
    // exit) can then jump into unmapped code, and LeakSanitizer still sees what its
    // statics point to instead of reporting it as leaked.
    lib->load(file, ec,
              boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local |
                  static_cast<boost::dll::load_mode::type>(RTLD_NODELETE));
    if (ec) {
        const char* why = dlerror();
        return Error::unavailable(where + ": cannot load: " + (why ? why : ec.message()));
    }

    // The ABI constant is plain C data: safe to read whatever the plugin was built with.
    if (!lib->has(abi_symbol))
        return Error::invalid(where + ": not a Switchboard plugin: symbol '" + std::string(abi_symbol) + "' not found");
    const auto abi = lib->get<const std::uint32_t>(abi_symbol);
    if (abi != SWITCHBOARD_ABI_VERSION)
        return Error::invalid(where + ": built for plugin ABI " + std::to_string(abi) + ", this switchboard uses ABI " +
                              std::to_string(SWITCHBOARD_ABI_VERSION) + "; rebuild it against SDK " +
                              SWITCHBOARD_SDK_VERSION);
    if (!lib->has(describe_symbol))
        return Error::invalid(where + ": not a Switchboard plugin: symbol '" + std::string(describe_symbol) +
                              "' not found (use SWITCHBOARD_PLUGIN(...))");

    auto describe = lib->get_alias<PluginDescribeFn>(describe_symbol);
    PluginInfo info = describe();
    if (info.name.empty() || info.node_types.empty())
        return Error::invalid(where + ": the plugin describes no node types");

    // Check every type before registering any, so a refused plugin leaves no trace.
    std::vector<LoadedNodeType> types;
    std::set<std::string> seen;
    for (auto& t : info.node_types) {
        if (t.type.rfind(info.name + ".", 0) != 0 || t.type.size() == info.name.size() + 1)
            return Error::invalid(where + ": node type '" + t.type + "' must be named '" + info.name + ".<kind>'");
        if (auto it = m_types.find(t.type); it != m_types.end())
            return Error::invalid(where + ": duplicate node type '" + t.type + "', already provided by " +
                                  it->second.plugin->file.string());
        if (!seen.insert(t.type).second)
            return Error::invalid(where + ": duplicate node type '" + t.type + "' within the plugin");
        if (!t.create) return Error::invalid(where + ": node type '" + t.type + "' has no factory");
        auto schema = JsonSchema::compile(t.config_schema.empty() ? "{}" : t.config_schema,
                                          "schema of node type '" + t.type + "'");
        if (!schema) return Error::invalid(where + ": " + schema.error().message);
        types.push_back({std::move(t), schema.value(), nullptr});
    }

    for (const auto& p : m_plugins)
        if (p->name == info.name)
            return Error::invalid(where + ": plugin '" + info.name + "' is already loaded from " + p->file.string());

    auto plugin = std::make_shared<LoadedPlugin>();
    plugin->name = info.name;
    plugin->version = info.version;
    plugin->file = file;
    plugin->library = lib;
    m_plugins.push_back(plugin);
    for (auto& t : types) {
        t.plugin = plugin;
        m_type_order.push_back(t.info.type);
        auto key = t.info.type;
        m_types.emplace(std::move(key), std::move(t));
    }
    return {};
}

std::vector<Error> PluginHost::load_all() {
    std::vector<Error> errors;
    std::set<std::string> names;
    for (const auto& dir : m_search_path) {
        std::error_code ec;
        std::vector<std::filesystem::path> files;
        for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
             it.increment(ec))
            files.push_back(it->path());
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            auto fname = f.filename().string();
            if (!fname.starts_with("libswitchboard-") || !fname.ends_with(".so")) continue;
            auto name = fname.substr(15, fname.size() - 18);
            if (!names.insert(name).second) continue;  // an earlier folder wins
            bool loaded = false;
            for (const auto& p : m_plugins) loaded = loaded || p->name == name;
            if (loaded) continue;
            if (auto r = load_file(f); !r) errors.push_back(r.error());
        }
    }
    return errors;
}

Result<const LoadedNodeType*> PluginHost::node_type(const std::string& type) {
    if (auto it = m_types.find(type); it != m_types.end()) return &it->second;
    auto dot = type.find('.');
    if (dot == std::string::npos || dot == 0) return Error::invalid("node type '" + type + "' is not <plugin>.<kind>");
    const auto plugin = type.substr(0, dot);
    bool already = false;
    for (const auto& p : m_plugins) already = already || p->name == plugin;
    if (!already) {
        if (auto r = load(plugin); !r) return Error::invalid("unknown node type '" + type + "': " + r.error().message);
    }
    if (auto it = m_types.find(type); it != m_types.end()) return &it->second;
    std::string known;
    for (const auto& [name, t] : m_types)
        if (t.plugin->name == plugin) known += (known.empty() ? "" : ", ") + name;
    return Error::invalid("unknown node type '" + type + "': plugin '" + plugin + "' provides " + known);
}

std::vector<const LoadedNodeType*> PluginHost::converters() const {
    std::vector<const LoadedNodeType*> out;
    for (const auto& name : m_type_order)
        if (auto& t = m_types.at(name); t.info.convert) out.push_back(&t);
    return out;
}

}  // namespace switchboard::core
