#include "store/sqlite.h"

#include <sqlite3.h>

#include <cstdio>
#include <utility>

#include "absl/strings/str_cat.h"

namespace ra::store_internal {
namespace {

// The SQL text shortened to one line for messages.
std::string Short(absl::string_view sql) {
  std::string out;
  bool space = false;
  for (char c : sql) {
    if (c == '\n' || c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
    if (out.size() >= 120) {
      out += "...";
      break;
    }
  }
  return out;
}

absl::Status Error(sqlite3* db, int rc, absl::string_view what) {
  const char* msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  return absl::Status(SqliteCode(rc), absl::StrCat(what, ": ", msg));
}

}  // namespace

absl::StatusCode SqliteCode(int rc) {
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return absl::StatusCode::kUnavailable;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return absl::StatusCode::kDataLoss;
    case SQLITE_FULL:
      return absl::StatusCode::kResourceExhausted;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
      return absl::StatusCode::kFailedPrecondition;
    default:
      return absl::StatusCode::kInternal;
  }
}

// ---- Statement ----

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql)
    : db_(db), stmt_(stmt), sql_(std::move(sql)) {}

Statement::Statement(sqlite3* db, sqlite3_stmt* stmt, const std::string* sql,
                     Cached* cached)
    : cached_(cached), cached_sql_(sql), db_(db), stmt_(stmt) {}

Statement::Statement(Statement&& other) noexcept
    : cached_(other.cached_),
      cached_sql_(other.cached_sql_),
      db_(other.db_),
      stmt_(other.stmt_),
      sql_(std::move(other.sql_)) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    Release();
    cached_ = other.cached_;
    cached_sql_ = other.cached_sql_;
    db_ = other.db_;
    stmt_ = other.stmt_;
    sql_ = std::move(other.sql_);
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() { Release(); }

void Statement::Release() {
  if (stmt_ == nullptr) return;
  if (cached_ != nullptr) {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    cached_->in_use = false;
  } else {
    sqlite3_finalize(stmt_);
  }
  stmt_ = nullptr;
}

absl::Status Statement::BindResult(int rc, int index) {
  if (rc == SQLITE_OK) return absl::OkStatus();
  return Error(
      db_, rc,
      absl::StrCat("binding parameter ", index, " of `", Short(sql()), "`"));
}

absl::Status Statement::Bind(int index, int64_t value) {
  return BindResult(sqlite3_bind_int64(stmt_, index, value), index);
}

absl::Status Statement::Bind(int index, absl::string_view value) {
  return BindResult(
      sqlite3_bind_text(stmt_, index, value.data(),
                        static_cast<int>(value.size()), SQLITE_STATIC),
      index);
}

absl::Status Statement::BindNull(int index) {
  return BindResult(sqlite3_bind_null(stmt_, index), index);
}

absl::StatusOr<bool> Statement::Step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return Error(db_, rc, absl::StrCat("running `", Short(sql()), "`"));
}

absl::Status Statement::Run() {
  while (true) {
    absl::StatusOr<bool> row = Step();
    if (!row.ok()) return row.status();
    if (!*row) return absl::OkStatus();
  }
}

void Statement::Reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

int64_t Statement::ColumnInt(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string Statement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  if (text == nullptr) return "";
  return std::string(reinterpret_cast<const char*>(text),
                     static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::ColumnIsNull(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

// ---- Db ----

Db::Db(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

Db::~Db() {
  for (auto& [sql, cached] : cache_) sqlite3_finalize(cached.stmt);
  // All statements are finalized by their owners before the Db goes away;
  // close_v2 defers the close otherwise instead of failing.
  sqlite3_close_v2(db_);
}

absl::StatusOr<std::unique_ptr<Db>> Db::Open(const std::string& path,
                                             bool create) {
  // Before SQLite's first use in the process: no memory statistics. With
  // them on (the default), every allocation SQLite makes (dozens a stored
  // document) takes a global mutex to count itself; nothing reads the
  // counts. (Fails harmlessly when SQLite was already initialized.)
  static const bool configured =
      sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  (void)configured;
  sqlite3* handle = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  if (create) flags |= SQLITE_OPEN_CREATE;
  const int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status =
        Error(handle, rc, absl::StrCat("cannot open database ", path));
    sqlite3_close_v2(handle);
    return status;
  }
  sqlite3_extended_result_codes(handle, 1);
  return std::unique_ptr<Db>(new Db(handle, path));
}

absl::StatusOr<Statement> Db::Prepare(absl::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(db_, it->second.stmt, &it->first, &it->second);
  }
  const bool cache = it == cache_.end();
  sqlite3_stmt* stmt = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    cache ? SQLITE_PREPARE_PERSISTENT : 0, &stmt,
                                    nullptr);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    return Error(db_, rc, absl::StrCat("preparing `", Short(sql), "`"));
  }
  if (!cache) return Statement(db_, stmt, std::string(sql));
  it = cache_.emplace(std::string(sql), Statement::Cached{stmt, true}).first;
  return Statement(db_, stmt, &it->first, &it->second);
}

absl::Status Db::Exec(absl::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return absl::OkStatus();
  absl::Status status(
      SqliteCode(rc),
      absl::StrCat("running `", Short(sql),
                   "`: ", message != nullptr ? message : sqlite3_errstr(rc)));
  sqlite3_free(message);
  return status;
}

absl::StatusOr<int64_t> Db::QueryInt(absl::string_view sql) {
  absl::StatusOr<Statement> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return absl::InternalError(
        absl::StrCat("`", Short(sql), "` returned no row"));
  }
  return stmt->ColumnInt(0);
}

absl::StatusOr<std::string> Db::QueryText(absl::string_view sql) {
  absl::StatusOr<Statement> stmt = Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  absl::StatusOr<bool> row = stmt->Step();
  if (!row.ok()) return row.status();
  if (!*row) {
    return absl::InternalError(
        absl::StrCat("`", Short(sql), "` returned no row"));
  }
  return stmt->ColumnText(0);
}

void Db::SetBusyTimeoutMillis(int millis) { sqlite3_busy_timeout(db_, millis); }

int64_t Db::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_); }

int Db::Changes() const { return sqlite3_changes(db_); }

// ---- Transaction ----

absl::StatusOr<Transaction> Transaction::Begin(Db& db, bool immediate) {
  absl::Status status = db.Exec(immediate ? "BEGIN IMMEDIATE" : "BEGIN");
  if (!status.ok()) return status;
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(other.db_) {
  other.db_ = nullptr;
}

Transaction::~Transaction() {
  if (db_ != nullptr) db_->Exec("ROLLBACK").IgnoreError();
}

absl::Status Transaction::Commit() {
  Db* db = db_;
  db_ = nullptr;
  absl::Status status = db->Exec("COMMIT");
  // A failed COMMIT (e.g. BUSY) leaves the transaction open: roll it back so
  // the connection is usable again.
  if (!status.ok()) db->Exec("ROLLBACK").IgnoreError();
  return status;
}

}  // namespace ra::store_internal

namespace ra::store_internal {

absl::Status Db::BackupTo(const std::string& path) {
  sqlite3* dest = nullptr;
  // SQLITE_OPEN_EXCLUSIVE is ignored by sqlite3_open_v2; check first.
  if (FILE* f = std::fopen(path.c_str(), "r")) {
    std::fclose(f);
    return absl::AlreadyExistsError(
        absl::StrCat("backup target ", path, " already exists"));
  }
  int rc = sqlite3_open_v2(path.c_str(), &dest,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  if (rc != SQLITE_OK) {
    absl::Status status(SqliteCode(rc),
                        absl::StrCat("cannot create backup file ", path, ": ",
                                     dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc)));
    sqlite3_close_v2(dest);
    return status;
  }
  sqlite3_backup* backup = sqlite3_backup_init(dest, "main", db_, "main");
  if (backup == nullptr) {
    absl::Status status(SqliteCode(sqlite3_errcode(dest)),
                        absl::StrCat("cannot start backup to ", path, ": ",
                                     sqlite3_errmsg(dest)));
    sqlite3_close_v2(dest);
    std::remove(path.c_str());
    return status;
  }
  // All pages in one step: the source connection is held by the caller.
  rc = sqlite3_backup_step(backup, -1);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    absl::Status status(SqliteCode(rc), absl::StrCat("backup to ", path,
                                                     " failed: ", sqlite3_errstr(rc)));
    sqlite3_close_v2(dest);
    std::remove(path.c_str());
    return status;
  }
  rc = sqlite3_close_v2(dest);
  if (rc != SQLITE_OK) {
    return absl::Status(SqliteCode(rc), absl::StrCat("closing backup ", path,
                                                     ": ", sqlite3_errstr(rc)));
  }
  return absl::OkStatus();
}

}  // namespace ra::store_internal
