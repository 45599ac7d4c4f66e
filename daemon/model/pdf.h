// What ingest learned from a PDF beyond its text: hidden text, unapplied
// redaction annotations, metadata, embedded files and bookmarks. Plain
// values computed at ingest, attached to the Document, read by check/.
#ifndef RA_MODEL_PDF_H_
#define RA_MODEL_PDF_H_

#include <optional>
#include <string>
#include <vector>

namespace ra {

// A rectangle on a page in PDF points, origin at the top-left corner of
// the page as displayed (y grows downwards).
struct PdfRect {
  double x = 0, y = 0, width = 0, height = 0;
};

// Where a piece of the text layer landed in the laid-out text.
struct TextSpot {
  int page = 0;    // 1-based
  int line = 0;    // 1-based line of the laid-out text
  int column = 0;  // 0-based byte column
  int length = 0;  // bytes
};

// Text in the text layer that the rendered page does not show: every pixel
// of its glyph boxes is one dark colour (a box drawn over it, or text
// painted the box's colour).
struct HiddenText {
  TextSpot spot;
  PdfRect box;           // extent of the dark box around the text
  std::string text;      // the recoverable words, space-separated
  unsigned rgb = 0;      // the box colour, 0xRRGGBB
  bool in_margin = false;  // box lies in the page's header/footer band
};

// Visible text printed on a dark box, as Acrobat labels applied
// redactions ("(b)(6)"): parse/ reads exemption codes in it as marks.
struct BoxLabel {
  TextSpot spot;
  std::string text;
};

// A /Redact annotation still in the file: marked for redaction but never
// applied, so the content under it is intact.
struct RedactAnnotation {
  int page = 0;
  PdfRect rect;
  std::string text_under;    // text-layer words inside the rectangle
  std::string overlay_text;  // the annotation's /OverlayText, if any
  TextSpot spot;             // first word under it; line 0 if none
};

// A text value of the Info dictionary or the XMP packet.
struct PdfMetadataEntry {
  std::string source;  // "Info" or "XMP"
  std::string key;     // "Title", "Keywords", "dc:description", ...
  std::string value;
};

struct PdfEmbeddedFile {
  std::string name;
  long long size = 0;  // bytes; -1 when unknown
};

struct PdfOutlineEntry {
  std::string title;
  int depth = 0;  // 0 for top-level entries
};

// Pages whose rendering did not finish (over the time budget, or the
// renderer failed): their text layer is read and checked, but whether text
// lies under a box is not known.
struct UncheckedPages {
  int first_page = 0;  // 1-based
  int last_page = 0;
  std::string reason;  // "rendering page 1 exceeded the 5 s budget"
};

struct PdfAnalysis {
  int page_count = 0;  // pages of the PDF
  std::vector<HiddenText> hidden_text;
  std::vector<BoxLabel> box_labels;
  std::vector<RedactAnnotation> redact_annotations;
  std::vector<PdfMetadataEntry> metadata;
  std::vector<PdfEmbeddedFile> embedded_files;
  std::vector<PdfOutlineEntry> outline;
  // Words the rendered pages show, lower-cased, space-separated (what a
  // reader can see; metadata and bookmarks are compared against it).
  std::string visible_text;
  std::optional<UncheckedPages> unchecked;
};

}  // namespace ra

#endif  // RA_MODEL_PDF_H_
