#include "tools/cli/args.h"

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace einvoice::cli {

bool ParsedArgs::Has(absl::string_view name) const { return options_.find(name) != options_.end(); }

std::optional<std::string> ParsedArgs::Get(absl::string_view name) const {
  auto it = options_.find(name);
  if (it == options_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::string ParsedArgs::GetOr(absl::string_view name, absl::string_view fallback) const {
  std::optional<std::string> value = Get(name);
  return value.has_value() ? *value : std::string(fallback);
}

std::vector<std::string> ParsedArgs::GetAll(absl::string_view name) const {
  auto it = options_.find(name);
  return it == options_.end() ? std::vector<std::string>() : it->second;
}

const OptionSpec* FindOption(const std::vector<OptionSpec>& specs, absl::string_view name) {
  for (const OptionSpec& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& tokens,
                                     const std::vector<OptionSpec>& specs) {
  ParsedArgs parsed;
  bool options_ended = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& token = tokens[i];
    if (options_ended || token == "-" || !absl::StartsWith(token, "-")) {
      parsed.AddPositional(token);
      continue;
    }
    if (token == "--") {
      options_ended = true;
      continue;
    }
    if (!absl::StartsWith(token, "--")) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown option ", token, " (options are spelled --name)"));
    }
    absl::string_view body = absl::string_view(token).substr(2);
    std::optional<std::string> inline_value;
    if (size_t eq = body.find('='); eq != absl::string_view::npos) {
      inline_value = std::string(body.substr(eq + 1));
      body = body.substr(0, eq);
    }
    const OptionSpec* spec = FindOption(specs, body);
    if (spec == nullptr) return absl::InvalidArgumentError(absl::StrCat("unknown option --", body));
    if (!spec->repeated && parsed.Has(spec->name)) {
      return absl::InvalidArgumentError(absl::StrCat("option --", body, " given more than once"));
    }
    if (!spec->takes_value()) {
      if (inline_value.has_value()) {
        return absl::InvalidArgumentError(absl::StrCat("option --", body, " takes no value"));
      }
      parsed.AddOption(spec->name, "");
      continue;
    }
    if (inline_value.has_value()) {
      parsed.AddOption(spec->name, *std::move(inline_value));
      continue;
    }
    if (i + 1 >= tokens.size() || absl::StartsWith(tokens[i + 1], "--")) {
      return absl::InvalidArgumentError(
          absl::StrCat("option --", body, " needs a value (", spec->value_name, ")"));
    }
    parsed.AddOption(spec->name, tokens[++i]);
  }
  return parsed;
}

}  // namespace einvoice::cli
