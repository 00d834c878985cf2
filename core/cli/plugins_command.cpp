#include <cstdio>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "cli/commands.hpp"
#include "plugin_host/plugin_host.hpp"

namespace switchboard::core {

namespace {
std::string pretty(const rapidjson::Value& v, const std::string& indent) {
    rapidjson::StringBuffer buf;
    rapidjson::PrettyWriter<rapidjson::StringBuffer> w(buf);
    w.SetIndent(' ', 2);
    v.Accept(w);
    std::string out;
    for (const char* p = buf.GetString(); *p; ++p) {
        out += *p;
        if (*p == '\n') out += indent;
    }
    return indent + out;
}
}  // namespace

int plugins_command(const std::vector<std::string>& plugin_path) {
    PluginHost host({plugin_path.begin(), plugin_path.end()});
    auto errors = host.load_all();
    std::string searched;
    for (const auto& d : host.search_path()) searched += (searched.empty() ? "" : ":") + d.string();
    std::printf("search path: %s\n", searched.c_str());
    for (const auto& plugin : host.plugins()) {
        std::printf("\nplugin %s %s  (%s)\n", plugin->name.c_str(), plugin->version.c_str(), plugin->file.c_str());
        for (const auto& [name, type] : host.node_types()) {
            if (type.plugin != plugin) continue;
            std::printf("  %s  [%s]%s\n    %s\n    config schema:\n%s\n", name.c_str(), to_string(type.info.role),
                        type.info.convert ? "  (converter)" : "", type.info.summary.c_str(),
                        pretty(type.schema->document(), "      ").c_str());
        }
    }
    for (const auto& e : errors) std::fprintf(stderr, "switchboard: %s\n", e.message.c_str());
    return errors.empty() ? exit_ok : exit_runtime_failure;
}

}  // namespace switchboard::core
