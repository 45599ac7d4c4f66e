#include "service/convert.h"

#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/match.h"

namespace ra {

grpc::Status ToGrpc(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

ReleaseMetadata FromProto(const v1::DocumentMetadata& md) {
  ReleaseMetadata out;
  out.case_number = md.case_number();
  out.doc_number = md.doc_number();
  out.release = md.release();
  out.release_date = md.release_date();
  out.document_date = md.document_date();
  out.request_date = md.request_date();
  switch (md.disposition()) {
    case v1::NONE:
      out.disposition = Disposition::kNone;
      break;
    case v1::FULL:
      out.disposition = Disposition::kFull;
      break;
    case v1::PART:
      out.disposition = Disposition::kPart;
      break;
    case v1::DENIED:
      out.disposition = Disposition::kDenied;
      break;
    default:
      break;
  }
  out.claimed_exemptions.assign(md.claimed_exemptions().begin(),
                                md.claimed_exemptions().end());
  out.page_count = md.page_count();
  return out;
}

v1::Disposition ToProto(Disposition d) {
  switch (d) {
    case Disposition::kFull:
      return v1::FULL;
    case Disposition::kPart:
      return v1::PART;
    case Disposition::kDenied:
      return v1::DENIED;
    case Disposition::kNone:
      break;
  }
  return v1::NONE;
}

v1::Severity ToProto(Severity s) { return static_cast<v1::Severity>(s); }
v1::FindingStatus ToProto(FindingStatus s) {
  return static_cast<v1::FindingStatus>(s);
}
Severity FromProto(v1::Severity s) {
  return s >= v1::INFO && s <= v1::ERROR ? static_cast<Severity>(s)
                                         : Severity::kUnspecified;
}
FindingStatus FromProto(v1::FindingStatus s) {
  return s >= v1::OPEN && s <= v1::FALSE_POSITIVE
             ? static_cast<FindingStatus>(s)
             : FindingStatus::kUnspecified;
}

namespace {
void ToProto(const Mark& m, v1::Mark* out) {
  out->set_page(m.page);
  out->set_line(m.line);
  out->set_code(m.code.empty() ? m.printed : m.code);
  out->set_printed(m.printed);
}
}  // namespace

void ToProto(const Document& doc, v1::ParsedDocument* out) {
  out->set_disposition(ToProto(doc.stamp.disposition));
  for (const Mark& m : doc.stamp.codes) {
    out->add_stamp_codes(m.code.empty() ? m.printed : m.code);
  }
  for (const Mark& m : doc.marks) ToProto(m, out->add_marks());
  for (const auto& v : doc.case_numbers) out->add_case_numbers(v);
  for (const auto& v : doc.doc_numbers) out->add_doc_numbers(v);
  for (const auto& v : doc.release_dates) out->add_release_dates(v);
  out->set_page_count(doc.page_count());
  out->set_line_count(doc.line_count());
  if (doc.classification) {
    const Classification& c = *doc.classification;
    v1::Classification* pc = out->mutable_classification();
    pc->set_level(c.level);
    for (const auto& r : c.reasons) pc->add_reasons(r);
    pc->set_declassify_on(c.declassify_on);
    pc->set_classified_by(c.classified_by);
  }
}

void ToProto(const Finding& f, v1::Finding* out) {
  out->set_rule(f.rule_id);
  out->set_severity(ToProto(f.severity));
  out->set_message(f.message);
  v1::Location* loc = out->mutable_location();
  loc->set_page(f.page);
  loc->set_line(f.line);
  loc->set_column(f.column);
  loc->set_length(f.length);
  out->set_evidence(f.evidence);
  out->set_fingerprint(f.fingerprint);
}

void ToProto(const StoredFinding& f, v1::Finding* out) {
  ToProto(f.finding, out);
  out->set_name(FindingName(f.case_number, f.doc_number, f.id));
  out->set_status(ToProto(f.status));
  out->set_version_sha256(f.version_sha256);
  out->set_release(f.release);
  out->set_etag(f.etag);
  out->set_file_name(f.file_name);
}

std::string CaseName(const std::string& case_number) {
  return absl::StrCat("cases/", case_number);
}
std::string DocumentName(const std::string& case_number,
                         const std::string& doc_number) {
  return absl::StrCat("cases/", case_number, "/documents/", doc_number);
}
std::string FindingName(const std::string& case_number,
                        const std::string& doc_number, int64_t id) {
  return absl::StrCat(DocumentName(case_number, doc_number), "/findings/", id);
}

absl::StatusOr<FindingRef> ParseFindingName(const std::string& name) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  FindingRef ref;
  if (parts.size() != 6 || parts[0] != "cases" || parts[2] != "documents" ||
      parts[4] != "findings" || parts[1].empty() || parts[3].empty() ||
      !absl::SimpleAtoi(parts[5], &ref.id) || ref.id <= 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "finding name \"", name,
        "\" is not of the form cases/{case}/documents/{doc}/findings/{id}"));
  }
  ref.case_number = parts[1];
  ref.doc_number = parts[3];
  return ref;
}

absl::StatusOr<std::string> ParseCaseName(const std::string& name) {
  std::vector<std::string> parts = absl::StrSplit(name, '/');
  if (parts.size() != 2 || parts[0] != "cases" || parts[1].empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("case name \"", name, "\" is not of the form cases/{case}"));
  }
  return parts[1];
}

std::string EncodePageToken(int64_t after_id) {
  return absl::WebSafeBase64Escape(absl::StrCat("after:", after_id));
}

absl::StatusOr<int64_t> DecodePageToken(const std::string& token) {
  std::string raw;
  int64_t id = 0;
  if (!absl::WebSafeBase64Unescape(token, &raw) ||
      !absl::StartsWith(raw, "after:") ||
      !absl::SimpleAtoi(absl::string_view(raw).substr(6), &id) || id < 0) {
    return absl::InvalidArgumentError(
        "page_token is not a token from a previous ListFindings response");
  }
  return id;
}

}  // namespace ra
