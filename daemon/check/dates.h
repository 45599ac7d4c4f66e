// Calendar dates as printed in released records: "08/01/2024", "2015-06-30",
// "Friday, December 4, 2009 9:35 AM", "Dec 4, 2009". Pure functions.
#ifndef RA_CHECK_DATES_H_
#define RA_CHECK_DATES_H_

#include <optional>
#include <string>
#include <string_view>

#include "model/document.h"
#include "model/finding.h"

namespace ra {

struct Date {
  int year = 0;
  int month = 0;  // 1-12
  int day = 0;    // 1-31

  // Days since 1970-01-01 (proleptic Gregorian).
  long DayNumber() const;
  // Same day `years` later (Feb 29 becomes Feb 28).
  Date PlusYears(int years) const;
  std::string Iso() const;  // "2009-12-04"
  friend bool operator<(const Date& a, const Date& b) {
    return a.DayNumber() < b.DayNumber();
  }
  friend bool operator==(const Date& a, const Date& b) {
    return a.year == b.year && a.month == b.month && a.day == b.day;
  }
};

// Parses the first date in `text`: MM/DD/YYYY (or M/D/YYYY, dashes or dots
// as separators), YYYY-MM-DD, or "[Weekday,] Month D, YYYY" with full or
// abbreviated month names. nullopt when there is none or it is not a real
// calendar day.
std::optional<Date> ParseDate(std::string_view text);

// The date of the record: the metadata's document_date, else the first
// email "Sent:" (or "Date:") header. `source` (optional) says which.
std::optional<Date> DocumentDate(const Document& doc,
                                 const ReleaseMetadata& metadata,
                                 std::string* source);

}  // namespace ra

#endif  // RA_CHECK_DATES_H_
