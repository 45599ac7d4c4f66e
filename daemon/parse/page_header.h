// The State Department page header/footer: "UNCLASSIFIED U.S. Department of
// State Case No. F-2014-20439 Doc No. C05761411 Date: 06/30/2015", printed
// at the top and bottom of every page, sometimes split over two lines and
// with OCR noise in every field.
#ifndef RA_PARSE_PAGE_HEADER_H_
#define RA_PARSE_PAGE_HEADER_H_

#include <string_view>
#include <vector>

#include "model/document.h"

namespace ra::parse_internal {

struct HeaderHit {
  PageHeader header;  // page left to the caller; line is 1-based
  int last_line = 0;  // 0-based index of the header's last line
  // Byte column in the last line where text after the header's date starts
  // (a merged stamp, a page code); -1 when nothing follows the date.
  int tail_begin = -1;
};

// True when a page header starts at lines[i]; fills `hit`.
bool ReadPageHeader(const std::vector<std::string_view>& lines, int i,
                    HeaderHit* hit);

}  // namespace ra::parse_internal

#endif  // RA_PARSE_PAGE_HEADER_H_
