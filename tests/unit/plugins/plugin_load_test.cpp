// The built plugin modules load the way the host loads them: the plain ABI constant first,
// then the Boost.DLL descriptor alias, with the node types each plugin promises.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include <boost/dll/shared_library.hpp>

#include <switchboard/plugin.hpp>

using namespace switchboard;

namespace {

std::set<std::string> load_types(const std::string& name) {
    const std::string path = std::string(SWITCHBOARD_PLUGIN_DIR) + "/libswitchboard-" + name + ".so";
    boost::dll::shared_library lib(path, boost::dll::load_mode::rtld_local | boost::dll::load_mode::rtld_now);
    EXPECT_EQ(lib.get<const std::uint32_t>("switchboard_abi_version"), SWITCHBOARD_ABI_VERSION);
    auto& describe = lib.get_alias<PluginDescribeFn>("switchboard_plugin");
    std::set<std::string> types;
    {
        PluginInfo info = describe();  // destroyed (its std::functions too) before unloading
        EXPECT_EQ(info.name, name);
        for (const auto& t : info.node_types) {
            types.insert(t.type);
            EXPECT_TRUE(bool(t.create)) << t.type;
            EXPECT_FALSE(t.config_schema.empty()) << t.type;
        }
    }
    return types;
}

}  // namespace

TEST(PluginLoad, Testsrc) {
    EXPECT_EQ(load_types("testsrc"), (std::set<std::string>{"testsrc.camera"}));
}

TEST(PluginLoad, Transcode) {
    EXPECT_EQ(load_types("transcode"), (std::set<std::string>{"transcode.decoder", "transcode.encoder"}));
}

TEST(PluginLoad, File) {
    EXPECT_EQ(load_types("file"), (std::set<std::string>{"file.sink", "file.source"}));
}

TEST(PluginLoad, Whep) {
    EXPECT_EQ(load_types("whep"), (std::set<std::string>{"whep.server"}));
}
