// Command-line parsing for the `einvoice` CLI: options declared up front (OptionSpec), then
// ParseArgs() splits a token list into positionals and option values.
//
// Accepted forms: `--name value`, `--name=value`, boolean `--flag`, and `--` (everything after
// it is positional). Options may appear before, between or after positionals. Errors are
// InvalidArgument with a message naming the offending token; the caller reports them as usage
// errors. Pure functions; thread-safe.
#ifndef EINVOICE_TOOLS_CLI_ARGS_H_
#define EINVOICE_TOOLS_CLI_ARGS_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace einvoice::cli {

struct OptionSpec {
  // Without the leading "--", e.g. "seller".
  std::string name;
  // Name of the value in help ("MST"); empty for a boolean flag.
  std::string value_name;
  // One line of help.
  std::string help;
  // May be given more than once (values are kept in order); otherwise a repeat is an error.
  bool repeated = false;

  bool takes_value() const { return !value_name.empty(); }
};

// The result of parsing.
class ParsedArgs {
 public:
  const std::vector<std::string>& positionals() const { return positionals_; }
  // True if the option (flag or valued) was given at least once.
  bool Has(absl::string_view name) const;
  // The (last) value of a valued option; nullopt if absent.
  std::optional<std::string> Get(absl::string_view name) const;
  // The value, or `fallback` if absent.
  std::string GetOr(absl::string_view name, absl::string_view fallback) const;
  // Every value of a repeated option, in command-line order.
  std::vector<std::string> GetAll(absl::string_view name) const;

  void AddPositional(std::string value) { positionals_.push_back(std::move(value)); }
  void AddOption(const std::string& name, std::string value) {
    options_[name].push_back(std::move(value));
  }

 private:
  std::vector<std::string> positionals_;
  std::map<std::string, std::vector<std::string>, std::less<>> options_;
};

// Parses `tokens` against `specs`. InvalidArgument for an unknown option, a missing value, a
// value given to a flag, or a non-repeated option given twice.
absl::StatusOr<ParsedArgs> ParseArgs(const std::vector<std::string>& tokens,
                                     const std::vector<OptionSpec>& specs);

// The spec named `name` (without "--"), or nullptr.
const OptionSpec* FindOption(const std::vector<OptionSpec>& specs, absl::string_view name);

}  // namespace einvoice::cli

#endif  // EINVOICE_TOOLS_CLI_ARGS_H_
