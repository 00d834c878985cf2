/// \file substitution.hpp
/// \brief ${env:NAME} and ${file:PATH} in config strings, so secrets stay out of configs.
///
/// Every string in the document is scanned; each `${env:NAME}` becomes the variable's
/// value and each `${file:PATH}` the file's content (one trailing newline removed; a
/// relative PATH is taken from the config file's folder). The strings that changed are
/// remembered so that error messages can show the reference instead of the secret.
#pragma once

#include <map>
#include <string>

#include <rapidjson/document.h>

#include <switchboard/errors.hpp>

namespace switchboard::core {

/// JSON pointer -> the original text (with the ${...} references) of a substituted string.
using Redactions = std::map<std::string, std::string>;

/// Substitutes in place. `base_dir` resolves relative ${file:...} paths. Fails on the
/// first unset variable or unreadable file, naming the JSON pointer and the reference.
Result<Redactions> substitute_references(rapidjson::Document& doc, const std::string& base_dir);

}  // namespace switchboard::core
