// AuditServiceImpl: the rpcs added for resumable batches and administration
// (ListStoredVersions, BackupDatabase, ReloadRules, the admin suppressions),
// the start-up gate and the role check.
#include <sys/stat.h>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/audit_service.h"
#include "service/convert.h"
#include "util/log.h"

namespace ra {

AuditServiceImpl::AuditServiceImpl(AuditServiceOptions options)
    : options_(std::move(options)) {}

void AuditServiceImpl::Attach(const Pipeline* pipeline, Store* store,
                              const PackHolder* packs) {
  pipeline_ = pipeline;
  store_ = store;
  packs_ = packs;
  ready_.store(true, std::memory_order_release);
}

grpc::Status AuditServiceImpl::Authorize(const grpc::ServerContext* context,
                                         Role needed, const char* method,
                                         Principal* who) const {
  // Every rpc passes here first: until Attach nothing behind it exists.
  if (!ready_.load(std::memory_order_acquire)) {
    return grpc::Status(
        grpc::StatusCode::UNAVAILABLE,
        absl::StrCat(method, ": redaction-auditd is starting (",
                     phase_.load(), "); retry when the health check reports "
                     "SERVING"));
  }
  if (options_.guard == nullptr) {
    *who = Principal{"", Role::kAdmin};
    return grpc::Status::OK;
  }
  grpc::Status status = options_.guard->Authorize(*context, needed, method, who);
  if (!status.ok()) {
    LogWarning("event=denied method=", method, " code=",
               status.error_code() == grpc::StatusCode::UNAUTHENTICATED
                   ? "UNAUTHENTICATED"
                   : "PERMISSION_DENIED",
               " peer=\"", context->peer(), "\" reason=\"",
               status.error_message(), "\"");
  }
  return status;
}

grpc::Status AuditServiceImpl::ListStoredVersions(
    grpc::ServerContext* context, const v1::ListStoredVersionsRequest* request,
    v1::ListStoredVersionsResponse* response) {
  Principal who;
  grpc::Status allowed =
      Authorize(context, Role::kSubmitter, "ListStoredVersions", &who);
  if (!allowed.ok()) return allowed;
  absl::StatusOr<std::string> c = ParseCaseName(request->parent());
  if (!c.ok()) return ToGrpc(c.status());
  auto versions = store_->StoredVersions(*c);
  if (!versions.ok()) return ToGrpc(versions.status());
  for (const auto& [doc, sha] : *versions) {
    v1::StoredVersion* v = response->add_versions();
    v->set_document(DocumentName(*c, doc));
    v->set_sha256(sha);
  }
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::BackupDatabase(
    grpc::ServerContext* context, const v1::BackupDatabaseRequest* request,
    v1::BackupDatabaseResponse* response) {
  Principal who;
  grpc::Status allowed = Authorize(context, Role::kAdmin, "BackupDatabase", &who);
  if (!allowed.ok()) return allowed;
  if (!absl::StartsWith(request->path(), "/")) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        absl::StrCat("backup path \"", request->path(),
                                     "\" must be absolute (a path on the "
                                     "daemon's host)"));
  }
  const absl::Time start = absl::Now();
  absl::Status status = store_->Backup(request->path());
  if (!status.ok()) return ToGrpc(status);
  struct stat st;
  const int64_t bytes = stat(request->path().c_str(), &st) == 0 ? st.st_size : 0;
  LogInfo("event=backup path=\"", request->path(), "\" bytes=", bytes, " by=\"",
          who.name, "\" ms=", absl::ToInt64Milliseconds(absl::Now() - start));
  response->set_path(request->path());
  response->set_bytes(bytes);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ReloadRules(grpc::ServerContext* context,
                                           const v1::ReloadRulesRequest*,
                                           v1::ReloadRulesResponse* response) {
  Principal who;
  grpc::Status allowed = Authorize(context, Role::kAdmin, "ReloadRules", &who);
  if (!allowed.ok()) return allowed;
  if (!options_.reload_rules) {
    return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                        "this daemon cannot reload its rules");
  }
  absl::StatusOr<std::string> pack = options_.reload_rules();
  if (!pack.ok()) return ToGrpc(pack.status());
  LogInfo("event=rules_reload_requested by=\"", who.name, "\" pack=", *pack);
  response->set_pack(*pack);
  return grpc::Status::OK;
}

namespace {

// Fingerprints are 32 hex digits (see Fingerprint() in check/).
absl::StatusOr<std::string> CheckFingerprint(const std::string& fingerprint) {
  const std::string lower = absl::AsciiStrToLower(fingerprint);
  bool hex = lower.size() == 32;
  for (char c : lower) hex = hex && absl::ascii_isxdigit(static_cast<unsigned char>(c));
  if (!hex) {
    return absl::InvalidArgumentError(absl::StrCat(
        "fingerprint \"", fingerprint,
        "\" is not 32 hex digits (copy it from `redaction-audit findings`)"));
  }
  return lower;
}

// The fingerprint of an Add/RemoveSuppression request, checked, when this
// daemon manages suppressions.
absl::StatusOr<std::string> SuppressionTarget(const AuditServiceOptions& options,
                                              const std::string& fingerprint) {
  if (options.suppressions == nullptr) {
    return absl::FailedPreconditionError("this daemon does not manage suppressions");
  }
  return CheckFingerprint(fingerprint);
}

// The principal's name as recorded; without --auth_tokens there is none.
std::string RecordedName(const Principal& who) {
  return who.name.empty() ? "local admin" : who.name;
}

void ToProto(const SuppressionRecord& r, v1::AdminSuppression* out) {
  out->set_fingerprint(r.fingerprint);
  out->set_reason(r.reason);
  out->set_added_by(r.added_by);
  out->set_added_at(
      absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", r.added_at, absl::UTCTimeZone()));
}

}  // namespace

grpc::Status AuditServiceImpl::AddSuppression(
    grpc::ServerContext* context, const v1::AddSuppressionRequest* request,
    v1::AdminSuppression* response) {
  Principal who;
  grpc::Status allowed = Authorize(context, Role::kAdmin, "AddSuppression", &who);
  if (!allowed.ok()) return allowed;
  absl::StatusOr<std::string> fingerprint =
      SuppressionTarget(options_, request->fingerprint());
  if (!fingerprint.ok()) return ToGrpc(fingerprint.status());
  const std::string reason(absl::StripAsciiWhitespace(request->reason()));
  if (reason.empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                        "a suppression needs a reason (--reason)");
  }
  SuppressionRecord record;
  record.fingerprint = *fingerprint;
  record.reason = reason;
  record.added_by = RecordedName(who);
  absl::StatusOr<SuppressionRecord> added = store_->AddSuppression(record);
  if (!added.ok()) return ToGrpc(added.status());
  options_.suppressions->Add(added->fingerprint);
  LogInfo("event=suppression_added fingerprint=", added->fingerprint, " by=\"",
          added->added_by, "\" reason=\"", added->reason, "\"");
  ToProto(*added, response);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::RemoveSuppression(
    grpc::ServerContext* context, const v1::RemoveSuppressionRequest* request,
    v1::AdminSuppression* response) {
  Principal who;
  grpc::Status allowed = Authorize(context, Role::kAdmin, "RemoveSuppression", &who);
  if (!allowed.ok()) return allowed;
  absl::StatusOr<std::string> fingerprint =
      SuppressionTarget(options_, request->fingerprint());
  if (!fingerprint.ok()) return ToGrpc(fingerprint.status());
  absl::StatusOr<SuppressionRecord> removed = store_->RemoveSuppression(*fingerprint);
  if (!removed.ok()) return ToGrpc(removed.status());
  options_.suppressions->Remove(removed->fingerprint);
  LogInfo("event=suppression_removed fingerprint=", removed->fingerprint,
          " by=\"", RecordedName(who),
          "\" added_by=\"", removed->added_by, "\"");
  ToProto(*removed, response);
  return grpc::Status::OK;
}

grpc::Status AuditServiceImpl::ListSuppressions(
    grpc::ServerContext* context, const v1::ListSuppressionsRequest*,
    v1::ListSuppressionsResponse* response) {
  Principal who;
  grpc::Status allowed = Authorize(context, Role::kAdmin, "ListSuppressions", &who);
  if (!allowed.ok()) return allowed;
  absl::StatusOr<std::vector<SuppressionRecord>> listed = store_->ListSuppressions();
  if (!listed.ok()) return ToGrpc(listed.status());
  for (const SuppressionRecord& r : *listed) ToProto(r, response->add_suppressions());
  return grpc::Status::OK;
}

}  // namespace ra
