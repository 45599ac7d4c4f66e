// redaction-audit inspect FILE... : what the parser sees; stores nothing.
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "cli.h"
#include "format/report.h"
#include "format/findings.h"
#include "format/table.h"
#include "grpcpp/grpcpp.h"

namespace ra::cli {

OptionSpec InspectOptions() { return OptionSpec{{"format", "case"}, {}}; }

int RunInspect(const Args& args) {
  if (args.positional.empty()) return Fail("inspect needs at least one file");
  const std::string format = args.Get("format", "json");
  if (format != "json" && format != "table") {
    return Fail("--format must be json or table");
  }
  auto conn = Connection::Open(ServerAddress(args));
  if (!conn.ok()) return Fail(std::string(conn.status().message()));
  int exit_code = kExitClean;
  for (const std::string& file : args.positional) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      std::cerr << "redaction-audit: " << file << ": cannot open file\n";
      exit_code = kExitUsage;
      continue;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    v1::InspectDocumentRequest request;
    request.set_file_name(file);
    request.set_content(ss.str());
    request.mutable_metadata()->set_case_number(args.Get("case"));
    v1::InspectDocumentResponse response;
    grpc::ClientContext context;
    grpc::Status status = conn->stub->InspectDocument(&context, request, &response);
    if (!status.ok()) {
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
        return Fail(absl::StrCat(conn->address, ": ", status.error_message()));
      }
      std::cerr << "redaction-audit: " << status.error_message() << "\n";
      exit_code = kExitFindings;
      continue;
    }
    if (format == "json") {
      std::cout << InspectJson(file, response) << "\n";
      continue;
    }
    const v1::ParsedDocument& p = response.parsed();
    std::cout << file << ": " << DispositionName(p.disposition()) << ", "
              << p.page_count() << " pages, stamp codes:";
    for (const auto& c : p.stamp_codes()) std::cout << " " << c;
    std::cout << "\n";
    Table marks({"PAGE", "LINE", "CODE", "PRINTED"});
    for (const v1::Mark& m : p.marks()) {
      marks.AddRow({std::to_string(m.page()), std::to_string(m.line()), m.code(),
                    m.printed()});
    }
    if (!marks.empty()) marks.Print(std::cout);
    for (const v1::Finding& f : response.findings()) {
      std::cout << "  " << SeverityName(f.severity()) << " line "
                << f.location().line() << " " << f.rule() << ": " << f.message()
                << "\n";
    }
  }
  return exit_code;
}

}  // namespace ra::cli
