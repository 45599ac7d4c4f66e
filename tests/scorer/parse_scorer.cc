// parse_scorer: measures the parse stage against hand-labeled documents.
//
//   parse_scorer LABELS.jsonl ROOT [--rules DIR] [--check] [--verbose]
//   parse_scorer --inspect-json INSPECT.jsonl LABELS.jsonl [--rules DIR] [--check] [--verbose]
//
// Parses ROOT/<file> for every label line (or, with --inspect-json, reads
// what `redaction-audit inspect --format json` printed for it: one JSON
// object per line whose "file" ends with the label's file) and prints disposition accuracy,
// stamp code-set exact-match rate, mark precision/recall/F1 (a mark matches
// a label with the same canonical code within one line), page-header
// case/doc/date exact-set rates and the classification exact rate with the
// count of false blocks. With --check, exits 1 when a figure is below the
// thresholds the fixtures test enforces.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "model/document.h"
#include "pack/pack.h"
#include "parse/parser.h"
#include "scorer/mini_json.h"

namespace ra::scorer {
namespace {

struct Thresholds {
  double disposition = 0.99;
  double stamp = 0.97;
  double marks_f1 = 0.95;
  double headers = 0.98;
  double classification = 0.95;
  int false_blocks = 0;
};

bool ReadFile(const std::string& path, std::string* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return true;
}

// Canonical code of a label spelling ("B6", "B3 CIA", "1.4(D)").
std::string Canonical(const RulePack& pack, std::string label) {
  const size_t space = label.find(' ');
  if (space != std::string::npos && pack.Lookup(label) == nullptr) label.resize(space);
  const CodeMatch* m = pack.Lookup(label);
  return m != nullptr ? m->code : "?" + label;
}

std::vector<std::string> Strings(const Json& array) {
  std::vector<std::string> out;
  for (const Json& v : array.array) out.push_back(v.string);
  return out;
}

std::string Join(const std::set<std::string>& s) {
  std::string out;
  for (const std::string& x : s) out += (out.empty() ? "" : " ") + x;
  return "{" + out + "}";
}

// What the parse stage saw in one document, from a Document or from the
// JSON the CLI's inspect command prints.
struct Parsed {
  std::string disposition;          // "NONE", "FULL", "PART", "DENIED"
  std::set<std::string> stamp;      // canonical codes; "?printed" when unknown
  struct M {
    int line;
    std::string code;  // canonical; "?printed" when unknown
    std::string printed;
  };
  std::vector<M> marks;
  std::vector<std::string> case_numbers, doc_numbers, release_dates;
  bool has_classification = false;
  int classification_line = 0;
  std::string level, declassify_on, classified_by;
  std::vector<std::string> reasons;
};

Parsed FromDocument(const Document& doc) {
  Parsed p;
  p.disposition = std::string(DispositionName(doc.stamp.disposition));
  for (const Mark& m : doc.stamp.codes) p.stamp.insert(m.code.empty() ? "?" + m.printed : m.code);
  for (const Mark& m : doc.marks) {
    p.marks.push_back({m.line, m.code.empty() ? "?" + m.printed : m.code, m.printed});
  }
  p.case_numbers = doc.case_numbers;
  p.doc_numbers = doc.doc_numbers;
  p.release_dates = doc.release_dates;
  if (doc.classification.has_value()) {
    const Classification& c = *doc.classification;
    p.has_classification = true;
    p.classification_line = c.line;
    p.level = c.level;
    p.reasons = c.reasons;
    p.declassify_on = c.declassify_on;
    p.classified_by = c.classified_by;
  }
  return p;
}

Parsed FromInspectJson(const Json& j) {
  Parsed p;
  p.disposition = j["disposition"].string;
  for (const Json& c : j["stamp_codes"].array) p.stamp.insert(c.string);
  for (const Json& m : j["marks"].array) {
    const std::string printed = m["printed"].string;
    const std::string code = m["code"].string;
    p.marks.push_back({static_cast<int>(m["line"].number), code.empty() ? "?" + printed : code,
                       printed});
  }
  for (const Json& v : j["case_numbers"].array) p.case_numbers.push_back(v.string);
  for (const Json& v : j["doc_numbers"].array) p.doc_numbers.push_back(v.string);
  for (const Json& v : j["release_dates"].array) p.release_dates.push_back(v.string);
  const Json& c = j["classification"];
  if (!c.is_null()) {
    p.has_classification = true;
    p.level = c["level"].string;
    for (const Json& r : c["reasons"].array) p.reasons.push_back(r.string);
    p.declassify_on = c["declassify_on"].string;
    p.classified_by = c["classified_by"].string;
  }
  return p;
}

struct Totals {
  int docs = 0;
  int disposition_ok = 0;
  int stamp_ok = 0;
  int tp = 0, fp = 0, fn = 0;
  int case_ok = 0, doc_ok = 0, date_ok = 0;
  int class_ok = 0, false_blocks = 0;
};

void ScoreOne(const Json& label, const Parsed& doc, const RulePack& pack, bool verbose,
              Totals* t) {
  const std::string file = label["file"].string;
  auto report = [&](const std::string& what) {
    if (verbose) std::printf("%s: %s\n", file.c_str(), what.c_str());
  };
  ++t->docs;
  const std::string& disposition = doc.disposition;
  if (disposition == label["disposition"].string) {
    ++t->disposition_ok;
  } else {
    report("disposition " + disposition + " want " + label["disposition"].string);
  }

  std::set<std::string> want_stamp;
  const std::set<std::string>& got_stamp = doc.stamp;
  for (const std::string& c : Strings(label["stamp_codes"])) want_stamp.insert(Canonical(pack, c));
  if (want_stamp == got_stamp) {
    ++t->stamp_ok;
  } else {
    report("stamp " + Join(got_stamp) + " want " + Join(want_stamp));
  }

  // Marks: greedy one-to-one matching, same code within one line.
  struct Want { int line; std::string code; bool used; };
  std::vector<Want> wants;
  for (const Json& m : label["inline_codes"].array) {
    wants.push_back(Want{static_cast<int>(m["line"].number), Canonical(pack, m["code"].string), false});
  }
  for (const Parsed::M& m : doc.marks) {
    bool matched = false;
    for (int d : {0, -1, 1}) {
      for (Want& w : wants) {
        if (!w.used && w.code == m.code && w.line == m.line + d) {
          w.used = matched = true;
          break;
        }
      }
      if (matched) break;
    }
    if (matched) {
      ++t->tp;
    } else {
      ++t->fp;
      report("extra mark line " + std::to_string(m.line) + " " + m.printed + " -> " + m.code);
    }
  }
  for (const Want& w : wants) {
    if (w.used) continue;
    ++t->fn;
    report("missed mark line " + std::to_string(w.line) + " " + w.code);
  }

  auto set_of = [](const std::vector<std::string>& v) {
    return std::set<std::string>(v.begin(), v.end());
  };
  auto check_set = [&](const char* key, const std::vector<std::string>& got, int* ok) {
    const std::set<std::string> want = set_of(Strings(label[key]));
    if (want == set_of(got)) {
      ++*ok;
    } else {
      report(std::string(key) + " " + Join(set_of(got)) + " want " + Join(want));
    }
  };
  check_set("case_numbers", doc.case_numbers, &t->case_ok);
  check_set("doc_numbers", doc.doc_numbers, &t->doc_ok);
  check_set("release_dates", doc.release_dates, &t->date_ok);

  const Json& cls = label["classification"];
  if (cls.is_null()) {
    if (doc.has_classification) {
      ++t->false_blocks;
      report("false classification block at line " + std::to_string(doc.classification_line));
    } else {
      ++t->class_ok;
    }
  } else if (!doc.has_classification) {
    report("missed classification block");
  } else {
    const Parsed& c = doc;
    std::vector<std::string> want_reasons;
    for (const std::string& r : Strings(cls["reasons"])) want_reasons.push_back(Canonical(pack, r));
    const bool ok = c.level == cls["level"].string && c.reasons == want_reasons &&
                    c.declassify_on == cls["declassify_on"].string &&
                    c.classified_by == cls["classified_by"].string;
    if (ok) {
      ++t->class_ok;
    } else {
      report("classification '" + c.level + "' '" + c.declassify_on + "' '" + c.classified_by +
             "' " + std::to_string(c.reasons.size()) + " reasons");
    }
  }
}

// Reads the JSON Lines `inspect --format json` printed: one object a line.
bool ReadInspectJson(const std::string& path, std::vector<Json>* out) {
  std::string text;
  if (!ReadFile(path, &text)) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return false;
  }
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Json j;
    std::string error;
    if (!ParseJson(line, &j, &error)) {
      std::fprintf(stderr, "%s:%d: %s\n", path.c_str(), line_no, error.c_str());
      return false;
    }
    if (j["file"].string.empty()) {
      std::fprintf(stderr, "%s:%d: no \"file\" member\n", path.c_str(), line_no);
      return false;
    }
    out->push_back(std::move(j));
  }
  return true;
}

// The inspect object whose "file" is `file` or ends with "/" + `file`.
const Json* FindInspected(const std::vector<Json>& inspected, const std::string& file) {
  for (const Json& j : inspected) {
    const std::string& f = j["file"].string;
    if (f == file || (f.size() > file.size() && f[f.size() - file.size() - 1] == '/' &&
                      f.compare(f.size() - file.size(), file.size(), file) == 0)) {
      return &j;
    }
  }
  return nullptr;
}

int Run(int argc, char** argv) {
  std::string labels_path, root, rules, inspect_json;
  bool check = false, verbose = false;
  std::vector<std::string> positional;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--check") check = true;
    else if (a == "--verbose") verbose = true;
    else if (a == "--rules" && i + 1 < argc) rules = argv[++i];
    else if (a == "--inspect-json" && i + 1 < argc) inspect_json = argv[++i];
    else positional.push_back(a);
  }
  if (positional.size() != (inspect_json.empty() ? 2u : 1u)) {
    std::fprintf(stderr,
                 "usage: parse_scorer LABELS.jsonl ROOT [--rules DIR] [--check] [--verbose]\n"
                 "       parse_scorer --inspect-json INSPECT.jsonl LABELS.jsonl [--rules DIR] "
                 "[--check] [--verbose]\n");
    return 2;
  }
  labels_path = positional[0];
  if (inspect_json.empty()) root = positional[1];
  std::vector<Json> inspected;
  if (!inspect_json.empty() && !ReadInspectJson(inspect_json, &inspected)) return 2;
  if (rules.empty()) rules = RA_DEFAULT_RULES_DIR;
  auto pack = RulePack::LoadFolder(rules);
  if (!pack.ok()) {
    std::fprintf(stderr, "rules: %s\n", pack.status().ToString().c_str());
    return 2;
  }
  std::string labels;
  if (!ReadFile(labels_path, &labels)) {
    std::fprintf(stderr, "cannot read %s\n", labels_path.c_str());
    return 2;
  }
  Totals t;
  std::istringstream in(labels);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Json label;
    std::string error;
    if (!ParseJson(line, &label, &error)) {
      std::fprintf(stderr, "%s:%d: %s\n", labels_path.c_str(), line_no, error.c_str());
      return 2;
    }
    if (!inspect_json.empty()) {
      const Json* j = FindInspected(inspected, label["file"].string);
      if (j == nullptr) {
        std::fprintf(stderr, "%s: no inspect output for %s\n", inspect_json.c_str(),
                     label["file"].string.c_str());
        return 2;
      }
      ScoreOne(label, FromInspectJson(*j), **pack, verbose, &t);
      continue;
    }
    std::string text;
    const std::string path = root + "/" + label["file"].string;
    if (!ReadFile(path, &text)) {
      std::fprintf(stderr, "cannot read %s\n", path.c_str());
      return 2;
    }
    const Document doc = Parse(std::move(text), **pack);
    ScoreOne(label, FromDocument(doc), **pack, verbose, &t);
  }
  if (t.docs == 0) {
    std::fprintf(stderr, "no labels\n");
    return 2;
  }
  const double n = t.docs;
  const double precision = t.tp + t.fp ? double(t.tp) / (t.tp + t.fp) : 1.0;
  const double recall = t.tp + t.fn ? double(t.tp) / (t.tp + t.fn) : 1.0;
  const double f1 = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
  const double headers = std::min({t.case_ok / n, t.doc_ok / n, t.date_ok / n});
  std::printf("documents             %d\n", t.docs);
  std::printf("disposition accuracy  %.4f (%d/%d)\n", t.disposition_ok / n, t.disposition_ok, t.docs);
  std::printf("stamp codes exact     %.4f (%d/%d)\n", t.stamp_ok / n, t.stamp_ok, t.docs);
  std::printf("marks precision       %.4f (tp %d, fp %d)\n", precision, t.tp, t.fp);
  std::printf("marks recall          %.4f (fn %d)\n", recall, t.fn);
  std::printf("marks F1              %.4f\n", f1);
  std::printf("header case numbers   %.4f (%d/%d)\n", t.case_ok / n, t.case_ok, t.docs);
  std::printf("header doc numbers    %.4f (%d/%d)\n", t.doc_ok / n, t.doc_ok, t.docs);
  std::printf("header release dates  %.4f (%d/%d)\n", t.date_ok / n, t.date_ok, t.docs);
  std::printf("classification exact  %.4f (%d/%d), false blocks %d\n", t.class_ok / n,
              t.class_ok, t.docs, t.false_blocks);
  if (!check) return 0;
  const Thresholds th;
  bool pass = true;
  auto need = [&](const char* what, double got, double min) {
    if (got + 1e-9 < min) {
      std::printf("FAIL: %s %.4f < %.2f\n", what, got, min);
      pass = false;
    }
  };
  need("disposition", t.disposition_ok / n, th.disposition);
  need("stamp", t.stamp_ok / n, th.stamp);
  need("marks F1", f1, th.marks_f1);
  need("headers", headers, th.headers);
  need("classification", t.class_ok / n, th.classification);
  if (t.false_blocks > th.false_blocks) {
    std::printf("FAIL: %d false classification blocks\n", t.false_blocks);
    pass = false;
  }
  std::printf("%s\n", pass ? "PASS" : "FAIL");
  return pass ? 0 : 1;
}

}  // namespace
}  // namespace ra::scorer

int main(int argc, char** argv) { return ra::scorer::Run(argc, argv); }
