// Splitting a document's text into lines, and finding on the way the lines
// that hold the phrases the parser's readers look for first ("Doc No",
// "Case", "Classified by"): one pass over the bytes for both.
#ifndef RA_PARSE_LINES_H_
#define RA_PARSE_LINES_H_

#include <string_view>
#include <vector>

namespace ra::parse_internal {

// What ScanLines marks a line with.
enum LinePhrase : char {
  kHeaderPhrase = 1,  // "Doc No", "Case" or "base": ReadPageHeader finds no
                      // header on a line without one
  kClassifiedBy = 2,  // "Classified by": opens a classification block
};

// Appends the lines of `text` to `lines` (views into `text`, split on '\n',
// a trailing '\r' dropped; no empty last line after a final '\n') and, per
// line, the LinePhrase bits of the phrases it holds to `phrases`. With
// SSE2, sixty-four bytes at a time are searched for line breaks and the first
// bytes of the phrases ('D', 'C', 'b'), instead of one memchr per line and
// per first byte.
void ScanLines(std::string_view text, std::vector<std::string_view>* lines,
               std::vector<char>* phrases);

// ScanLines one byte at a time (what it does past its last whole block;
// for tests: both must agree on every text).
void ScanLinesByteByByte(std::string_view text, std::vector<std::string_view>* lines,
                         std::vector<char>* phrases);

}  // namespace ra::parse_internal

#endif  // RA_PARSE_LINES_H_
