// redaction-audit history ID : every status change of a finding.
#include <iostream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "cli.h"
#include "format/report.h"
#include "format/findings.h"
#include "format/json.h"
#include "format/table.h"
#include "grpcpp/grpcpp.h"

namespace ra::cli {

OptionSpec HistoryOptions() { return OptionSpec{{"format"}, {}}; }

int RunHistory(const Args& args) {
  if (args.positional.size() != 1) {
    return Fail("history needs exactly one finding: its name "
                "(cases/C/documents/D/findings/N) or its id");
  }
  const std::string format = args.Get("format", "table");
  if (format != "table" && format != "json") return Fail("--format must be table or json");
  std::string name = args.positional[0];
  int64_t id = 0;
  if (absl::SimpleAtoi(name, &id)) name = absl::StrCat("cases/-/documents/-/findings/", id);
  auto conn = Connection::Open(ServerAddress(args));
  if (!conn.ok()) return Fail(std::string(conn.status().message()));
  v1::ListFindingReviewsRequest request;
  request.set_name(name);
  v1::ListFindingReviewsResponse response;
  grpc::ClientContext context;
  grpc::Status status = conn->stub->ListFindingReviews(&context, request, &response);
  if (!status.ok()) return Fail(status.error_message());

  if (format == "json") {
    std::string reviews = "[";
    for (const v1::FindingReview& r : response.reviews()) {
      if (reviews.size() > 1) reviews += ",";
      reviews += JsonObject()
                     .Field("time", r.time())
                     .Field("from", StatusName(r.from_status()))
                     .Field("to", StatusName(r.to_status()))
                     .Field("reviewer", r.reviewer())
                     .Field("note", r.note())
                     .str();
    }
    reviews += "]";
    const v1::Finding& f = response.finding();
    std::cout << JsonObject()
                     .Field("name", f.name())
                     .Field("rule", f.rule())
                     .Field("status", StatusName(f.status()))
                     .Field("etag", static_cast<int64_t>(f.etag()))
                     .Raw("history", reviews)
                     .str()
              << "\n";
    return kExitClean;
  }
  WriteFindings({response.finding()}, "table", std::cout);
  std::cout << "\n";
  if (response.reviews_size() == 0) {
    std::cout << "no status changes: open since the first audit\n";
    return kExitClean;
  }
  Table t({"TIME", "FROM", "TO", "REVIEWER", "NOTE"});
  for (const v1::FindingReview& r : response.reviews()) {
    t.AddRow({r.time(), StatusName(r.from_status()), StatusName(r.to_status()),
              r.reviewer(), r.note()});
  }
  t.Print(std::cout);
  return kExitClean;
}

}  // namespace ra::cli
