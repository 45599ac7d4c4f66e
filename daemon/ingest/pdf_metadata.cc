#include "ingest/pdf_metadata.h"

#include <memory>

#include "poppler-document.h"
#include "poppler-embedded-file.h"
#include "poppler-toc.h"

namespace ra {
namespace {

// Bookmarks read at most, and their deepest nesting.
constexpr size_t kMaxOutline = 10000;
constexpr int kMaxDepth = 32;

std::string Utf8(const poppler::ustring& u) {
  const poppler::byte_array b = u.to_utf8();
  std::string s(b.begin(), b.end());
  while (!s.empty() && s.back() == '\0') s.pop_back();
  return s;
}

std::string CollapseSpace(std::string_view s) {
  std::string out;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string StripTags(std::string_view s) {
  std::string out;
  bool in_tag = false;
  for (char c : s) {
    if (c == '<') {
      in_tag = true;
      out += ' ';
    } else if (c == '>') {
      in_tag = false;
    } else if (!in_tag) {
      out += c;
    }
  }
  const std::pair<std::string_view, std::string_view> entities[] = {
      {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", "\""}, {"&apos;", "'"},
      {"&amp;", "&"}};
  for (const auto& [from, to] : entities) {
    for (size_t at = out.find(from); at != std::string::npos;
         at = out.find(from, at + to.size())) {
      out.replace(at, from.size(), to);
    }
  }
  return CollapseSpace(out);
}

void WalkOutline(const poppler::toc_item& item, int depth,
                 std::vector<PdfOutlineEntry>* out) {
  for (poppler::toc_item* child : item.children()) {
    if (out->size() >= kMaxOutline) return;
    const std::string title = CollapseSpace(Utf8(child->title()));
    if (!title.empty()) out->push_back(PdfOutlineEntry{title, depth});
    if (depth + 1 < kMaxDepth) WalkOutline(*child, depth + 1, out);
  }
}

}  // namespace

std::vector<PdfMetadataEntry> XmpEntries(std::string_view xmp) {
  static constexpr std::string_view kTags[] = {
      "dc:title",    "dc:description", "dc:subject", "dc:creator",
      "pdf:Keywords", "pdf:Subject",   "pdf:Title",  "pdf:Author",
      "photoshop:Headline", "xmp:Label"};
  std::vector<PdfMetadataEntry> out;
  for (std::string_view tag : kTags) {
    const std::string open = "<" + std::string(tag);
    const std::string close = "</" + std::string(tag) + ">";
    size_t at = 0;
    while ((at = xmp.find(open, at)) != std::string_view::npos) {
      const size_t next = at + open.size();
      if (next >= xmp.size() || (xmp[next] != '>' && xmp[next] != ' ')) {
        at = next;
        continue;
      }
      const size_t body = xmp.find('>', next);
      const size_t end = xmp.find(close, next);
      if (body == std::string_view::npos || end == std::string_view::npos ||
          body > end) {
        break;
      }
      const std::string value = StripTags(xmp.substr(body + 1, end - body - 1));
      if (!value.empty()) {
        out.push_back(PdfMetadataEntry{"XMP", std::string(tag), value});
      }
      at = end + close.size();
    }
  }
  return out;
}

void ReadDocumentMetadata(const poppler::document& doc, PdfAnalysis* a) {
  for (const std::string& key : doc.info_keys()) {
    if (key == "Producer" || key == "Creator" || key == "CreationDate" ||
        key == "ModDate" || key == "Trapped") {
      continue;
    }
    const std::string value = CollapseSpace(Utf8(doc.info_key(key)));
    if (!value.empty()) a->metadata.push_back(PdfMetadataEntry{"Info", key, value});
  }
  for (PdfMetadataEntry& e : XmpEntries(Utf8(doc.metadata()))) {
    a->metadata.push_back(std::move(e));
  }
  if (doc.has_embedded_files()) {
    for (poppler::embedded_file* f : doc.embedded_files()) {
      if (f == nullptr || !f->is_valid()) continue;
      a->embedded_files.push_back(PdfEmbeddedFile{f->name(), f->size()});
    }
  }
  std::unique_ptr<poppler::toc> toc(doc.create_toc());
  if (toc != nullptr && toc->root() != nullptr) {
    WalkOutline(*toc->root(), 0, &a->outline);
  }
}

}  // namespace ra
