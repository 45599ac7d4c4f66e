// check: the rules on what a PDF hides (Document::pdf, see model/pdf.h).
//   pdf.text-under-box         text layer under a dark box (recoverable)
//   pdf.unapplied-redaction    Redact annotation never applied
//   pdf.metadata-text          Info/XMP text not printed on the pages
//   pdf.embedded-file          a file embedded in the release
//   pdf.outline-text           bookmark text not printed on the pages
//   pdf.boxes-not-checked      pages not rendered within the time budget
#ifndef RA_CHECK_PDF_RULES_H_
#define RA_CHECK_PDF_RULES_H_

#include <functional>
#include <string>
#include <string_view>

#include "model/document.h"
#include "model/finding.h"

namespace ra {

// Returns a new finding of `rule` about `key` (severity and fingerprint
// set), or nullptr when the rule is disabled.
using AddFinding =
    std::function<Finding*(std::string_view rule, std::string_view key)>;

// Runs the PDF rules when `doc` came from a PDF; nothing otherwise.
void CheckPdf(const Document& doc, const AddFinding& add);

// True for text x-ray reports but a reader would not call a leak: fillers
// ("XXXX", "****", block characters) and the words "redacted"/"withheld".
bool IsRedactionFiller(std::string_view text);

// True when `text` is a date (06/30/2015, 2015-06-30, March 3, 2009,
// 30 June 2015, ...).
bool IsDate(std::string_view text);

}  // namespace ra

#endif  // RA_CHECK_PDF_RULES_H_
