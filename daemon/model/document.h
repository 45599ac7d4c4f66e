// The document model: what the parser saw in one released record.
// Plain values, no I/O; produced by parse/, read by check/ and the service.
#ifndef RA_MODEL_DOCUMENT_H_
#define RA_MODEL_DOCUMENT_H_

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/pdf.h"

namespace ra {

// How the release stamp disposes of the record.
enum class Disposition {
  kNone = 0,    // no release stamp found
  kFull = 1,    // RELEASE IN FULL
  kPart = 2,    // RELEASE IN PART
  kDenied = 3,  // DENIED / WITHHELD IN FULL
};

// "NONE", "FULL", "PART", "DENIED".
std::string_view DispositionName(Disposition d);
// Inverse of DispositionName (case-insensitive); nullopt for anything else.
std::optional<Disposition> ParseDisposition(std::string_view name);

// An exemption code printed somewhere in the document.
struct Mark {
  int page = 0;    // 1-based page
  int line = 0;    // 1-based line in the input text
  int column = 0;  // 0-based byte column in the line
  int length = 0;  // bytes of the printed text
  // Canonical catalog code ("(b)(6)"); empty when the printed text looked
  // like a code but no dialect knows it (see `suggestion`).
  std::string code;
  std::string printed;    // as printed, e.g. "B6", "BS"
  std::string qualifier;  // e.g. "CIA" in "B3 CIA"; empty if none
  bool ocr_variant = false;  // printed is a known OCR misreading of `code`
  std::string suggestion;    // for unknown codes: the nearest known code
};

// The release stamp ("RELEASE IN PART B1,1.4(D),B6").
struct Stamp {
  Disposition disposition = Disposition::kNone;
  int line = 0;              // line of the disposition words; 0 if none
  std::vector<Mark> codes;   // codes printed in the stamp, in order
};

// One page header or footer: "Case No. F-2014-20439 Doc No. C05788291
// Date: 06/30/2015". Fields are raw (OCR errors included); empty when the
// header did not carry the field.
struct PageHeader {
  int page = 0;
  int line = 0;
  std::string case_number;
  std::string doc_number;
  std::string release_date;  // as printed, MM/DD/YYYY
};

// A printed classification block ("Classified by ... Class: CONFIDENTIAL
// Reason: 1.4(B) Declassify on: 08/01/2024").
struct Classification {
  int line = 0;
  std::string level;                 // e.g. "CONFIDENTIAL"
  std::vector<std::string> reasons;  // canonical, e.g. "1.4(b)"
  std::string declassify_on;         // as printed, MM/DD/YYYY
  std::string classified_by;         // e.g. "DAS, A/GIS, DoS"
  std::string classified_on;         // as printed, MM/DD/YYYY
};

// A page of the document: a run of lines between page breaks.
struct Page {
  int number = 0;      // 1-based
  int first_line = 0;  // 1-based, inclusive
  int last_line = 0;   // 1-based, inclusive
};

// An email header field seen in the body ("Sent: Sunday, March 29, 2009").
struct EmailHeader {
  int line = 0;
  std::string field;  // "From", "Sent", "To", "Cc", "Subject", "Date"
  std::string value;
};

// A page withheld in full, listed on a withheld-page sheet such as the
// FBI's "DELETED PAGE INFORMATION SHEET" ("Page 43 - b6; b7C;").
struct WithheldPage {
  int line = 0;         // 1-based line of the sheet entry
  int page_number = 0;  // the withheld page's number, as printed
  std::vector<Mark> codes;   // exemptions claimed for it (page/line set)
  bool duplicate = false;    // withheld as a duplicate of another page
  std::string duplicate_of;  // e.g. "serial 57"; empty if not given
  // Reason printed instead of codes, e.g. "OTHER - Court Sealing Order".
  std::string other_reason;
};

// A document's text and its lines, which are views into the text. Copies
// and moves point the views at their own text: a short text lives inside
// the string object itself, so a moved-from string's buffer is not the
// moved-to one's (a document of one form feed kept views into a returned
// function's stack before).
struct DocumentText {
  // The text the document was parsed from, and the byte offset where each
  // line starts (lines split on '\n'; a trailing '\r' is dropped).
  std::string text;
  std::vector<std::string_view> lines;  // views into `text`; [0] is line 1

  DocumentText() = default;
  DocumentText(const DocumentText& other);
  DocumentText(DocumentText&& other) noexcept;
  DocumentText& operator=(const DocumentText& other);
  DocumentText& operator=(DocumentText&& other) noexcept;

 private:
  // Points the views that were into [old_base, old_base + size) at `text`.
  void Rebase(const char* old_base, size_t size);
};

// True when every line of `doc` is a view into its text, each starting at
// or after the end of the one before: the lines as the parser makes them.
// Scans that pass over the text once rely on it; every line is checked,
// since lines set one by one can start and end inside the text's address
// range while some between lie elsewhere.
bool LinesAreViewsInOrder(const DocumentText& doc);

// Per line of `doc` (index 0 is line 1), 1 when the line holds one of
// `phrases` (none holding a line break): one search of the whole text per
// phrase, not one a line. Lines that are not views into the text, in
// order, are searched one by one.
std::vector<char> LinesHolding(const DocumentText& doc,
                               std::initializer_list<std::string_view> phrases);

struct Document : DocumentText {

  std::vector<Page> pages;
  Stamp stamp;
  std::vector<Mark> marks;  // marks at redaction sites, in text order
  std::vector<PageHeader> page_headers;
  std::optional<Classification> classification;
  std::vector<EmailHeader> email_headers;
  // Pages withheld in full, from withheld-page sheets, in text order.
  std::vector<WithheldPage> withheld_pages;

  // Distinct values printed in page headers, in order of first appearance.
  std::vector<std::string> case_numbers;
  std::vector<std::string> doc_numbers;
  std::vector<std::string> release_dates;

  // Set when the document was submitted as a PDF (see model/pdf.h).
  std::optional<PdfAnalysis> pdf;

  int line_count() const { return static_cast<int>(lines.size()); }
  int page_count() const { return static_cast<int>(pages.size()); }
  // Page of a 1-based line (1 when there are no pages).
  int PageOfLine(int line) const;
};

}  // namespace ra

#endif  // RA_MODEL_DOCUMENT_H_
