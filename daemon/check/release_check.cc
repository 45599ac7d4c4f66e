#include "check/release_check.h"

#include <algorithm>
#include <cstddef>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "check/emitter.h"
#include "pack/rule_catalog.h"

namespace ra {

using check_internal::A;
using check_internal::Emitter;

namespace {

// `docs` ordered by doc number, the first of each doc number kept (stable:
// the first in the input's order), those without a doc number left out.
// Sorted vectors rather than maps: a manifest of 16,000 rows was a tree of
// 16,000 strings built, walked and freed per check.
template <typename Doc>
std::vector<const Doc*> FirstByDocNumber(const std::vector<Doc>& docs) {
  std::vector<const Doc*> out;
  out.reserve(docs.size());
  for (const Doc& d : docs) {
    if (!d.doc_number.empty()) out.push_back(&d);
  }
  auto by_number = [](const Doc* a, const Doc* b) { return a->doc_number < b->doc_number; };
  if (!std::is_sorted(out.begin(), out.end(), by_number)) {
    std::stable_sort(out.begin(), out.end(), by_number);
  }
  out.erase(std::unique(out.begin(), out.end(),
                        [](const Doc* a, const Doc* b) { return a->doc_number == b->doc_number; }),
            out.end());
  return out;
}

}  // namespace

ReleaseCheck CheckRelease(const std::vector<ListedDocument>& listed,
                          const std::vector<KnownDocument>& known,
                          const RulePack& pack) {
  // The first row of each listed doc number; the covered releases.
  const std::vector<const ListedDocument*> rows = FirstByDocNumber(listed);
  std::vector<std::string_view> releases;
  bool whole_case = false;
  for (const ListedDocument& l : listed) {
    if (l.doc_number.empty()) continue;
    if (l.release.empty()) whole_case = true;
    releases.push_back(l.release);
  }
  std::sort(releases.begin(), releases.end());
  releases.erase(std::unique(releases.begin(), releases.end()), releases.end());
  const std::vector<const KnownDocument*> stored = FirstByDocNumber(known);

  ReleaseCheck out;
  out.listed = static_cast<int64_t>(rows.size());
  std::vector<Finding> findings;
  std::vector<std::pair<std::string, std::string>> about;  // doc, release
  Emitter emit(pack, &findings);

  // Both lists in doc-number order: one merge walk finds, for each listed
  // row, its stored document, and for each stored document whether a row
  // lists it.
  std::vector<const KnownDocument*> unlisted;  // stored, no row
  size_t k = 0;
  for (const ListedDocument* row : rows) {
    const std::string& doc = row->doc_number;
    while (k < stored.size() && stored[k]->doc_number < doc) unlisted.push_back(stored[k++]);
    const bool have = k < stored.size() && stored[k]->doc_number == doc;
    const bool submitted = have && stored[k]->submitted;
    if (have) ++k;
    if (submitted) continue;
    if (Finding* f = emit.Add(rule_id::kReleaseNotSubmitted, doc)) {
      f->evidence = row->file.empty() ? doc : row->file;
      f->message = absl::StrCat(
          "the manifest lists ", A(doc),
          row->release.empty() ? std::string()
                               : absl::StrCat(" in release ", row->release),
          row->manifest_line > 0
              ? absl::StrCat(" (manifest line ", row->manifest_line, ")")
              : std::string(),
          " but it was never submitted, so none of its checks ran");
      about.emplace_back(doc, row->release);
    }
  }
  unlisted.insert(unlisted.end(), stored.begin() + static_cast<std::ptrdiff_t>(k), stored.end());

  // Checked: every listed doc number and every stored one in scope; both
  // lists are sorted and disjoint, so a merge keeps the result sorted.
  std::vector<const KnownDocument*> in_scope;
  for (const KnownDocument* d : unlisted) {
    if (!d->submitted) continue;
    if (!whole_case && !d->release.empty() &&
        !std::binary_search(releases.begin(), releases.end(), std::string_view(d->release))) {
      continue;
    }
    in_scope.push_back(d);
    if (Finding* f = emit.Add(rule_id::kReleaseNotInManifest, d->doc_number)) {
      f->evidence = d->doc_number;
      f->message = absl::StrCat(
          A(d->doc_number),
          d->release.empty() ? std::string()
                             : absl::StrCat(" (release ", d->release, ")"),
          " was submitted but no row of the manifest lists it");
      about.emplace_back(d->doc_number, d->release);
    }
  }
  out.checked.reserve(rows.size() + in_scope.size());
  size_t a = 0, b = 0;
  while (a < rows.size() || b < in_scope.size()) {
    if (b == in_scope.size() ||
        (a < rows.size() && rows[a]->doc_number < in_scope[b]->doc_number)) {
      out.checked.push_back(rows[a++]->doc_number);
    } else {
      out.checked.push_back(in_scope[b++]->doc_number);
    }
  }

  for (size_t i = 0; i < findings.size(); ++i) {
    if (pack.IsSuppressed(findings[i].fingerprint)) continue;
    out.findings.push_back(ReleaseFinding{about[i].first, about[i].second,
                                          std::move(findings[i])});
  }
  std::stable_sort(out.findings.begin(), out.findings.end(),
                   [](const ReleaseFinding& a, const ReleaseFinding& b) {
                     return a.doc_number < b.doc_number;
                   });
  return out;
}

}  // namespace ra
