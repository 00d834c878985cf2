/// hello: the smallest useful plugin, and the one the README walks through.
///
/// `hello.counter` is a sink: it counts the frames (and keyframes) it receives on its
/// "video" and "audio" inputs and, when the graph stops, writes them as JSON to the file
/// named by its `path` config. It uses only the installed SDK.
#include <fstream>

#include <switchboard/switchboard.hpp>

namespace {

using namespace switchboard;

class Counter final : public Node {
public:
    // Called on the control thread with a config already validated against the schema
    // below. Throwing std::invalid_argument here becomes a config error (exit 2).
    Counter(NodeContext& context, const NodeConfig& config) : m_context(context), m_path(config.string_or("path", "")) {
        if (m_path.empty()) throw std::invalid_argument("path must not be empty");
    }

    std::vector<PortSpec> input_ports() const noexcept override {
        Format video, audio;  // any codec of each kind
        video.kind = MediaKind::video;
        audio.kind = MediaKind::audio;
        return {{"video", MediaKind::video, {video}}, {"audio", MediaKind::audio, {audio}}};
    }
    std::vector<PortSpec> output_ports() const noexcept override { return {}; }

    // Runs on this node's own strand: no locking needed for the counters.
    void on_frame(PortIndex input, Frame&& frame) noexcept override {
        ++m_frames[input];
        if (frame.keyframe) ++m_keyframes[input];
    }

    void stop() noexcept override {
        std::ofstream out(m_path);
        out << R"({"video": )" << m_frames[0] << R"(, "video_keyframes": )" << m_keyframes[0] << R"(, "audio": )"
            << m_frames[1] << "}\n";
        if (!out) m_context.log().error("cannot write " + m_path);
    }

private:
    NodeContext& m_context;
    std::string m_path;
    std::uint64_t m_frames[2] = {0, 0};
    std::uint64_t m_keyframes[2] = {0, 0};
};

PluginInfo describe() {
    NodeTypeInfo counter;
    counter.type = "hello.counter";
    counter.role = NodeRole::sink;
    counter.summary = "counts frames per input and writes them as JSON at stop";
    counter.config_schema = R"({
      "type": "object", "additionalProperties": false, "required": ["path"],
      "properties": {"path": {"type": "string", "description": "where the JSON summary goes"}}
    })";
    counter.create = node_factory<Counter>();
    return {"hello", "1.0.0", {std::move(counter)}};
}

}  // namespace

SWITCHBOARD_PLUGIN(describe)
