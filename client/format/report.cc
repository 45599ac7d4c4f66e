#include "format/report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace ra::cli {
namespace v1 = ::redaction_audit::v1;

std::string DocNumberOf(const std::string& finding_name, std::string* case_number) {
  const std::vector<std::string> parts = absl::StrSplit(finding_name, '/');
  // cases/{case}/documents/{doc}/findings/{id}
  if (parts.size() >= 4 && parts[0] == "cases" && parts[2] == "documents") {
    if (case_number != nullptr) *case_number = parts[1];
    return parts[3];
  }
  return "";
}

std::string BaselineKey(const v1::Finding& f) {
  std::string case_number;
  const std::string doc = DocNumberOf(f.name(), &case_number);
  return absl::StrCat(case_number, "/", doc, " ", f.fingerprint());
}

std::string SuppressionOf(const ReportData& data, const v1::Finding& f) {
  switch (f.status()) {
    case v1::WAIVED:
      return "waived";
    case v1::FALSE_POSITIVE:
      return "false-positive";
    case v1::FIXED:
      return "fixed";
    default:
      break;
  }
  if (data.baseline.count(BaselineKey(f)) > 0) return "baseline";
  return "";
}

bool IsFailing(const ReportData& data, const v1::Finding& f) {
  return f.severity() >= data.fail_on && SuppressionOf(data, f).empty();
}

const char* SeverityName(v1::Severity s) {
  switch (s) {
    case v1::INFO:
      return "info";
    case v1::WARNING:
      return "warning";
    case v1::ERROR:
      return "error";
    default:
      return "unspecified";
  }
}

const char* StatusName(v1::FindingStatus s) {
  switch (s) {
    case v1::OPEN:
      return "open";
    case v1::CONFIRMED:
      return "confirmed";
    case v1::FIXED:
      return "fixed";
    case v1::WAIVED:
      return "waived";
    case v1::FALSE_POSITIVE:
      return "false-positive";
    default:
      return "unspecified";
  }
}

const char* DispositionName(v1::Disposition d) {
  switch (d) {
    case v1::FULL:
      return "FULL";
    case v1::PART:
      return "PART";
    case v1::DENIED:
      return "DENIED";
    default:
      return "NONE";
  }
}

namespace {

// Length of the valid UTF-8 sequence at p[0..n), or 0 when invalid.
size_t Utf8Length(const unsigned char* p, size_t n) {
  const unsigned char c = p[0];
  size_t len = 0;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
  } else {
    return 0;
  }
  if (len > n) return 0;
  for (size_t i = 1; i < len; ++i) {
    if ((p[i] & 0xC0) != 0x80) return 0;
  }
  if (len == 3 && c == 0xE0 && p[1] < 0xA0) return 0;  // overlong
  if (len == 3 && c == 0xED && p[1] >= 0xA0) return 0;  // surrogate
  if (len == 4 && c == 0xF0 && p[1] < 0x90) return 0;
  if (len == 4 && c == 0xF4 && p[1] >= 0x90) return 0;
  return len;
}

}  // namespace

std::string XmlEscape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = p[i];
    if (c >= 0x80) {
      const size_t len = Utf8Length(p + i, s.size() - i);
      if (len == 0) {
        out += "\xEF\xBF\xBD";
        ++i;
      } else {
        out.append(s, i, len);
        i += len;
      }
      continue;
    }
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '\n':
      case '\t':
        out.push_back(static_cast<char>(c));
        break;
      default:
        out.push_back(c < 0x20 || c == 0x7F ? ' ' : static_cast<char>(c));
    }
    ++i;
  }
  return out;
}

}  // namespace ra::cli
