#include "model/finding.h"

#include <cctype>

namespace ra {
namespace {
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (c == '_') c = '-';
  }
  return out;
}
}  // namespace

std::string_view SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
    case Severity::kUnspecified:
      break;
  }
  return "unspecified";
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  const std::string l = Lower(name);
  for (Severity s : {Severity::kInfo, Severity::kWarning, Severity::kError}) {
    if (SeverityName(s) == l) return s;
  }
  return std::nullopt;
}

std::string_view FindingStatusName(FindingStatus s) {
  switch (s) {
    case FindingStatus::kOpen:
      return "open";
    case FindingStatus::kConfirmed:
      return "confirmed";
    case FindingStatus::kFixed:
      return "fixed";
    case FindingStatus::kWaived:
      return "waived";
    case FindingStatus::kFalsePositive:
      return "false-positive";
    case FindingStatus::kUnspecified:
      break;
  }
  return "unspecified";
}

std::optional<FindingStatus> ParseFindingStatus(std::string_view name) {
  const std::string l = Lower(name);
  for (FindingStatus s :
       {FindingStatus::kOpen, FindingStatus::kConfirmed, FindingStatus::kFixed,
        FindingStatus::kWaived, FindingStatus::kFalsePositive}) {
    if (FindingStatusName(s) == l) return s;
  }
  return std::nullopt;
}

}  // namespace ra
