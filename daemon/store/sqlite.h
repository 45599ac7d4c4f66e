// Thin RAII wrappers over the SQLite C API, private to the store module.
// Every fallible call returns absl::Status whose message names the failing
// SQL (or path) and carries sqlite3_errmsg(). sqlite3.h stays in sqlite.cc.
//
// Not thread-safe: callers serialize access to a Db and its Statements
// (Store holds one mutex around everything).
#ifndef RA_STORE_SQLITE_H_
#define RA_STORE_SQLITE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/container/node_hash_map.h"
#include "absl/strings/string_view.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ra::store_internal {

// One prepared statement. Finalized on destruction. Bind indexes are 1-based
// (as in SQLite); column indexes are 0-based.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  absl::Status Bind(int index, int64_t value);
  absl::Status Bind(int index, int value) {
    return Bind(index, static_cast<int64_t>(value));
  }
  // Texts are bound without a copy (SQLite would malloc and copy each):
  // `value` must stay alive and unchanged until the statement is reset,
  // rebound or destroyed. A temporary std::string does not compile.
  absl::Status Bind(int index, absl::string_view value);
  absl::Status Bind(int index, const std::string& value) {
    return Bind(index, absl::string_view(value));
  }
  absl::Status Bind(int index, std::string&& value) = delete;
  absl::Status Bind(int index, const char* value) {
    return Bind(index, absl::string_view(value));
  }
  absl::Status BindNull(int index);
  // NULL when `value` is empty.
  absl::Status Bind(int index, const std::optional<int64_t>& value) {
    return value ? Bind(index, *value) : BindNull(index);
  }

  // Binds `values` to parameters 1..N (texts without a copy, as Bind).
  template <typename... Args>
  absl::Status BindAll(Args&&... values) {
    return BindAt(1, std::forward<Args>(values)...);
  }
  // Binds `values` to parameters first..first+N-1 (a row of a multi-row
  // statement).
  template <typename... Args>
  absl::Status BindAt(int first, Args&&... values) {
    static_assert(!(std::is_same_v<Args, std::string> || ...),
                  "a temporary string would be gone before the statement runs");
    int index = first - 1;
    absl::Status status;
    ((status.ok() ? (status = Bind(++index, values), 0) : 0), ...);
    return status;
  }

  // Advances: true when a row is available, false when done.
  absl::StatusOr<bool> Step();
  // Steps to completion, ignoring rows (for INSERT/UPDATE/DELETE).
  absl::Status Run();
  // Resets the statement and clears its bindings for reuse.
  void Reset();

  int64_t ColumnInt(int column) const;
  std::string ColumnText(int column) const;
  bool ColumnIsNull(int column) const;

  // The SQL text, for messages.
  const std::string& sql() const { return cached_ ? *cached_sql_ : sql_; }

 private:
  friend class Db;
  struct Cached;
  // An uncached statement that owns its SQL text.
  Statement(sqlite3* db, sqlite3_stmt* stmt, std::string sql);
  // A statement borrowed from Db's cache entry `cached` (keyed by `sql`).
  Statement(sqlite3* db, sqlite3_stmt* stmt, const std::string* sql,
            Cached* cached);
  absl::Status BindResult(int rc, int index);
  // Finalizes the statement, or hands it back to the Db's cache.
  void Release();

  // Non-null: borrowed from this entry of Db's cache (stable: the cache is
  // a node map), whose key is *cached_sql_.
  Cached* cached_ = nullptr;
  const std::string* cached_sql_ = nullptr;
  sqlite3* db_ = nullptr;
  sqlite3_stmt* stmt_ = nullptr;
  std::string sql_;  // uncached only
};

// An entry of Db's statement cache.
struct Statement::Cached {
  sqlite3_stmt* stmt = nullptr;
  bool in_use = false;
};

// One connection. Closed on destruction.
class Db {
 public:
  // Opens (creating when `create`) the database file at `path`. The file is
  // not read until the first statement: a corrupt file fails there.
  static absl::StatusOr<std::unique_ptr<Db>> Open(const std::string& path,
                                                  bool create = true);
  ~Db();
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  // Prepares `sql`. Statements are cached by their SQL text: a later Prepare
  // of the same text reuses the compiled statement (reset, bindings
  // cleared) unless it is still in use, which saves recompiling the store's
  // fixed statements on every audit. A cache hit allocates nothing.
  absl::StatusOr<Statement> Prepare(absl::string_view sql);
  // Runs one or more statements with no parameters and no result rows.
  absl::Status Exec(absl::string_view sql);
  // Runs a query whose first row's first column is an integer (e.g. PRAGMA).
  absl::StatusOr<int64_t> QueryInt(absl::string_view sql);
  // Same for a text value.
  absl::StatusOr<std::string> QueryText(absl::string_view sql);

  void SetBusyTimeoutMillis(int millis);
  int64_t LastInsertRowId() const;
  // Rows changed by the most recent INSERT/UPDATE/DELETE.
  int Changes() const;
  const std::string& path() const { return path_; }
  // Copies the whole database into a new file at `path` with SQLite's online
  // backup API (readers and writers of this connection wait meanwhile).
  // ALREADY_EXISTS when `path` exists.
  absl::Status BackupTo(const std::string& path);

  // Moves WAL checkpoints off the committing thread. SQLite's automatic
  // checkpoint runs inside the commit that crosses its threshold: the
  // committer then copies the WAL into the database and waits for two
  // fsyncs while the rest of a batch stream waits for it. After this call,
  // a commit that leaves at least `wal_bytes` in the WAL wakes a thread
  // with its own connection to the same file, which checkpoints (PASSIVE:
  // this connection goes on writing meanwhile; durability is unchanged).
  // Should the WAL reach four times `wal_bytes` all the same (the thread
  // falling behind), the commit checkpoints as SQLite would. Call once, in
  // WAL mode, after the schema is set up.
  absl::Status CheckpointInBackground(int64_t wal_bytes);
  // Checkpoints the background thread has completed.
  int64_t BackgroundCheckpoints() const;

 private:
  friend class Statement;
  class Checkpointer;
  Db(sqlite3* db, std::string path);

  // Keyed by SQL text (heterogeneous lookup: no string is built to find
  // one); node map, so Statements can point at their entry.
  absl::node_hash_map<std::string, Statement::Cached> cache_;
  sqlite3* db_;
  std::string path_;
  std::unique_ptr<Checkpointer> checkpointer_;
};

// An explicit transaction, rolled back on destruction unless committed.
class Transaction {
 public:
  // BEGIN IMMEDIATE (takes the write lock now) or BEGIN DEFERRED.
  static absl::StatusOr<Transaction> Begin(Db& db, bool immediate = true);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();
  absl::Status Commit();

 private:
  explicit Transaction(Db* db) : db_(db) {}
  Db* db_;  // null once committed, rolled back or moved from
};

// Maps a SQLite result code to a status code: BUSY/LOCKED -> UNAVAILABLE,
// CORRUPT/NOTADB -> DATA_LOSS, FULL -> RESOURCE_EXHAUSTED, CANTOPEN/PERM/
// READONLY -> FAILED_PRECONDITION, anything else -> INTERNAL.
absl::StatusCode SqliteCode(int rc);

}  // namespace ra::store_internal

#endif  // RA_STORE_SQLITE_H_
