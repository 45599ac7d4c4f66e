// xdoc passages: the normalized text of one document version, the unit the
// cross-document index works on. Plain values, no I/O.
//
// A document is reduced to its body words: page headers and footers, the
// release stamp, the classification block and printed marks are removed;
// line wrapping, page breaks, white space and punctuation (quoted-reply
// '>' prefixes included) vanish because only words are kept. Each word
// keeps where it was printed (line, column) so findings point at the
// original text. Words are compared by a key that folds case and the usual
// OCR look-alikes (0/o, 1/l/i, 5/s), so the same passage matches across
// layouts.
//
// The normalized form has a text serialization (`PassageText`) that the
// store keeps per version; the index is rebuilt from it at daemon start
// without re-parsing.
#ifndef RA_XDOC_PASSAGE_H_
#define RA_XDOC_PASSAGE_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "model/document.h"

namespace ra::xdoc {

// One body word (16 bytes: the index keeps millions).
struct Word {
  // Bytes of PassageDoc::text a word keeps at most.
  static constexpr size_t kMaxSize = 65535;
  uint32_t key = 0;     // hash of the folded word
  // Into PassageDoc::text, where the word's bytes are followed by a space
  // and the next word (or the text's end): see PassageDoc::WordSize.
  uint32_t offset = 0;
  int32_t line = 0;     // 1-based line in the original text
  uint16_t column = 0;  // 0-based byte column in the original line
  // On an address or attachment header line (To:, Cc:, Bcc:, Attachments:,
  // Importance:) or its indented continuation: kField for the field name,
  // kValue for the rest. Copies of one email print these lines or leave
  // them out, so a line only one copy prints is not withheld text.
  enum : uint8_t { kBody = 0, kValue = 1, kField = 2 };
  uint8_t optional_header = kBody;
  // Inside an address in angle brackets ("<BurnsWJ@state.gov>"), which
  // copies of one email print after a name or leave out.
  bool bracketed_address = false;
};

// A printed mark, placed between words.
struct SiteMark {
  int word = 0;  // index of the first word after the mark
  int line = 0;
  int column = 0;
  std::string code;     // canonical, may be empty (unknown code)
  std::string printed;  // as printed
};

// An email header seen in the body (From, Sent, Subject only).
struct HeaderField {
  int word = 0;  // index of the first word after the header line
  int line = 0;
  char field = 0;  // 'F' From, 'S' Sent, 'J' Subject
  uint64_t value_key = 0;  // hash of the folded value words ("re"/"fw" off)
};

// A page withheld in full: a page printing only exemption codes (and its
// page header) in place of its text, or a page listed by number on a
// withheld-page sheet that the text holds as an empty placeholder page.
struct WithheldPageSite {
  int word = 0;  // index of the first word after the page
  int page = 0;  // 1-based page of the document
  int line = 0;  // first line of the page (or the sheet entry)
  std::vector<std::string> codes;  // canonical codes claimed for the page
};

struct PassageDoc {
  // Identity, filled by the caller (not part of the serialization).
  std::string case_number;
  std::string doc_number;
  int64_t version_id = 0;

  Disposition disposition = Disposition::kNone;
  std::vector<std::string> stamp_codes;  // canonical codes of the stamp
  std::string text;                      // the words, space separated
  std::vector<Word> words;
  std::vector<SiteMark> marks;  // in word order
  std::vector<HeaderField> headers;
  std::vector<WithheldPageSite> withheld_pages;  // in page order
  // First line of each page (index 0 is page 1), to report page numbers.
  std::vector<int> page_first_lines;

  // Bytes of word i in `text` (at most Word::kMaxSize).
  int WordSize(int i) const {
    const size_t end = static_cast<size_t>(i) + 1 < words.size()
                           ? words[i + 1].offset - 1
                           : text.size();
    return static_cast<int>(end - words[i].offset);
  }
  std::string_view WordText(int i) const {
    return std::string_view(text).substr(words[i].offset, WordSize(i));
  }
  int PageOfLine(int line) const;
  // The words [begin, end) as printed, space separated, cut to `max_bytes`.
  std::string Excerpt(int begin, int end, size_t max_bytes = 240) const;
};

// The serialization of the normalized form of `doc` (see PassageText
// format in passage.cc). Deterministic: equal documents give equal text.
std::string PassageText(const Document& doc);

// PassageText(doc) with every body line sent through each blanking pass.
// PassageText takes most lines as printed, without the passes, when they
// hold nothing a pass starts from: the two must be equal (a test holds it).
std::string PassageTextThroughEveryPass(const Document& doc);

// PassageText(doc) into `*passage_text` and, in the same pass, the
// PassageDoc that ParsePassageText reads back from it: each record is read
// as it is written, by the same code, so the two are equal.
absl::StatusOr<PassageDoc> BuildPassage(const Document& doc,
                                        std::string* passage_text);

// Reads a PassageText back. INVALID_ARGUMENT naming the line when the text
// is not a PassageText.
absl::StatusOr<PassageDoc> ParsePassageText(std::string_view passage_text);

// True when a body line (as kept in a PassageText L record) is an address
// or attachment header line ("To: ...", "Cc: ...", "Attachments: ...").
bool IsOptionalHeaderLine(std::string_view line);

// Folds one word for comparison: lower case, OCR look-alikes mapped.
uint32_t WordKey(std::string_view word);

}  // namespace ra::xdoc

#endif  // RA_XDOC_PASSAGE_H_
