// mutation_test: injects each defect kind of issue 4 into real released
// documents and measures how often the matching rule catches it.
//
//   mutation_test [--rules DIR] [--max-docs N] [--min-rate R] FOLDER...
//
// Every *.txt under FOLDER (recursively, sorted, at most N per folder) is
// parsed and checked with metadata taken from its own page headers and a
// request date of 2016-06-01. For each defect kind that applies to the
// document a mutant is made, parsed and checked; the mutant is detected when
// a finding of the kind's rule appears whose fingerprint the original does
// not have. Controls: the original, checked again through the same harness,
// must give the same findings, and a B5-marked original dated its real date
// must not trip the 25-year rule. Prints per-kind rates; exits 1 when a
// kind with mutants is below R (default 0.95) or a control fails.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "check/checker.h"
#include "check/dates.h"
#include "model/document.h"
#include "pack/pack.h"
#include "parse/parser.h"

namespace ra {
namespace {
namespace fs = std::filesystem;

constexpr char kRequestDate[] = "2016-06-01";

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(text);
  while (std::getline(in, cur)) out.push_back(cur);
  return out;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

struct Checked {
  Document doc;
  std::vector<Finding> findings;
};

Checked Run(const std::string& text, const ReleaseMetadata& md, const RulePack& pack) {
  Checked c;
  c.doc = Parse(text, pack);
  c.findings = CheckDocument(c.doc, md, pack);
  return c;
}

// Metadata as a correct release would give it: the document's own headers.
ReleaseMetadata MetadataOf(const Document& doc) {
  ReleaseMetadata md;
  if (!doc.case_numbers.empty()) md.case_number = doc.case_numbers[0];
  if (!doc.doc_numbers.empty()) md.doc_number = doc.doc_numbers[0];
  if (!doc.release_dates.empty()) {
    if (auto d = ParseDate(doc.release_dates[0])) md.release_date = d->Iso();
  }
  md.request_date = kRequestDate;
  return md;
}

bool NewFinding(const Checked& original, const Checked& mutant,
                const std::set<std::string>& rules) {
  std::set<std::string> before;
  for (const Finding& f : original.findings) before.insert(f.rule_id + f.fingerprint);
  for (const Finding& f : mutant.findings) {
    if (rules.count(f.rule_id) && !before.count(f.rule_id + f.fingerprint)) return true;
  }
  return false;
}

struct Mutant {
  std::string text;
  ReleaseMetadata md;
};

// Body-text line in the middle of the document, away from headers/stamp.
int MiddleLine(const Document& doc) {
  return std::max(1, doc.line_count() / 2);
}

bool HasCode(const std::vector<Mark>& marks, const std::string& code) {
  return std::any_of(marks.begin(), marks.end(),
                     [&](const Mark& m) { return m.code == code; });
}

using MutateFn = bool (*)(const Document&, const ReleaseMetadata&, Mutant*);

bool DropMark(const Document& doc, const ReleaseMetadata& md, Mutant* out) {
  if (doc.stamp.disposition != Disposition::kPart) return false;
  std::map<std::string, int> count;
  for (const Mark& m : doc.marks) ++count[m.code];
  for (const Mark& m : doc.marks) {
    if (m.code.empty() || count[m.code] != 1 || !HasCode(doc.stamp.codes, m.code)) continue;
    std::vector<std::string> lines = Lines(doc.text);
    std::string& l = lines[m.line - 1];
    l.replace(m.column, m.length, std::string(m.length, ' '));
    out->text = Join(lines);
    out->md = md;
    return true;
  }
  return false;
}

bool AddStampedCode(const Document& doc, const ReleaseMetadata& md, Mutant* out) {
  if (doc.stamp.codes.empty()) return false;
  const std::string code = HasCode(doc.stamp.codes, "(b)(4)") ? "B8" : "B4";
  if (HasCode(doc.marks, code == "B4" ? "(b)(4)" : "(b)(8)")) return false;
  const Mark& last = doc.stamp.codes.back();
  std::vector<std::string> lines = Lines(doc.text);
  std::string& l = lines[last.line - 1];
  const size_t end = std::min(l.size(), static_cast<size_t>(last.column + last.length));
  l.insert(end, "," + code);
  out->text = Join(lines);
  out->md = md;
  return true;
}

bool AddUnknownCode(const Document& doc, const ReleaseMetadata& md, Mutant* out) {
  for (const Mark& m : doc.marks) {
    if (m.code != "(b)(6)" || m.printed != "B6") continue;
    std::vector<std::string> lines = Lines(doc.text);
    lines[m.line - 1].replace(m.column, m.length, "B66");
    out->text = Join(lines);
    out->md = md;
    return true;
  }
  return false;
}

bool InsertLine(const Document& doc, const ReleaseMetadata& md, const std::string& text,
                Mutant* out) {
  if (doc.line_count() < 4) return false;
  std::vector<std::string> lines = Lines(doc.text);
  lines.insert(lines.begin() + MiddleLine(doc), text);
  out->text = Join(lines);
  out->md = md;
  return true;
}

bool InsertSsn(const Document& doc, const ReleaseMetadata& md, Mutant* out) {
  return InsertLine(doc, md, "His SSN is 123-45-6789 if you need it.", out);
}
bool InsertPhone(const Document& doc, const ReleaseMetadata& md, Mutant* out) {
  return InsertLine(doc, md, "Call my cell (703) 555-0142 tonight.", out);
}
bool InsertEmail(const Document& doc, const ReleaseMetadata& md, Mutant* out) {
  return InsertLine(doc, md, "Write to me at jane.q.doe1961@gmail.com instead.", out);
}

bool StripClassification(const Document& doc, const ReleaseMetadata& md, Mutant* out) {
  if (!doc.classification.has_value()) return false;
  if (!HasCode(doc.marks, "(b)(1)") && !HasCode(doc.stamp.codes, "(b)(1)")) return false;
  static const char* const kKeys[] = {"Classified by", "Class:", "CONFIDENTIAL",
                                      "SECRET", "Reason", "Declassify", "1.4("};
  std::vector<std::string> lines = Lines(doc.text);
  const int first = std::max(1, doc.classification->line - 1);
  const int last = std::min(static_cast<int>(lines.size()), doc.classification->line + 3);
  for (int i = first; i <= last; ++i) {
    std::string& l = lines[i - 1];
    size_t cut = std::string::npos;
    for (const char* k : kKeys) cut = std::min(cut, l.find(k));
    // A date line continuing the block ("08/01/2024" alone).
    if (cut == std::string::npos && i > doc.classification->line &&
        l.find_first_not_of(" 0123456789/") == std::string::npos) {
      cut = 0;
    }
    if (cut != std::string::npos) l.erase(cut);
  }
  out->text = Join(lines);
  out->md = md;
  return true;
}

bool ChangeCaseNumber(const Document& doc, const ReleaseMetadata& md, Mutant* out) {
  if (md.case_number.size() < 3) return false;
  for (const PageHeader& h : doc.page_headers) {
    if (h.case_number != md.case_number) continue;
    std::vector<std::string> lines = Lines(doc.text);
    std::string& l = lines[h.line - 1];
    const size_t at = l.find(h.case_number);
    if (at == std::string::npos) continue;
    std::string changed = h.case_number;
    // Another digit, not a look-alike: last digit + 3 (mod 10).
    char& c = changed.back();
    if (c < '0' || c > '9') continue;
    c = static_cast<char>('0' + (c - '0' + 3) % 10);
    l.replace(at, h.case_number.size(), changed);
    out->text = Join(lines);
    out->md = md;
    return true;
  }
  return false;
}

bool DateB5Old(const Document& doc, const ReleaseMetadata& md, Mutant* out) {
  if (!HasCode(doc.marks, "(b)(5)") && !HasCode(doc.stamp.codes, "(b)(5)")) return false;
  out->md = md;
  out->text = doc.text;
  // Rewrite the first dated Sent:/Date: header's year; else date the metadata.
  for (const EmailHeader& h : doc.email_headers) {
    if (h.field != "Sent" && h.field != "Date") continue;
    const auto d = ParseDate(h.value);
    if (!d) continue;
    std::vector<std::string> lines = Lines(doc.text);
    std::string& l = lines[h.line - 1];
    const std::string year = std::to_string(d->year);
    const size_t at = l.find(year);
    if (at == std::string::npos) break;
    l.replace(at, 4, "1986");
    out->text = Join(lines);
    return true;
  }
  out->md.document_date = "1986-03-14";
  return true;
}

struct Kind {
  const char* name;
  MutateFn fn;
  std::set<std::string> rules;
};

int Main(int argc, char** argv) {
  std::string rules = RA_DEFAULT_RULES_DIR;
  size_t max_docs = 100000;
  double min_rate = 0.95;
  std::vector<std::string> folders;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rules" && i + 1 < argc) {
      rules = argv[++i];
    } else if (a == "--max-docs" && i + 1 < argc) {
      max_docs = static_cast<size_t>(std::atol(argv[++i]));
    } else if (a == "--min-rate" && i + 1 < argc) {
      min_rate = std::atof(argv[++i]);
    } else {
      folders.push_back(a);
    }
  }
  auto pack_or = RulePack::LoadFolder(rules);
  if (!pack_or.ok() || folders.empty()) {
    std::fprintf(stderr, "usage: mutation_test [--rules DIR] [--max-docs N] FOLDER...\n%s\n",
                 pack_or.ok() ? "" : std::string(pack_or.status().message()).c_str());
    return 2;
  }
  const RulePack& pack = **pack_or;
  const std::vector<Kind> kinds = {
      {"drop-mark", DropMark, {"stamp.code-not-marked"}},
      {"add-stamped-code", AddStampedCode, {"stamp.code-not-marked"}},
      {"add-unknown-code", AddUnknownCode, {"mark.unknown-code"}},
      {"insert-ssn", InsertSsn, {"pii.ssn-visible"}},
      {"insert-phone", InsertPhone, {"pii.phone-visible"}},
      {"insert-email", InsertEmail, {"pii.email-visible"}},
      {"strip-classification", StripClassification,
       {"b1.classification-missing", "b1.classification-incomplete"}},
      {"change-header-case-number", ChangeCaseNumber, {"metadata.case-number-mismatch"}},
      {"b5-dated-30-years-before-request", DateB5Old, {"b5.deliberative-process-too-old"}},
  };
  std::map<std::string, std::pair<int, int>> rate;  // kind -> (detected, mutants)
  int docs = 0, control_failures = 0, b5_controls = 0;
  std::map<std::string, int> original_counts;  // rule -> findings on originals
  for (const std::string& folder : folders) {
    std::vector<fs::path> files;
    for (const auto& e : fs::recursive_directory_iterator(folder)) {
      if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path());
    }
    std::sort(files.begin(), files.end());
    if (files.size() > max_docs) files.resize(max_docs);
    for (const fs::path& p : files) {
      const std::string text = ReadAll(p);
      const Document first = Parse(text, pack);
      const ReleaseMetadata md = MetadataOf(first);
      const Checked original = Run(text, md, pack);
      ++docs;
      for (const Finding& f : original.findings) ++original_counts[f.rule_id];
      // Control 1: the harness itself changes nothing.
      const Checked again = Run(Join(Lines(text)), md, pack);
      if (NewFinding(original, again, {"*"}) ||
          again.findings.size() != original.findings.size()) {
        bool differs = again.findings.size() != original.findings.size();
        for (size_t i = 0; !differs && i < again.findings.size(); ++i) {
          differs = again.findings[i].fingerprint != original.findings[i].fingerprint;
        }
        if (differs) {
          ++control_failures;
          std::printf("control: %s changes findings when re-joined\n", p.c_str());
        }
      }
      // Control 2: the 25-year rule does not fire on the real dates.
      if (HasCode(first.marks, "(b)(5)") || HasCode(first.stamp.codes, "(b)(5)")) {
        ++b5_controls;
        for (const Finding& f : original.findings) {
          if (f.rule_id == "b5.deliberative-process-too-old") {
            ++control_failures;
            std::printf("control: %s b5 rule fires on the original\n", p.c_str());
          }
        }
      }
      for (const Kind& k : kinds) {
        Mutant m;
        if (!k.fn(original.doc, md, &m)) continue;
        const Checked mutant = Run(m.text, m.md, pack);
        auto& [hit, total] = rate[k.name];
        ++total;
        if (NewFinding(original, mutant, k.rules)) {
          ++hit;
        } else if (std::getenv("RA_MUTATION_VERBOSE") != nullptr) {
          std::printf("missed %s: %s\n", k.name, p.c_str());
        }
      }
    }
  }
  std::printf("mutation_test: %d documents, %d B5 controls, %d control failures\n", docs,
              b5_controls, control_failures);
  std::printf("findings on the unmutated originals (for reference):\n");
  for (const auto& [rule, n] : original_counts) std::printf("  %-40s %d\n", rule.c_str(), n);
  bool ok = control_failures == 0;
  for (const Kind& k : kinds) {
    const auto [hit, total] = rate[k.name];
    const double r = total == 0 ? 0 : static_cast<double>(hit) / total;
    std::printf("  %-34s %5d / %5d  %.3f%s\n", k.name, hit, total, r,
                total > 0 && r < min_rate ? "  BELOW" : "");
    if (total > 0 && r < min_rate) ok = false;
    if (total == 0) {
      std::printf("  (no document of the input allows %s)\n", k.name);
    }
  }
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace ra

int main(int argc, char** argv) { return ra::Main(argc, argv); }
