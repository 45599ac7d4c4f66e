#include "commands/report_data.h"

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "format/findings.h"
#include "grpcpp/grpcpp.h"

#ifndef RA_VERSION
#define RA_VERSION "0.0.0"
#endif

namespace ra::cli {

namespace {

absl::Status FromGrpc(const grpc::Status& s, const std::string& what) {
  return absl::Status(static_cast<absl::StatusCode>(s.error_code()),
                      absl::StrCat(what, ": ", s.error_message()));
}

}  // namespace

std::string NowRfc3339() {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", absl::Now(), absl::UTCTimeZone());
}

absl::Status FetchRules(Connection& conn, ReportData* data) {
  v1::ListRulesResponse response;
  grpc::ClientContext context;
  grpc::Status s = conn.stub->ListRules(&context, v1::ListRulesRequest(), &response);
  if (!s.ok()) return FromGrpc(s, "ListRules");
  data->pack = response.pack();
  data->rules.assign(response.rules().begin(), response.rules().end());
  return absl::OkStatus();
}

absl::Status FetchDocuments(Connection& conn, const std::string& case_number,
                            const std::string& release, ReportData* data,
                            v1::CaseReport* report) {
  v1::GetCaseReportRequest request;
  request.set_name("cases/" + case_number);
  request.set_include_documents(true);
  v1::CaseReport response;
  grpc::ClientContext context;
  grpc::Status s = conn.stub->GetCaseReport(&context, request, &response);
  if (!s.ok()) return FromGrpc(s, "GetCaseReport");
  for (const v1::DocumentExemptions& d : response.document_exemptions()) {
    if (!release.empty() && d.release() != release) continue;
    data->documents.push_back(FromDocumentExemptions(d));
  }
  if (report != nullptr) *report = std::move(response);
  return absl::OkStatus();
}

absl::Status FetchFindings(Connection& conn, const std::string& case_number,
                           const std::string& release, ReportData* data) {
  v1::ListFindingsRequest request;
  request.set_parent("cases/" + case_number);
  request.set_release(release);
  request.set_page_size(1000);
  std::map<std::string, size_t> docs;
  for (const ReportDocument& d : data->documents) {
    docs[absl::StrCat(d.case_number, "/", d.doc_number)] = 1;
  }
  while (true) {
    v1::ListFindingsResponse response;
    grpc::ClientContext context;
    grpc::Status s = conn.stub->ListFindings(&context, request, &response);
    if (!s.ok()) return FromGrpc(s, "ListFindings");
    for (const v1::Finding& f : response.findings()) {
      data->findings.push_back(f);
      std::string c;
      const std::string doc = DocNumberOf(f.name(), &c);
      if (docs.emplace(absl::StrCat(c, "/", doc), 1).second) {
        ReportDocument d;
        d.case_number = c;
        d.doc_number = doc;
        d.file = f.file_name();
        d.release = f.release();
        data->documents.push_back(d);
      }
    }
    if (response.next_page_token().empty()) break;
    request.set_page_token(response.next_page_token());
  }
  return absl::OkStatus();
}

absl::Status FetchNotes(Connection& conn, ReportData* data) {
  for (const v1::Finding& f : data->findings) {
    if (f.status() != v1::WAIVED && f.status() != v1::FALSE_POSITIVE) continue;
    v1::ListFindingReviewsRequest request;
    request.set_name(f.name());
    v1::ListFindingReviewsResponse response;
    grpc::ClientContext context;
    grpc::Status s = conn.stub->ListFindingReviews(&context, request, &response);
    if (!s.ok()) return FromGrpc(s, "ListFindingReviews " + f.name());
    for (const v1::FindingReview& r : response.reviews()) {
      if (r.to_status() == f.status()) {
        data->notes[f.name()] = absl::StrCat(r.note(), " (", r.reviewer(), ", ", r.time(), ")");
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ReadBaseline(const std::string& path, ReportData* data) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat(path, ": cannot open baseline file"));
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    absl::string_view text = line;
    const size_t hash = text.find('#');
    if (hash != absl::string_view::npos) text = text.substr(0, hash);
    text = absl::StripAsciiWhitespace(text);
    if (text.empty()) continue;
    const size_t space = text.find(' ');
    if (space == absl::string_view::npos || text.substr(0, space).find('/') ==
                                                absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(
          path, ":", number, ": expected \"CASE/DOC FINGERPRINT\", got \"", text, "\""));
    }
    data->baseline.insert(std::string(text));
  }
  return absl::OkStatus();
}

absl::Status WriteBaseline(const std::string& path, const ReportData& data) {
  std::ofstream out(path);
  if (!out) return absl::PermissionDeniedError(absl::StrCat(path, ": cannot write"));
  out << "# redaction-audit baseline: findings accepted as they are (CASE/DOC "
         "FINGERPRINT).\n# Written "
      << NowRfc3339() << "; check --baseline this file ignores them.\n";
  for (const v1::Finding& f : data.findings) {
    if (f.status() == v1::FIXED) continue;
    out << BaselineKey(f) << "  # " << f.rule() << ": " << f.message() << "\n";
  }
  out.close();
  if (!out) return absl::DataLossError(absl::StrCat(path, ": write failed"));
  return absl::OkStatus();
}

absl::Status WriteReport(const ReportData& data, const std::string& format,
                         const std::string& path) {
  std::ostringstream buf;
  if (format == "sarif") {
    WriteSarif(data, RA_VERSION, buf);
  } else if (format == "junit") {
    WriteJUnit(data, buf);
  } else if (format == "markdown") {
    WriteMarkdown(data, buf);
  } else if (format == "html") {
    WriteHtml(data, buf);
  } else if (format == "csv" || format == "json" || format == "table") {
    WriteFindings(data.findings, format, buf);
  } else {
    return absl::InvalidArgumentError(absl::StrCat("unknown report format \"", format, "\""));
  }
  return WriteText(buf.str(), path);
}

absl::Status WriteText(const std::string& text, const std::string& path) {
  if (path.empty() || path == "-") {
    std::cout << text;
    return absl::OkStatus();
  }
  std::ofstream out(path, std::ios::binary);
  out << text;
  out.close();
  if (!out) return absl::PermissionDeniedError(absl::StrCat(path, ": cannot write"));
  return absl::OkStatus();
}

}  // namespace ra::cli
