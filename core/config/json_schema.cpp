#include "config/json_schema.hpp"

#include <algorithm>
#include <cstring>
#include <optional>

#include "config/draft04_meta_schema.hpp"
#include "config/json_text.hpp"

namespace switchboard::core {

namespace {

const rapidjson::Value* at(const rapidjson::Value& root, const rapidjson::Pointer& p) {
    return p.Get(const_cast<rapidjson::Value&>(root));
}

std::string shown_value(const rapidjson::Value& v, const std::string& pointer, const Redactions& redactions) {
    if (auto it = redactions.find(pointer); it != redactions.end())
        return "the value of \"" + it->second + "\" (hidden)";
    return std::string(json_type_name(v)) + " " + describe_value(v);
}

std::string join_pointer(const std::string& base, const std::string& rel) {
    if (base.empty() && rel.empty()) return "/";
    return base + rel;
}

/// One sentence for the first violation the validator found.
std::string explain(const rapidjson::Value& schema_root, const rapidjson::SchemaValidator& validator,
                    const rapidjson::Value& doc_root, const std::string& base, const Redactions& redactions) {
    const std::string keyword = validator.GetInvalidSchemaKeyword();
    const auto schema_ptr = validator.GetInvalidSchemaPointer();
    const auto doc_ptr = validator.GetInvalidDocumentPointer();
    const std::string rel = pointer_string(doc_ptr);
    const std::string where = join_pointer(base, rel);
    const rapidjson::Value* schema = at(schema_root, schema_ptr);
    const rapidjson::Value* value = at(doc_root, doc_ptr);
    if (!schema || !value) return where + ": does not match the schema (" + keyword + ")";
    const std::string found = shown_value(*value, base + rel, redactions);

    auto member = [&](const char* name) -> const rapidjson::Value* {
        if (!schema->IsObject()) return nullptr;
        auto it = schema->FindMember(name);
        return it == schema->MemberEnd() ? nullptr : &it->value;
    };

    if (keyword == "type") {
        std::string wanted;
        if (auto* t = member("type")) {
            if (t->IsString()) {
                wanted = t->GetString();
            } else if (t->IsArray()) {
                for (auto& e : t->GetArray()) wanted += (wanted.empty() ? "" : " or ") + std::string(e.GetString());
            }
        }
        return where + ": expected " + wanted + ", found " + found;
    }
    if (keyword == "required" && value->IsObject()) {
        if (auto* req = member("required"); req && req->IsArray())
            for (auto& name : req->GetArray())
                if (!value->HasMember(name))
                    return where + ": missing required field \"" + std::string(name.GetString()) + "\"";
    }
    if (keyword == "additionalProperties") {
        // RapidJSON points at the offending member; name it from its parent object.
        std::string parent = rel, key;
        if (!value->IsObject() && doc_ptr.GetTokenCount() > 0) {
            const auto& last = doc_ptr.GetTokens()[doc_ptr.GetTokenCount() - 1];
            key.assign(last.name, last.length);
            parent = pointer_string(rapidjson::Pointer(doc_ptr.GetTokens(), doc_ptr.GetTokenCount() - 1));
        } else if (value->IsObject()) {
            const auto* props = member("properties");
            for (auto& m : value->GetObject())
                if (!props || !props->IsObject() || !props->HasMember(m.name)) {
                    key = m.name.GetString();
                    break;
                }
        }
        std::string allowed;
        if (const auto* props = member("properties"); props && props->IsObject())
            for (auto& m : props->GetObject())
                allowed += (allowed.empty() ? "" : ", ") + std::string(m.name.GetString());
        return join_pointer(base, parent) + ": unknown key \"" + key + "\"" +
               (allowed.empty() ? std::string() : " (known keys: " + allowed + ")");
    }
    if (keyword == "enum") {
        std::string options;
        if (auto* e = member("enum"); e && e->IsArray())
            for (auto& o : e->GetArray()) options += (options.empty() ? "" : ", ") + describe_value(o);
        return where + ": expected one of " + options + ", found " + found;
    }
    if (keyword == "minimum" || keyword == "maximum") {
        auto* bound = member(keyword.c_str());
        auto* exclusive = member(keyword == "minimum" ? "exclusiveMinimum" : "exclusiveMaximum");
        bool strict = exclusive && exclusive->IsBool() && exclusive->GetBool();
        std::string op = keyword == "minimum" ? (strict ? ">" : ">=") : (strict ? "<" : "<=");
        return where + ": must be " + op + " " + (bound ? describe_value(*bound) : "?") + ", found " + found;
    }
    if (keyword == "pattern") {
        auto* p = member("pattern");
        return where + ": must match the pattern " + (p ? describe_value(*p) : "?") + ", found " + found;
    }
    if (auto* limit = member(keyword.c_str()))
        return where + ": violates \"" + keyword + "\": " + describe_value(*limit) + ", found " + found;
    return where + ": does not match the schema (" + keyword + "), found " + found;
}

/// The pointer of the first "patternProperties" member, at any depth, that is not an
/// object.
std::optional<std::string> find_non_object_pattern_properties(const rapidjson::Value& v, const std::string& at) {
    if (v.IsObject()) {
        for (auto& m : v.GetObject()) {
            const std::string here = at + "/" + std::string(m.name.GetString(), m.name.GetStringLength());
            if (std::string_view(m.name.GetString(), m.name.GetStringLength()) == "patternProperties" &&
                !m.value.IsObject())
                return here;
            if (auto bad = find_non_object_pattern_properties(m.value, here)) return bad;
        }
    } else if (v.IsArray()) {
        for (rapidjson::SizeType i = 0; i < v.Size(); ++i)
            if (auto bad = find_non_object_pattern_properties(v[i], at + "/" + std::to_string(i))) return bad;
    }
    return std::nullopt;
}

}  // namespace

JsonSchema::JsonSchema(std::unique_ptr<rapidjson::Document> document)
    : m_document(std::move(document)), m_schema(std::make_unique<rapidjson::SchemaDocument>(*m_document)) {}

Result<std::shared_ptr<const JsonSchema>> JsonSchema::compile(std::string_view schema_json, std::string_view origin) {
    auto doc = std::make_unique<rapidjson::Document>();
    if (auto r = parse_json(schema_json, origin, *doc); !r) return r.error();
    if (!doc->IsObject()) return Error::invalid(std::string(origin) + ": a schema must be a JSON object");

    // Validate against the meta-schema; compiled once per process.
    static const auto meta = [] {
        auto d = std::make_unique<rapidjson::Document>();
        d->Parse(draft04_meta_schema);
        return std::make_shared<JsonSchema>(std::move(d));
    }();
    if (auto r = meta->validate(*doc, ""); !r)
        return Error::invalid(std::string(origin) + " is not valid JSON Schema draft-04: " + r.error().message);
    // RapidJSON 1.1 also compiles every object found anywhere in the document (any could
    // be a $ref target) and reads "patternProperties" there as an object without
    // checking: refuse what would make it read a number or a string as one.
    if (auto bad = find_non_object_pattern_properties(*doc, ""))
        return Error::invalid(std::string(origin) + " is not valid JSON Schema draft-04: " + *bad +
                              ": patternProperties must be an object");
    return std::shared_ptr<const JsonSchema>(std::make_shared<JsonSchema>(std::move(doc)));
}

Result<void> JsonSchema::validate(const rapidjson::Value& value, const std::string& base_pointer,
                                  const Redactions& redactions) const {
    rapidjson::SchemaValidator validator(*m_schema);
    if (value.Accept(validator)) return {};
    return Error::invalid(explain(*m_document, validator, value, base_pointer, redactions));
}

}  // namespace switchboard::core
