// A node config validated against a plugin's schema, and error messages built from
// whatever the validator reports. The first byte picks the role of the input: a
// document against a fixed schema, or a schema compiled and used on a fixed document.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/json_schema.hpp"
#include "config/json_text.hpp"

namespace {
constexpr const char* schema_text = R"({
  "type": "object", "additionalProperties": false, "required": ["path"],
  "properties": {
    "path": {"type": "string", "minLength": 1, "pattern": "^[a-z/._-]+$"},
    "width": {"type": "integer", "minimum": 16, "maximum": 4096},
    "mode": {"enum": ["fast", "slow"]},
    "list": {"type": "array", "items": {"type": "number"}, "maxItems": 4},
    "nested": {"type": "object", "properties": {"x": {"type": ["string", "null"]}}}
  }
})";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace switchboard::core;
    if (size == 0) return 0;
    std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
    if (data[0] & 1) {
        static const auto schema = JsonSchema::compile(schema_text, "fuzz schema").value();
        rapidjson::Document doc;
        if (parse_json(text, "fuzz.json", doc)) (void)schema->validate(doc, "/nodes/0/config");
    } else {
        auto schema = JsonSchema::compile(text, "fuzzed schema");
        if (schema) {
            rapidjson::Document doc;
            doc.Parse(R"({"path": "a", "width": 20, "list": [1, 2], "nested": {"x": null}})");
            (void)schema.value()->validate(doc, "");
        }
    }
    return 0;
}
