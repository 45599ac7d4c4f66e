// pii_scorer: measures the visible-personal-data detector (check/pii.h)
// against the hand-labeled `pii_visible` lists.
//
//   pii_scorer LABELS.jsonl ROOT [--rules DIR] [--min-precision P]
//              [--min-recall R] [--verbose]
//
// A detected identifier matches a label of the same kind on the same line
// (one line of slack) whose text equals it after folding case. Prints
// precision and recall per kind and overall; exits 1 when below the given
// minimums.
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "check/pii.h"
#include "pack/pack.h"
#include "parse/parser.h"
#include "scorer/mini_json.h"

namespace ra::scorer {
namespace {

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

struct Counts {
  int tp = 0, fp = 0, fn = 0;
};

int Main(int argc, char** argv) {
  std::vector<std::string> positional;
  std::string rules = RA_DEFAULT_RULES_DIR;
  double min_p = 0, min_r = 0;
  bool verbose = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rules" && i + 1 < argc) {
      rules = argv[++i];
    } else if (a == "--min-precision" && i + 1 < argc) {
      min_p = std::atof(argv[++i]);
    } else if (a == "--min-recall" && i + 1 < argc) {
      min_r = std::atof(argv[++i]);
    } else if (a == "--verbose") {
      verbose = true;
    } else {
      positional.push_back(a);
    }
  }
  if (positional.size() != 2) {
    std::fprintf(stderr, "usage: pii_scorer LABELS.jsonl ROOT [--rules DIR]\n");
    return 2;
  }
  auto pack = RulePack::LoadFolder(rules);
  if (!pack.ok()) {
    std::fprintf(stderr, "%s\n", std::string(pack.status().message()).c_str());
    return 2;
  }
  std::string labels;
  if (!ReadFile(positional[0], &labels)) {
    std::fprintf(stderr, "cannot read %s\n", positional[0].c_str());
    return 2;
  }
  std::map<std::string, Counts> by_kind;
  std::istringstream in(labels);
  std::string row;
  int docs = 0;
  while (std::getline(in, row)) {
    if (row.empty()) continue;
    Json label;
    std::string error;
    if (!ParseJson(row, &label, &error)) {
      std::fprintf(stderr, "bad label line: %s\n", error.c_str());
      return 2;
    }
    std::string text;
    const std::string file = label["file"].string;
    if (!ReadFile(positional[1] + "/" + file, &text)) {
      std::fprintf(stderr, "cannot read %s\n", file.c_str());
      return 2;
    }
    ++docs;
    const Document doc = Parse(std::move(text), **pack);
    std::vector<PiiSpan> found = FindVisiblePii(doc, **pack);
    std::vector<bool> used(found.size(), false);
    for (const Json& want : label["pii_visible"].array) {
      const std::string kind = want["kind"].string;
      const int line = static_cast<int>(want["line"].number);
      bool hit = false;
      for (size_t i = 0; i < found.size() && !hit; ++i) {
        if (used[i] || PiiKindName(found[i].kind) != kind) continue;
        if (std::abs(found[i].line - line) > 1) continue;
        if (absl::AsciiStrToLower(found[i].text) !=
            absl::AsciiStrToLower(want["text"].string)) {
          continue;
        }
        used[i] = hit = true;
      }
      Counts& c = by_kind[kind];
      hit ? ++c.tp : ++c.fn;
      if (!hit && verbose) {
        std::printf("missed %s:%d %s %s\n", file.c_str(), line, kind.c_str(),
                    want["text"].string.c_str());
      }
    }
    for (size_t i = 0; i < found.size(); ++i) {
      if (used[i]) continue;
      ++by_kind[std::string(PiiKindName(found[i].kind))].fp;
      if (verbose) {
        std::printf("extra  %s:%d %s %s\n", file.c_str(), found[i].line,
                    std::string(PiiKindName(found[i].kind)).c_str(),
                    found[i].text.c_str());
      }
    }
  }
  Counts all;
  auto ratio = [](int a, int b) { return b == 0 ? 1.0 : static_cast<double>(a) / b; };
  std::printf("pii_scorer: %d labeled documents, pack %s\n", docs, rules.c_str());
  for (const auto& [kind, c] : by_kind) {
    std::printf("  %-10s tp %3d fp %3d fn %3d precision %.3f recall %.3f\n",
                kind.c_str(), c.tp, c.fp, c.fn, ratio(c.tp, c.tp + c.fp),
                ratio(c.tp, c.tp + c.fn));
    all.tp += c.tp;
    all.fp += c.fp;
    all.fn += c.fn;
  }
  const double p = ratio(all.tp, all.tp + all.fp);
  const double r = ratio(all.tp, all.tp + all.fn);
  std::printf("  %-10s tp %3d fp %3d fn %3d precision %.3f recall %.3f\n", "all",
              all.tp, all.fp, all.fn, p, r);
  if (p < min_p || r < min_r) {
    std::printf("FAIL: below --min-precision %.3f / --min-recall %.3f\n", min_p, min_r);
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace ra::scorer

int main(int argc, char** argv) { return ra::scorer::Main(argc, argv); }
