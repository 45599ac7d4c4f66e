// The State Department release stamp: "RELEASE IN PART B5,B6" in the upper
// right corner of the first page. In text layers it is often split over
// lines ("RELEASE IN" / "PART B6", or "RELEASE IN" / "PART" / "B1,1.4(D)"),
// printed beside email header fields, merged into the page header line
// ("Date: 07/31/2015FuLL") or OCR-garbled ("KtLt/Abt IN").
#ifndef RA_PARSE_STAMP_H_
#define RA_PARSE_STAMP_H_

#include <string_view>
#include <vector>

#include "model/document.h"
#include "pack/pack.h"
#include "parse/fields.h"

namespace ra::parse_internal {

// Tries to read a release stamp starting on lines[i]. `tail_begin` is the
// column where text after a page header's date starts on that line, or -1.
// On success fills `stamp` (1-based lines; mark pages left to the caller),
// appends the regions it used to `spans` and returns true.
bool ReadStamp(const std::vector<std::string_view>& lines, int i, int tail_begin,
               const RulePack& pack, Stamp* stamp, std::vector<Span>* spans);

}  // namespace ra::parse_internal

#endif  // RA_PARSE_STAMP_H_
