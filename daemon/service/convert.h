// Conversions between the engine's value types and the API messages, and
// between absl::Status and grpc::Status. Only the service edge uses these.
#ifndef RA_SERVICE_CONVERT_H_
#define RA_SERVICE_CONVERT_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/support/status.h"
#include "model/document.h"
#include "model/finding.h"
#include "redaction_audit/v1/audit_service.pb.h"
#include "store/store.h"

namespace ra {

namespace v1 = ::redaction_audit::v1;

grpc::Status ToGrpc(const absl::Status& status);

ReleaseMetadata FromProto(const v1::DocumentMetadata& md);
v1::Disposition ToProto(Disposition d);
v1::Severity ToProto(Severity s);
v1::FindingStatus ToProto(FindingStatus s);
Severity FromProto(v1::Severity s);
FindingStatus FromProto(v1::FindingStatus s);

void ToProto(const Document& doc, v1::ParsedDocument* out);
// A finding produced but not stored (InspectDocument).
void ToProto(const Finding& f, v1::Finding* out);
void ToProto(const StoredFinding& f, v1::Finding* out);

// Resource names.
std::string CaseName(const std::string& case_number);
std::string DocumentName(const std::string& case_number,
                         const std::string& doc_number);
std::string FindingName(const std::string& case_number,
                        const std::string& doc_number, int64_t id);

struct FindingRef {
  std::string case_number;
  std::string doc_number;
  int64_t id = 0;
};
// Parses "cases/{case}/documents/{doc}/findings/{id}".
absl::StatusOr<FindingRef> ParseFindingName(const std::string& name);
// Parses "cases/{case}".
absl::StatusOr<std::string> ParseCaseName(const std::string& name);

// Opaque page tokens for ListFindings: encode the last id of a page.
std::string EncodePageToken(int64_t after_id);
absl::StatusOr<int64_t> DecodePageToken(const std::string& token);

}  // namespace ra

#endif  // RA_SERVICE_CONVERT_H_
