#include "check/dates.h"

#include <cctype>
#include <cstdio>

#include "absl/strings/ascii.h"

namespace ra {
namespace {

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysIn(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

std::optional<Date> Make(int y, int m, int d) {
  if (y < 1000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > DaysIn(y, m)) {
    return std::nullopt;
  }
  return Date{y, m, d};
}

// Reads 1..max digits at s[*i]; -1 when none.
int Digits(std::string_view s, size_t* i, int max) {
  int v = 0, n = 0;
  while (*i < s.size() && n < max && std::isdigit(static_cast<unsigned char>(s[*i]))) {
    v = v * 10 + (s[*i] - '0');
    ++*i;
    ++n;
  }
  if (*i < s.size() && std::isdigit(static_cast<unsigned char>(s[*i]))) return -1;
  return n == 0 ? -1 : v;
}

int MonthOf(std::string_view word) {
  static const char* const kNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                       "jul", "aug", "sep", "oct", "nov", "dec"};
  static const char* const kFull[] = {
      "january", "february", "march",     "april",   "may",      "june",
      "july",    "august",   "september", "october", "november", "december"};
  const std::string w = absl::AsciiStrToLower(absl::string_view(word.data(), word.size()));
  for (int m = 0; m < 12; ++m) {
    if (w == kFull[m] || w == kNames[m] || (m == 8 && w == "sept")) return m + 1;
  }
  return 0;
}

// Numeric forms starting at s[i].
std::optional<Date> NumericAt(std::string_view s, size_t i) {
  size_t j = i;
  const int a = Digits(s, &j, 4);
  if (a < 0 || j >= s.size()) return std::nullopt;
  const char sep = s[j];
  if (sep != '/' && sep != '-' && sep != '.') return std::nullopt;
  ++j;
  const int b = Digits(s, &j, 2);
  if (b < 0 || j >= s.size() || s[j] != sep) return std::nullopt;
  ++j;
  const int c = Digits(s, &j, 4);
  if (c < 0) return std::nullopt;
  if (j - i >= 8 && a >= 1000) return Make(a, b, c);  // YYYY-MM-DD
  if (c >= 1000) return Make(c, a, b);                 // MM/DD/YYYY
  return std::nullopt;
}

// "December 4, 2009" starting at the month word s[i].
std::optional<Date> WordAt(std::string_view s, size_t i) {
  size_t j = i;
  while (j < s.size() && std::isalpha(static_cast<unsigned char>(s[j]))) ++j;
  const int month = MonthOf(s.substr(i, j - i));
  if (month == 0) return std::nullopt;
  if (j < s.size() && s[j] == '.') ++j;
  while (j < s.size() && s[j] == ' ') ++j;
  const int day = Digits(s, &j, 2);
  if (day < 0) return std::nullopt;
  if (j < s.size() && s[j] == ',') ++j;
  while (j < s.size() && s[j] == ' ') ++j;
  const int year = Digits(s, &j, 4);
  if (year < 1000) return std::nullopt;
  return Make(year, month, day);
}

}  // namespace

long Date::DayNumber() const {
  // Days from civil (H. Hinnant's public-domain algorithm, restated).
  const int y = month <= 2 ? year - 1 : year;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = static_cast<unsigned>(month > 2 ? month - 3 : month + 9);
  const unsigned doy = (153 * mp + 2) / 5 + static_cast<unsigned>(day) - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<long>(era) * 146097 + static_cast<long>(doe) - 719468;
}

Date Date::PlusYears(int years) const {
  Date d{year + years, month, day};
  if (d.month == 2 && d.day == 29 && !IsLeap(d.year)) d.day = 28;
  return d;
}

std::string Date::Iso() const {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02d", year, month, day);
  return buf;
}

std::optional<Date> ParseDate(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const bool start = i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1]));
    if (!start) continue;
    if (std::isdigit(c)) {
      if (auto d = NumericAt(text, i)) return d;
    } else if (std::isalpha(c)) {
      if (auto d = WordAt(text, i)) return d;
    }
  }
  return std::nullopt;
}

std::optional<Date> DocumentDate(const Document& doc,
                                 const ReleaseMetadata& metadata,
                                 std::string* source) {
  if (!metadata.document_date.empty()) {
    if (auto d = ParseDate(metadata.document_date)) {
      if (source != nullptr) *source = "the release metadata's document date";
      return d;
    }
  }
  for (const EmailHeader& h : doc.email_headers) {
    if (h.field != "Sent" && h.field != "Date") continue;
    // No e-mail was sent before 1971: an earlier year in a header is an OCR
    // misread ("June 20,1010" for 2010), so the next header is asked.
    constexpr int kFirstEmailYear = 1971;
    if (auto d = ParseDate(h.value); d && d->year >= kFirstEmailYear) {
      if (source != nullptr) {
        *source = "the " + h.field + ": header on line " + std::to_string(h.line);
      }
      return d;
    }
  }
  return std::nullopt;
}

}  // namespace ra
