// Reading exemption codes printed at a code position (a margin field, a
// stamp's code list) through the rule pack's dialect table.
#ifndef RA_PARSE_CODES_H_
#define RA_PARSE_CODES_H_

#include <string_view>
#include <vector>

#include "model/document.h"
#include "pack/pack.h"

namespace ra::parse_internal {

// True when `word` has the shape of an exemption code although no dialect
// may know it: "B0", "B66", "B7(G)", "1.4(Z)", "(b)(10)". Page numbers,
// aliases and OCR debris ("7C)", "P2", "H2", "SES-0", "1.3") are not.
bool LooksLikeCode(std::string_view word);

// Reads `text`, the whole content of one field, as a list of codes:
// "B6", "B5,B6", "B1,1.4(B),1.4(D), B5", "B3 CIA", "1.4 D)". On success
// appends one Mark per code (column = `column` + offset in text; page and
// line left to the caller) and returns true. Returns false, appending
// nothing, when any word is neither a known spelling, a qualifier right
// after a code, nor (with `allow_unknown`) a code-shaped unknown word.
bool ReadCodeList(std::string_view text, int column, const RulePack& pack,
                  bool allow_unknown, std::vector<Mark>* out);

// ReadCodeList without its first-byte shortcut (for tests: both must
// agree on every text).
bool ReadCodeListFully(std::string_view text, int column, const RulePack& pack,
                       bool allow_unknown, std::vector<Mark>* out);

// True for a field of OCR debris only (a stray quote, comma, dash, bullet)
// that may trail a margin code.
bool IsDebrisField(std::string_view text);

}  // namespace ra::parse_internal

#endif  // RA_PARSE_CODES_H_
