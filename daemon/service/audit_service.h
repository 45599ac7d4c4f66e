// The gRPC edge: AuditService implemented over the pipeline and the store.
// Holds no business logic: it converts messages, calls the pipeline or the
// store, and maps absl::Status to grpc::Status.
#ifndef RA_SERVICE_AUDIT_SERVICE_H_
#define RA_SERVICE_AUDIT_SERVICE_H_

#include <atomic>
#include <functional>
#include <string>

#include "metrics/metrics.h"
#include "pipeline/pipeline.h"
#include "redaction_audit/v1/audit_service.grpc.pb.h"
#include "service/limits.h"
#include "service/security.h"
#include "store/store.h"

namespace ra {

class BatchStream;

struct AuditServiceOptions {
  // Documents of one AuditDocuments stream processed at the same time.
  int stream_workers = 2;
  // Who may call what; null lets every caller in as admin.
  const Guard* guard = nullptr;
  RequestLimits limits;
  // Reloads the rule pack (ReloadRules); returns "name@version" of the
  // pack now in force, or why the reload failed (the old pack stays).
  std::function<absl::StatusOr<std::string>()> reload_rules;
  // Counters and histograms to update; null records nothing.
  metrics::DaemonMetrics* metrics = nullptr;
  // Admin-managed suppressions (the store's); null disables those rpcs.
  SuppressionSet* suppressions = nullptr;
  // The largest message the server sends (its gRPC send limit); a batch
  // result larger than that is sent as an error naming the document. 0: no
  // limit.
  int64_t max_result_bytes = 0;
};

class AuditServiceImpl final
    : public ::redaction_audit::v1::AuditService::Service {
 public:
  // A service that is still starting: every rpc answers UNAVAILABLE naming
  // `phase` (see SetStartupPhase) until Attach.
  explicit AuditServiceImpl(AuditServiceOptions options);
  // What the daemon is doing before it serves ("loading the rule pack").
  // `phase` must be a string literal.
  void SetStartupPhase(const char* phase) { phase_.store(phase); }
  // Starts serving with these (all must outlive the service).
  void Attach(const Pipeline* pipeline, Store* store, const PackHolder* packs);

  grpc::Status AuditDocument(
      grpc::ServerContext* context,
      const ::redaction_audit::v1::AuditDocumentRequest* request,
      ::redaction_audit::v1::AuditDocumentResponse* response) override;
  grpc::Status AuditDocuments(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<::redaction_audit::v1::AuditDocumentsResponse,
                               ::redaction_audit::v1::AuditDocumentRequest>*
          stream) override;
  grpc::Status AuditDocumentGroups(
      grpc::ServerContext* context,
      grpc::ServerReaderWriter<::redaction_audit::v1::AuditDocumentGroupResults,
                               ::redaction_audit::v1::AuditDocumentGroup>* stream)
      override;
  grpc::Status InspectDocument(
      grpc::ServerContext* context,
      const ::redaction_audit::v1::InspectDocumentRequest* request,
      ::redaction_audit::v1::InspectDocumentResponse* response) override;
  grpc::Status ListFindings(
      grpc::ServerContext* context,
      const ::redaction_audit::v1::ListFindingsRequest* request,
      ::redaction_audit::v1::ListFindingsResponse* response) override;
  grpc::Status GetFinding(grpc::ServerContext* context,
                          const ::redaction_audit::v1::GetFindingRequest* request,
                          ::redaction_audit::v1::Finding* response) override;
  grpc::Status ReviewFinding(
      grpc::ServerContext* context,
      const ::redaction_audit::v1::ReviewFindingRequest* request,
      ::redaction_audit::v1::Finding* response) override;
  grpc::Status GetCaseReport(
      grpc::ServerContext* context,
      const ::redaction_audit::v1::GetCaseReportRequest* request,
      ::redaction_audit::v1::CaseReport* response) override;
  grpc::Status ListRules(grpc::ServerContext* context,
                         const ::redaction_audit::v1::ListRulesRequest* request,
                         ::redaction_audit::v1::ListRulesResponse* response) override;
  grpc::Status ListFindingReviews(
      grpc::ServerContext* context,
      const ::redaction_audit::v1::ListFindingReviewsRequest* request,
      ::redaction_audit::v1::ListFindingReviewsResponse* response) override;
  grpc::Status ListStoredVersions(
      grpc::ServerContext* context,
      const ::redaction_audit::v1::ListStoredVersionsRequest* request,
      ::redaction_audit::v1::ListStoredVersionsResponse* response) override;
  grpc::Status BackupDatabase(
      grpc::ServerContext* context,
      const ::redaction_audit::v1::BackupDatabaseRequest* request,
      ::redaction_audit::v1::BackupDatabaseResponse* response) override;
  grpc::Status ReloadRules(
      grpc::ServerContext* context,
      const ::redaction_audit::v1::ReloadRulesRequest* request,
      ::redaction_audit::v1::ReloadRulesResponse* response) override;
  grpc::Status CrossCheckCase(
      grpc::ServerContext* context,
      const ::redaction_audit::v1::CrossCheckCaseRequest* request,
      ::redaction_audit::v1::CrossCheckCaseResponse* response) override;
  grpc::Status CheckRelease(
      grpc::ServerContext* context,
      const ::redaction_audit::v1::CheckReleaseRequest* request,
      ::redaction_audit::v1::CheckReleaseResponse* response) override;
  grpc::Status AddSuppression(
      grpc::ServerContext* context,
      const ::redaction_audit::v1::AddSuppressionRequest* request,
      ::redaction_audit::v1::AdminSuppression* response) override;
  grpc::Status RemoveSuppression(
      grpc::ServerContext* context,
      const ::redaction_audit::v1::RemoveSuppressionRequest* request,
      ::redaction_audit::v1::AdminSuppression* response) override;
  grpc::Status ListSuppressions(
      grpc::ServerContext* context,
      const ::redaction_audit::v1::ListSuppressionsRequest* request,
      ::redaction_audit::v1::ListSuppressionsResponse* response) override;

 private:
  // Audits one request from `who` into `response`; the status names the file.
  absl::Status AuditOne(const ::redaction_audit::v1::AuditDocumentRequest& request,
                        const Principal& who,
                        ::redaction_audit::v1::AuditDocumentResponse* response) const;
  // Runs a batch stream (AuditDocuments, AuditDocumentGroups) named
  // `method` through the pipeline's stages.
  grpc::Status RunBatch(grpc::ServerContext* context, const char* method,
                        BatchStream& stream);

  // Set at construction or by Attach (before ready_ is stored true).
  const Pipeline* pipeline_ = nullptr;
  Store* store_ = nullptr;
  const PackHolder* packs_ = nullptr;
  std::atomic<bool> ready_{false};
  std::atomic<const char*> phase_{"starting"};
  // The caller if it holds `needed`; see Guard::Authorize.
  grpc::Status Authorize(const grpc::ServerContext* context, Role needed,
                         const char* method, Principal* who) const;

  AuditServiceOptions options_;
  std::atomic<int> open_streams_{0};
};

}  // namespace ra

#endif  // RA_SERVICE_AUDIT_SERVICE_H_
