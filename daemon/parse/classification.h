// The printed classification block of a declassified record: "Classified by
// DAS, A/GIS, DoS on 07/30/2015 - Class: CONFIDENTIAL - Reason: 1.4(B),
// 1.4(D) - Declassify on: 08/01/2024", often wrapped over two or three lines
// and sharing those lines with email header fields on its left.
#ifndef RA_PARSE_CLASSIFICATION_H_
#define RA_PARSE_CLASSIFICATION_H_

#include <string_view>
#include <vector>

#include "model/document.h"
#include "pack/pack.h"
#include "parse/fields.h"

namespace ra::parse_internal {

// Tries to read a classification block starting on lines[i]; on success
// fills `out` (reasons canonical through the pack), appends the regions it
// used to `spans` and returns true. Regions already in `spans` (a stamp
// printed beside the block) are left out of it.
bool ReadClassification(const std::vector<std::string_view>& lines, int i,
                        const RulePack& pack, Classification* out,
                        std::vector<Span>* spans);

}  // namespace ra::parse_internal

#endif  // RA_PARSE_CLASSIFICATION_H_
