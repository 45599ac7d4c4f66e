#include "check/pdf_rules.h"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <set>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "pack/rule_catalog.h"
#include "re2/re2.h"

namespace ra {
namespace {

absl::string_view A(std::string_view s) { return {s.data(), s.size()}; }

// Lower-cased words of letters and digits (UTF-8 bytes >= 0x80 count as
// letters).
std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  std::string w;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || u >= 0x80) {
      w += static_cast<char>(std::tolower(u));
    } else if (!w.empty()) {
      out.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) out.push_back(std::move(w));
  return out;
}

// Words of `value` (3+ bytes) that no page shows.
std::vector<std::string> Unprinted(std::string_view value,
                                   const std::set<std::string>& visible) {
  std::vector<std::string> out;
  for (std::string& w : Words(value)) {
    if (w.size() >= 3 && visible.count(w) == 0) out.push_back(std::move(w));
  }
  return out;
}

std::string Rect(const PdfRect& r) {
  return absl::StrCat("x ", std::lround(r.x), ", y ", std::lround(r.y), ", ",
                      std::lround(r.width), " x ", std::lround(r.height),
                      " pt");
}

std::string Colour(unsigned rgb) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "#%06X", rgb & 0xFFFFFF);
  return buf;
}

// True when `value` repeats any text hidden under a box.
bool RepeatsHidden(std::string_view value, const PdfAnalysis& pdf) {
  const std::string lower = absl::AsciiStrToLower(A(value));
  for (const HiddenText& h : pdf.hidden_text) {
    const std::string hidden = absl::AsciiStrToLower(h.text);
    if (hidden.size() >= 3 && lower.find(hidden) != std::string::npos) return true;
  }
  return false;
}

void CheckHidden(const PdfAnalysis& pdf, const AddFinding& add) {
  std::vector<const HiddenText*> hits;
  for (const HiddenText& h : pdf.hidden_text) {
    if (h.in_margin || IsRedactionFiller(h.text)) continue;
    hits.push_back(&h);
  }
  bool all_dates = !hits.empty();
  for (const HiddenText* h : hits) all_dates = all_dates && IsDate(h->text);
  if (all_dates) return;  // date stamps on dark bars, not redactions
  for (const HiddenText* h : hits) {
    Finding* f = add(rule_id::kPdfTextUnderBox, h->text);
    if (f == nullptr) return;
    f->page = h->spot.page;
    f->line = h->spot.line;
    f->column = h->spot.column;
    f->length = h->spot.length;
    f->evidence = h->text;
    f->message = absl::StrCat(
        "text under a ", Colour(h->rgb), " box on page ", h->spot.page, " (",
        Rect(h->box), ") is still in the text layer: \"", h->text, "\"");
  }
}

void CheckAnnotations(const PdfAnalysis& pdf, const AddFinding& add) {
  for (const RedactAnnotation& r : pdf.redact_annotations) {
    Finding* f = add(rule_id::kPdfUnappliedRedaction, r.text_under);
    if (f == nullptr) return;
    f->page = r.page;
    f->line = r.spot.line;
    f->column = r.spot.column;
    f->length = r.spot.length;
    f->evidence = r.text_under;
    f->message = absl::StrCat(
        "redaction annotation on page ", r.page, " (", Rect(r.rect), ")",
        r.overlay_text.empty() ? "" : absl::StrCat(" labelled \"", r.overlay_text, "\""),
        " was never applied: ",
        r.text_under.empty()
            ? std::string("the content under it is intact")
            : absl::StrCat("the text under it is intact: \"", r.text_under, "\""));
  }
}

void CheckDocumentParts(const PdfAnalysis& pdf, const AddFinding& add) {
  std::set<std::string> visible;
  for (std::string& w : Words(pdf.visible_text)) visible.insert(std::move(w));
  for (const PdfMetadataEntry& m : pdf.metadata) {
    const std::vector<std::string> unprinted = Unprinted(m.value, visible);
    if (unprinted.empty()) continue;
    Finding* f = add(rule_id::kPdfMetadataText, absl::StrCat(m.source, "/", m.key));
    if (f == nullptr) break;
    f->evidence = m.value;
    f->message = absl::StrCat(
        m.source, " metadata ", m.key, " carries text no page shows",
        RepeatsHidden(m.value, pdf) ? ", including text hidden under a box" : "",
        ": \"", m.value, "\"");
  }
  for (const PdfEmbeddedFile& e : pdf.embedded_files) {
    Finding* f = add(rule_id::kPdfEmbeddedFile, e.name);
    if (f == nullptr) break;
    f->evidence = e.name;
    f->message = absl::StrCat(
        "the PDF carries an embedded file \"", e.name, "\"",
        e.size >= 0 ? absl::StrCat(" (", e.size, " bytes)") : "",
        ": attachments are released along with the pages");
  }
  for (const PdfOutlineEntry& o : pdf.outline) {
    const std::vector<std::string> unprinted = Unprinted(o.title, visible);
    if (unprinted.empty()) continue;
    Finding* f = add(rule_id::kPdfOutlineText, o.title);
    if (f == nullptr) break;
    f->evidence = o.title;
    f->message = absl::StrCat(
        "bookmark \"", o.title, "\" carries text no page shows",
        RepeatsHidden(o.title, pdf) ? ", including text hidden under a box" : "",
        " (", absl::StrJoin(unprinted, ", "), ")");
  }
}

void CheckUnchecked(const PdfAnalysis& pdf, const AddFinding& add) {
  if (!pdf.unchecked.has_value()) return;
  const UncheckedPages& u = *pdf.unchecked;
  Finding* f = add(rule_id::kPdfBoxesNotChecked, absl::StrCat(u.first_page));
  if (f == nullptr) return;
  f->page = u.first_page;
  f->evidence = u.reason;
  f->message = absl::StrCat(
      u.reason, "; text under boxes not checked on ",
      u.first_page == u.last_page
          ? absl::StrCat("page ", u.first_page)
          : absl::StrCat("pages ", u.first_page, "-", u.last_page));
}

}  // namespace

bool IsRedactionFiller(std::string_view text) {
  const std::string lower = absl::AsciiStrToLower(A(text));
  if (lower.find("redacted") != std::string::npos ||
      lower.find("withheld") != std::string::npos) {
    return true;
  }
  // Only x's and marks that stand in for removed text: * # _ - . [ ] and
  // non-ASCII symbols (block characters, bullets).
  for (char c : lower) {
    const auto u = static_cast<unsigned char>(c);
    if (c == 'x' || u >= 0x80 || std::string_view("*#_-.[]() /").find(c) !=
                                     std::string_view::npos) {
      continue;
    }
    return false;
  }
  return true;
}

bool IsDate(std::string_view text) {
  static const LazyRE2 kDate = {
      R"((?i)\s*(\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}|)"
      R"((jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+\d{4}|)"
      R"(\d{1,2}\s+(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4})\s*)"};
  return RE2::FullMatch(re2::StringPiece(text.data(), text.size()), *kDate);
}

void CheckPdf(const Document& doc, const AddFinding& add) {
  if (!doc.pdf.has_value()) return;
  CheckHidden(*doc.pdf, add);
  CheckAnnotations(*doc.pdf, add);
  CheckDocumentParts(*doc.pdf, add);
  CheckUnchecked(*doc.pdf, add);
}

}  // namespace ra
