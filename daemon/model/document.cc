#include "model/document.h"

#include <algorithm>
#include <cctype>

namespace ra {

std::string_view DispositionName(Disposition d) {
  switch (d) {
    case Disposition::kFull:
      return "FULL";
    case Disposition::kPart:
      return "PART";
    case Disposition::kDenied:
      return "DENIED";
    case Disposition::kNone:
      break;
  }
  return "NONE";
}

std::optional<Disposition> ParseDisposition(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (Disposition d : {Disposition::kNone, Disposition::kFull,
                        Disposition::kPart, Disposition::kDenied}) {
    if (DispositionName(d) == upper) return d;
  }
  if (upper == "RELEASE IN FULL") return Disposition::kFull;
  if (upper == "RELEASE IN PART") return Disposition::kPart;
  if (upper == "WITHHELD IN FULL" || upper == "DENIED IN FULL") {
    return Disposition::kDenied;
  }
  return std::nullopt;
}

int Document::PageOfLine(int line) const {
  if (pages.empty()) return 1;
  auto it = std::upper_bound(
      pages.begin(), pages.end(), line,
      [](int l, const Page& p) { return l < p.first_line; });
  if (it == pages.begin()) return 1;
  return std::prev(it)->number;
}

}  // namespace ra
