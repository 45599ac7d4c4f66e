// parse: text of one released document -> the document model. Layout-aware:
// a line is read as fields separated by wide gaps, so codes in the margin,
// code-only lines and code lists are told apart from body text. Every
// printed code is normalized through the rule pack's dialect table.
#ifndef RA_PARSE_PARSER_H_
#define RA_PARSE_PARSER_H_

#include <string>

#include "model/document.h"
#include "pack/pack.h"

namespace ra {

// Parses `text` (UTF-8, as produced by ingest/). Never fails: what is not
// understood is not reported. Thread-safe; `pack` must outlive the call.
Document Parse(std::string text, const RulePack& pack);

}  // namespace ra

#endif  // RA_PARSE_PARSER_H_
