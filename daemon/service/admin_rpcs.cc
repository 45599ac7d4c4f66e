// AuditServiceImpl: the rpcs added for resumable batches and administration
// (ListStoredVersions, BackupDatabase, ReloadRules) and the role check.
#include <sys/stat.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "service/audit_service.h"
#include "service/convert.h"
#include "util/log.h"

namespace ra {

grpc::Status AuditServiceImpl::Authorize(const grpc::ServerContext* context,
                                         Role needed, const char* method,
                                         Principal* who) const {
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

}  // namespace ra
