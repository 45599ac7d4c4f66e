#include "model/document.h"

#include <algorithm>
#include <cctype>
#include <cstdint>

namespace ra {

DocumentText::DocumentText(const DocumentText& other)
    : text(other.text), lines(other.lines) {
  Rebase(other.text.data(), other.text.size());
}

DocumentText::DocumentText(DocumentText&& other) noexcept {
  const char* old_base = other.text.data();
  const size_t size = other.text.size();
  text = std::move(other.text);
  lines = std::move(other.lines);
  Rebase(old_base, size);
}

DocumentText& DocumentText::operator=(const DocumentText& other) {
  if (this != &other) {
    text = other.text;
    lines = other.lines;
    Rebase(other.text.data(), other.text.size());
  }
  return *this;
}

DocumentText& DocumentText::operator=(DocumentText&& other) noexcept {
  if (this != &other) {
    const char* old_base = other.text.data();
    const size_t size = other.text.size();
    text = std::move(other.text);
    lines = std::move(other.lines);
    Rebase(old_base, size);
  }
  return *this;
}

void DocumentText::Rebase(const char* old_base, size_t size) {
  if (old_base == text.data()) return;
  const auto begin = reinterpret_cast<uintptr_t>(old_base);
  for (std::string_view& line : lines) {
    const auto at = reinterpret_cast<uintptr_t>(line.data());
    if (at < begin || at > begin + size) continue;
    line = std::string_view(text.data() + (at - begin), line.size());
  }
}

bool LinesAreViewsInOrder(const DocumentText& doc) {
  const auto begin = reinterpret_cast<uintptr_t>(doc.text.data());
  const uintptr_t end = begin + doc.text.size();
  uintptr_t next = begin;  // where the next line may start at the earliest
  for (std::string_view line : doc.lines) {
    const auto at = reinterpret_cast<uintptr_t>(line.data());
    if (at < next || at > end || line.size() > end - at) return false;
    next = at + line.size();
  }
  return true;
}

std::vector<char> LinesHolding(const DocumentText& doc,
                               std::initializer_list<std::string_view> phrases) {
  const std::vector<std::string_view>& lines = doc.lines;
  std::vector<char> out(lines.size(), 0);
  if (lines.empty()) return out;
  const std::string_view all(doc.text);
  if (!LinesAreViewsInOrder(doc)) {
    for (size_t i = 0; i < lines.size(); ++i) {
      for (std::string_view phrase : phrases) {
        if (lines[i].find(phrase) != std::string_view::npos) out[i] = 1;
      }
    }
    return out;
  }
  for (std::string_view phrase : phrases) {
    size_t pos = all.find(phrase);
    while (pos != std::string_view::npos) {
      // The line holding the match: the last one starting at or before it
      // (a phrase holds no line break, so a match lies inside one line).
      const char* at = all.data() + pos;
      auto it = std::upper_bound(
          lines.begin(), lines.end(), at,
          [](const char* p, const std::string_view& l) { return p < l.data(); });
      if (it == lines.begin()) {  // before the first line
        pos = all.find(phrase, pos + 1);
        continue;
      }
      const size_t i = static_cast<size_t>(it - 1 - lines.begin());
      out[i] = 1;
      pos = all.find(phrase, static_cast<size_t>(lines[i].data() + lines[i].size() -
                                                 all.data()));
    }
  }
  return out;
}

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
