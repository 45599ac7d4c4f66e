#include "args.h"

#include "absl/strings/str_cat.h"

namespace ra::cli {

absl::StatusOr<Args> ParseArgs(const std::vector<std::string>& argv,
                               const OptionSpec& spec) {
  Args out;
  bool options_done = false;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (options_done || a.size() < 3 || a.compare(0, 2, "--") != 0) {
      if (a == "--") {
        options_done = true;
        continue;
      }
      out.positional.push_back(a);
      continue;
    }
    std::string name = a.substr(2);
    std::string value;
    bool has_value = false;
    const size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    if (spec.flags.count(name)) {
      if (has_value) {
        return absl::InvalidArgumentError(
            absl::StrCat("option --", name, " takes no value"));
      }
      out.flags.insert(name);
      continue;
    }
    if (!spec.valued.count(name)) {
      return absl::InvalidArgumentError(absl::StrCat("unknown option --", name));
    }
    if (!has_value) {
      if (i + 1 >= argv.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("option --", name, " needs a value"));
      }
      value = argv[++i];
    }
    out.values[name] = value;
  }
  return out;
}

}  // namespace ra::cli
