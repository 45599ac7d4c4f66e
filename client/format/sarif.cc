// SARIF 2.1.0 output (OASIS standard, the format GitHub code scanning
// ingests).
#include <algorithm>
#include <cctype>
#include <map>

#include "absl/strings/str_cat.h"
#include "format/json.h"
#include "format/report.h"

namespace ra::cli {
namespace v1 = ::redaction_audit::v1;

namespace {

const char* Level(v1::Severity s) {
  switch (s) {
    case v1::ERROR:
      return "error";
    case v1::WARNING:
      return "warning";
    default:
      return "note";
  }
}

// A relative path as a URI reference (percent-encoded), or an absolute one
// as a file: URI.
std::string UriOf(const std::string& path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out = path.empty() || path[0] != '/' ? "" : "file://";
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

std::string ArtifactLocation(const std::string& path) {
  JsonObject o;
  o.Field("uri", UriOf(path));
  if (path.empty() || path[0] != '/') o.Field("uriBaseId", "%SRCROOT%");
  return o.str();
}

// "stamp.code-not-marked" -> "StampCodeNotMarked": the readable name SARIF
// wants beside the opaque id.
std::string RuleName(const std::string& id) {
  std::string out;
  bool upper = true;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c))) {
      upper = true;
      continue;
    }
    out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return out;
}

std::string RuleJson(const v1::Rule& r) {
  const std::string text =
      absl::StrCat(r.description(), " Default severity: ", SeverityName(r.severity()),
                   ". Review a finding with `redaction-audit review ID --status "
                   "confirmed|waived|false-positive`; see rules/README.md for "
                   "examples and tuning.");
  const std::string markdown = absl::StrCat(
      "**", r.id(), "** (", SeverityName(r.severity()), ")\n\n", r.description(),
      "\n\nReview a finding with `redaction-audit review ID --status "
      "confirmed|waived|false-positive`; rules/README.md has an example of "
      "this rule and how to tune it.");
  return JsonObject()
      .Field("id", r.id())
      .Field("name", RuleName(r.id()))
      .Raw("shortDescription", JsonObject().Field("text", r.description()).str())
      .Raw("fullDescription", JsonObject().Field("text", r.description()).str())
      .Raw("help", JsonObject().Field("text", text).Field("markdown", markdown).str())
      .Raw("defaultConfiguration", JsonObject()
                                       .Field("level", Level(r.severity()))
                                       .Field("enabled", r.enabled())
                                       .str())
      .str();
}

}  // namespace

void WriteSarif(const ReportData& data, const std::string& tool_version,
                std::ostream& out) {
  // Rules: the pack's, plus any rule id a finding names that the pack lacks.
  std::vector<v1::Rule> rules = data.rules;
  std::map<std::string, int> rule_index;
  for (size_t i = 0; i < rules.size(); ++i) rule_index[rules[i].id()] = static_cast<int>(i);
  for (const v1::Finding& f : data.findings) {
    if (rule_index.count(f.rule()) > 0) continue;
    v1::Rule r;
    r.set_id(f.rule());
    r.set_severity(f.severity());
    r.set_enabled(true);
    r.set_description(absl::StrCat("Rule ", f.rule(), "."));
    rule_index[r.id()] = static_cast<int>(rules.size());
    rules.push_back(r);
  }
  std::string rules_json = "[";
  for (size_t i = 0; i < rules.size(); ++i) {
    if (i > 0) rules_json += ",";
    rules_json += "\n        " + RuleJson(rules[i]);
  }
  rules_json += "]";

  std::map<std::string, std::string> file_of;  // "CASE/DOC" -> file
  for (const ReportDocument& d : data.documents) {
    file_of[absl::StrCat(d.case_number, "/", d.doc_number)] = d.file;
  }

  std::string results = "[";
  bool first = true;
  for (const v1::Finding& f : data.findings) {
    if (f.status() == v1::FIXED) continue;
    std::string case_number;
    const std::string doc = DocNumberOf(f.name(), &case_number);
    std::string file = f.file_name();
    if (file.empty()) file = file_of[absl::StrCat(case_number, "/", doc)];
    if (file.empty()) file = doc + ".txt";

    JsonObject region;
    region.Field("startLine", std::max(1, f.location().line()));
    if (f.location().line() > 0 && f.location().length() > 0) {
      region.Field("startColumn", f.location().column() + 1);
      region.Field("endColumn", f.location().column() + 1 + f.location().length());
    }
    if (!f.evidence().empty()) {
      region.Raw("snippet", JsonObject().Field("text", f.evidence()).str());
    }
    const std::string location =
        JsonObject()
            .Raw("physicalLocation", JsonObject()
                                         .Raw("artifactLocation", ArtifactLocation(file))
                                         .Raw("region", region.str())
                                         .str())
            .str();
    JsonObject result;
    result.Field("ruleId", f.rule())
        .Field("ruleIndex", rule_index[f.rule()])
        .Field("level", Level(f.severity()))
        .Raw("message", JsonObject().Field("text", f.message()).str())
        .Raw("locations", "[" + location + "]")
        .Raw("partialFingerprints",
             JsonObject().Field("redactionAudit/v1", BaselineKey(f)).str());
    const std::string why = SuppressionOf(data, f);
    if (!why.empty()) {
      auto note = data.notes.find(f.name());
      std::string justification =
          why == "baseline" ? "accepted by the baseline file"
                            : absl::StrCat("reviewed as ", why);
      if (note != data.notes.end() && !note->second.empty()) {
        justification += ": " + note->second;
      }
      result.Raw("suppressions", "[" +
                                     JsonObject()
                                         .Field("kind", "external")
                                         .Field("status", "accepted")
                                         .Field("justification", justification)
                                         .str() +
                                     "]");
    }
    result.Raw("properties", JsonObject()
                                 .Field("finding", f.name())
                                 .Field("status", StatusName(f.status()))
                                 .Field("page", f.location().page())
                                 .Field("release", f.release())
                                 .Field("versionSha256", f.version_sha256())
                                 .str());
    results += first ? "\n    " : ",\n    ";
    results += result.str();
    first = false;
  }
  results += "]";

  JsonObject driver;
  driver.Field("name", "redaction-audit")
      .Field("semanticVersion", tool_version)
      .Raw("rules", rules_json);
  if (!data.pack.empty()) {
    driver.Raw("properties", JsonObject().Field("rulePack", data.pack).str());
  }
  const std::string run = JsonObject()
                              .Raw("tool", JsonObject().Raw("driver", driver.str()).str())
                              .Field("columnKind", "unicodeCodePoints")
                              .Raw("results", results)
                              .str();
  out << JsonObject()
             .Field("$schema", "https://json.schemastore.org/sarif-2.1.0.json")
             .Field("version", "2.1.0")
             .Raw("runs", "[" + run + "]")
             .str()
      << "\n";
}

}  // namespace ra::cli
