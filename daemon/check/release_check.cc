#include "check/release_check.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "check/emitter.h"
#include "pack/rule_catalog.h"

namespace ra {

using check_internal::A;
using check_internal::Emitter;

ReleaseCheck CheckRelease(const std::vector<ListedDocument>& listed,
                          const std::vector<KnownDocument>& known,
                          const RulePack& pack) {
  // The first row of each listed doc number; the covered releases.
  std::map<std::string, const ListedDocument*> rows;
  std::set<std::string> releases;
  bool whole_case = false;
  for (const ListedDocument& l : listed) {
    if (l.doc_number.empty()) continue;
    rows.emplace(l.doc_number, &l);
    if (l.release.empty()) whole_case = true;
    releases.insert(l.release);
  }
  std::map<std::string, const KnownDocument*> stored;
  for (const KnownDocument& k : known) {
    if (!k.doc_number.empty()) stored.emplace(k.doc_number, &k);
  }

  ReleaseCheck out;
  std::set<std::string> checked;
  std::vector<Finding> findings;
  std::vector<std::pair<std::string, std::string>> about;  // doc, release
  Emitter emit(pack, &findings);

  for (const auto& [doc, row] : rows) {
    checked.insert(doc);
    auto it = stored.find(doc);
    if (it != stored.end() && it->second->submitted) continue;
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
  for (const auto& [doc, k] : stored) {
    if (!k->submitted || rows.count(doc) > 0) continue;
    const bool in_scope =
        whole_case || k->release.empty() || releases.count(k->release) > 0;
    if (!in_scope) continue;
    checked.insert(doc);
    if (Finding* f = emit.Add(rule_id::kReleaseNotInManifest, doc)) {
      f->evidence = doc;
      f->message = absl::StrCat(
          A(doc),
          k->release.empty() ? std::string()
                             : absl::StrCat(" (release ", k->release, ")"),
          " was submitted but no row of the manifest lists it");
      about.emplace_back(doc, k->release);
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
  out.checked.assign(checked.begin(), checked.end());
  return out;
}

}  // namespace ra
