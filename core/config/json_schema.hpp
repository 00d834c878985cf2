/// \file json_schema.hpp
/// \brief A compiled JSON Schema (draft-04, RapidJSON's validator) with readable errors.
///
/// RapidJSON 1.1 reports a failure as (schema pointer, keyword, document pointer); this
/// turns that into one sentence naming the document pointer, what the schema wanted and
/// what was found:
///   /nodes/0/config/width: expected integer, found string "wide"
///   /nodes/1/config: missing required field "path"
///   /: unknown key "nodez"
/// Values that came from ${env:...}/${file:...} are never shown; the reference is.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/schema.h>

#include <switchboard/errors.hpp>

#include "config/substitution.hpp"

namespace switchboard::core {

class JsonSchema {
public:
    /// Parses `schema_json`, checks it against the draft-04 meta-schema and compiles it.
    /// `origin` names it in errors ("schema of file.sink").
    static Result<std::shared_ptr<const JsonSchema>> compile(std::string_view schema_json, std::string_view origin);

    /// Validates `value`, which lives at `base_pointer` in the document it came from.
    Result<void> validate(const rapidjson::Value& value, const std::string& base_pointer,
                          const Redactions& redactions = {}) const;

    /// The schema as parsed, for `switchboard plugins`.
    const rapidjson::Document& document() const noexcept { return *m_document; }

    JsonSchema(std::unique_ptr<rapidjson::Document> document);

private:
    std::unique_ptr<rapidjson::Document> m_document;
    std::unique_ptr<rapidjson::SchemaDocument> m_schema;
};

}  // namespace switchboard::core
