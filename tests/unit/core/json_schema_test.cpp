#include <gtest/gtest.h>

#include "config/json_schema.hpp"
#include "config/json_text.hpp"

using namespace switchboard::core;

namespace {
constexpr const char* schema_text = R"({
  "type": "object", "additionalProperties": false, "required": ["path"],
  "properties": {
    "path": {"type": "string"},
    "width": {"type": "integer", "minimum": 16},
    "mode": {"enum": ["fast", "slow"]}
  }
})";

std::string error_for(const char* json, const Redactions& redactions = {}) {
    auto schema = JsonSchema::compile(schema_text, "test schema");
    EXPECT_TRUE(schema) << schema.error().message;
    rapidjson::Document doc;
    EXPECT_TRUE(parse_json(json, "doc", doc));
    auto r = schema.value()->validate(doc, "/nodes/0/config", redactions);
    return r ? "" : r.error().message;
}
}  // namespace

TEST(JsonSchema, ValidPasses) {
    EXPECT_EQ(error_for(R"({"path": "a.mkv", "width": 64})"), "");
}

TEST(JsonSchema, WrongTypeNamesPointerAndWantedType) {
    EXPECT_EQ(error_for(R"({"path": "a", "width": "wide"})"),
              "/nodes/0/config/width: expected integer, found string \"wide\"");
}

TEST(JsonSchema, MissingRequired) {
    EXPECT_EQ(error_for(R"({"width": 64})"), "/nodes/0/config: missing required field \"path\"");
}

TEST(JsonSchema, UnknownKeyListsKnownOnes) {
    EXPECT_EQ(error_for(R"({"path": "a", "widht": 3})"),
              "/nodes/0/config: unknown key \"widht\" (known keys: path, width, mode)");
}

TEST(JsonSchema, EnumAndMinimum) {
    EXPECT_EQ(error_for(R"({"path": "a", "mode": "medium"})"),
              "/nodes/0/config/mode: expected one of \"fast\", \"slow\", found string \"medium\"");
    EXPECT_EQ(error_for(R"({"path": "a", "width": 8})"), "/nodes/0/config/width: must be >= 16, found integer 8");
}

TEST(JsonSchema, SubstitutedValuesAreNeverShown) {
    Redactions r{{"/nodes/0/config/mode", "${env:SECRET_MODE}"}};
    auto message = error_for(R"({"path": "a", "mode": "hunter2"})", r);
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
    EXPECT_NE(message.find("${env:SECRET_MODE}"), std::string::npos) << message;
}

TEST(JsonSchema, RejectsSchemasThatAreNotDraft04) {
    auto bad_type = JsonSchema::compile(R"({"type": "strng"})", "schema of x.y");
    ASSERT_FALSE(bad_type);
    EXPECT_NE(bad_type.error().message.find("schema of x.y is not valid JSON Schema draft-04"), std::string::npos)
        << bad_type.error().message;
    auto bad_required = JsonSchema::compile(R"({"required": "path"})", "s");
    EXPECT_FALSE(bad_required);
    auto not_json = JsonSchema::compile(R"({"type": )", "s");
    ASSERT_FALSE(not_json);
    EXPECT_NE(not_json.error().message.find("s:1:"), std::string::npos) << not_json.error().message;
}

TEST(JsonText, ParseErrorsHaveLineAndColumn) {
    rapidjson::Document doc;
    auto r = parse_json("{\n  \"a\": 1\n  \"b\": 2\n}", "x.json", doc);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "x.json:3:3: Missing a comma or '}' after an object member.");
}

TEST(JsonText, RefusesDeepNestingInsteadOfOverflowingTheStack) {
    rapidjson::Document doc;
    auto r = parse_json(std::string(100000, '[') + std::string(100000, ']'), "deep.json", doc);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "deep.json:1:65: nested deeper than 64 levels");
    EXPECT_TRUE(
        parse_json(R"({"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})", "s", doc));
}

TEST(JsonText, RefusesEndlessFiles) {
    auto r = read_text_file("/dev/zero", 1000);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "cannot read '/dev/zero': larger than 1000 bytes");
}

TEST(JsonSchema, RejectsMistypedKeywordsInNestedObjectsToo) {
    // RapidJSON would compile "e" as a schema too and read patternProperties as an object.
    auto r = JsonSchema::compile(R"({"e": {"patternProperties": 1}})", "s");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message,
              "s is not valid JSON Schema draft-04: /e/patternProperties: patternProperties must be an object");
}
