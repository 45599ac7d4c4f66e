// parse_corpus: runs the parser over a folder of released documents (the dev
// corpus) and prints speed and sanity figures: dispositions, marks found in
// RELEASE IN FULL documents (should be nearly none), unknown code spellings,
// documents without stamp or page headers.
//
//   parse_corpus ROOT [--rules DIR] [--list N] [--dump-marks FILE]
#include <algorithm>
#include <chrono>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "model/document.h"
#include "pack/pack.h"
#include "parse/parser.h"

namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
  std::string root, rules = RA_DEFAULT_RULES_DIR;
  int list = 50;
  std::string dump;  // file for every mark: path:line:column:printed:code
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rules" && i + 1 < argc) rules = argv[++i];
    else if (a == "--list" && i + 1 < argc) list = std::stoi(argv[++i]);
    else if (a == "--dump-marks" && i + 1 < argc) dump = argv[++i];
    else root = a;
  }
  if (root.empty()) {
    std::fprintf(stderr, "usage: parse_corpus ROOT [--rules DIR] [--list N]\n");
    return 2;
  }
  auto pack = ra::RulePack::LoadFolder(rules);
  if (!pack.ok()) {
    std::fprintf(stderr, "rules: %s\n", pack.status().ToString().c_str());
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> files;
  size_t bytes = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(root)) {
    if (!e.is_regular_file() || e.path().extension() != ".txt") continue;
    files.emplace_back(std::filesystem::relative(e.path(), root).string(),
                       ReadFile(e.path().string()));
    bytes += files.back().second.size();
  }
  std::sort(files.begin(), files.end());

  // Timing: each document is parsed (its text copied in, as Parse owns it),
  // summarized and dropped, as a streaming audit would.
  std::map<std::string, int> dispositions, unknown;
  int full_with_marks = 0, marks = 0, no_headers = 0, part_no_codes = 0, classified = 0;
  std::vector<std::string> listing, no_stamp;
  double seconds = 0;
  std::ofstream dump_out;
  if (!dump.empty()) dump_out.open(dump);
  for (auto& [name, text] : files) {
    // CPU time of this thread: the machine is shared, wall time is noisy.
    timespec t0, t1;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
    const ra::Document doc = ra::Parse(std::move(text), **pack);
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t1);
    seconds += (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9;
    ++dispositions[std::string(ra::DispositionName(doc.stamp.disposition))];
    if (doc.stamp.disposition == ra::Disposition::kNone) no_stamp.push_back(name);
    marks += static_cast<int>(doc.marks.size());
    if (doc.page_headers.empty()) ++no_headers;
    if (doc.classification) {
      ++classified;
      const ra::Classification& c = *doc.classification;
      if (c.level.empty() || c.reasons.empty() || c.declassify_on.size() != 10 ||
          c.classified_by.empty()) {
        listing.push_back("incomplete classification: " + name + ":" + std::to_string(c.line) +
                          " level '" + c.level + "' declassify '" + c.declassify_on + "' by '" +
                          c.classified_by + "' reasons " + std::to_string(c.reasons.size()));
      }
    }
    const std::string stem = std::filesystem::path(name).stem().string();
    if (std::find(doc.doc_numbers.begin(), doc.doc_numbers.end(), stem) == doc.doc_numbers.end() ||
        doc.case_numbers.size() != 1 || doc.release_dates.size() != 1) {
      std::string all;
      for (const auto& v : doc.case_numbers) all += " case:" + v;
      for (const auto& v : doc.doc_numbers) all += " doc:" + v;
      for (const auto& v : doc.release_dates) all += " date:" + v;
      listing.push_back("odd headers: " + name + all);
    }
    if (doc.stamp.disposition == ra::Disposition::kPart && doc.stamp.codes.empty()) {
      ++part_no_codes;
      listing.push_back("PART without codes: " + name);
    }
    for (const ra::Mark& m : doc.marks) {
      if (m.code.empty()) ++unknown[m.printed + " -> " + m.suggestion];
      if (dump_out.is_open()) {
        dump_out << name << ":" << m.line << ":" << m.column << ":" << m.printed << ":"
                 << m.code << "\n";
      }
    }
    for (const ra::Mark& m : doc.stamp.codes) {
      if (m.code.empty()) ++unknown["(stamp) " + m.printed + " -> " + m.suggestion];
    }
    if (doc.stamp.disposition == ra::Disposition::kFull && !doc.marks.empty()) {
      ++full_with_marks;
      for (const ra::Mark& m : doc.marks) {
        listing.push_back("FULL with mark: " + name + ":" + std::to_string(m.line) + " [" +
                          m.printed + "] " + std::string(doc.lines[m.line - 1]));
      }
    }
  }
  std::printf("documents %zu, %.1f MB, parsed in %.3f s CPU: %.1f MB/s\n", files.size(), bytes / 1e6,
              seconds, bytes / 1e6 / seconds);
  for (const auto& [k, v] : dispositions) std::printf("disposition %-6s %d\n", k.c_str(), v);
  std::printf("marks %d; PART without stamp codes %d; no page headers %d; classification %d\n",
              marks, part_no_codes, no_headers, classified);
  std::printf("FULL documents with marks: %d\n", full_with_marks);
  for (int i = 0; i < static_cast<int>(no_stamp.size()) && i < list; ++i) {
    std::printf("  no stamp: %s\n", no_stamp[i].c_str());
  }
  for (int i = 0; i < static_cast<int>(listing.size()) && i < list; ++i) {
    std::printf("  %s\n", listing[i].c_str());
  }
  std::printf("unknown code spellings:\n");
  for (const auto& [k, v] : unknown) std::printf("  %5d  %s\n", v, k.c_str());
  return 0;
}
