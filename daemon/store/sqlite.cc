#include "store/sqlite.h"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "model/status_macros.h"

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

// The background checkpoint of Db::CheckpointInBackground: one thread and
// its own connection, woken by the writer's WAL hook.
class Db::Checkpointer {
 public:
  Checkpointer(std::unique_ptr<Db> own, int wal_pages)
      : own_(std::move(own)), wal_pages_(wal_pages), thread_([this] { Run(); }) {}
  ~Checkpointer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_one();
    thread_.join();
  }

  // SQLite's WAL hook of the writing connection: called after each commit
  // with the pages the WAL holds.
  static int Committed(void* self, sqlite3* writer, const char* schema,
                       int pages) {
    auto* c = static_cast<Checkpointer*>(self);
    if (pages < c->wal_pages_) return SQLITE_OK;
    if (pages >= 4 * c->wal_pages_) {
      sqlite3_wal_checkpoint_v2(writer, schema, SQLITE_CHECKPOINT_PASSIVE,
                                nullptr, nullptr);
      return SQLITE_OK;
    }
    {
      std::lock_guard<std::mutex> lock(c->mu_);
      if (c->due_) return SQLITE_OK;
      c->due_ = true;
    }
    c->wake_.notify_one();
    return SQLITE_OK;
  }

  int64_t completed() const { return completed_.load(); }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      wake_.wait(lock, [this] { return due_ || stop_; });
      if (stop_) return;
      lock.unlock();
      const int rc = sqlite3_wal_checkpoint_v2(
          own_->db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      if (rc == SQLITE_OK) completed_.fetch_add(1);
      lock.lock();
      // Commits meanwhile did not ask again: the next one past the
      // threshold does.
      due_ = false;
    }
  }

  const std::unique_ptr<Db> own_;
  const int wal_pages_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool due_ = false;
  bool stop_ = false;
  std::atomic<int64_t> completed_{0};
  std::thread thread_;  // last: starts once the rest is set up
};

absl::Status Db::CheckpointInBackground(int64_t wal_bytes) {
  if (checkpointer_ != nullptr) {
    return absl::FailedPreconditionError("background checkpoints already run");
  }
  RA_ASSIGN_OR_RETURN(int64_t page_size, QueryInt("PRAGMA page_size"));
  RA_ASSIGN_OR_RETURN(std::unique_ptr<Db> own, Open(path_, /*create=*/false));
  // The same sync rules as the writer's (a checkpoint fsyncs the WAL, then
  // the database).
  RA_RETURN_IF_ERROR(own->Exec("PRAGMA synchronous = NORMAL"));
  RA_RETURN_IF_ERROR(Exec("PRAGMA wal_autocheckpoint = 0"));
  const int64_t pages = std::max<int64_t>(1, wal_bytes / std::max<int64_t>(page_size, 512));
  checkpointer_ = std::make_unique<Checkpointer>(
      std::move(own), static_cast<int>(std::min<int64_t>(pages, 1 << 28)));
  sqlite3_wal_hook(db_, &Checkpointer::Committed, checkpointer_.get());
  return absl::OkStatus();
}

int64_t Db::BackgroundCheckpoints() const {
  return checkpointer_ == nullptr ? 0 : checkpointer_->completed();
}

Db::~Db() {
  if (checkpointer_ != nullptr) {
    // The thread and its connection go first: this connection, closing
    // last, checkpoints what is left and removes the WAL, as before.
    sqlite3_wal_hook(db_, nullptr, nullptr);
    checkpointer_.reset();
  }
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
