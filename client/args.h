// Command-line parsing for the CLI: a command word, positional arguments and
// --name value / --name=value options, each command declaring what it takes.
#ifndef RA_CLIENT_ARGS_H_
#define RA_CLIENT_ARGS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace ra::cli {

struct OptionSpec {
  std::set<std::string> valued;  // options that take a value
  std::set<std::string> flags;   // boolean options
};

struct Args {
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  // last one wins
  std::set<std::string> flags;

  bool Has(const std::string& name) const { return values.count(name) > 0; }
  std::string Get(const std::string& name, const std::string& def = "") const {
    auto it = values.find(name);
    return it == values.end() ? def : it->second;
  }
  bool Flag(const std::string& name) const { return flags.count(name) > 0; }
};

// INVALID_ARGUMENT naming the unknown option or the missing value.
absl::StatusOr<Args> ParseArgs(const std::vector<std::string>& argv,
                               const OptionSpec& spec);

}  // namespace ra::cli

#endif  // RA_CLIENT_ARGS_H_
