// The store's schema as a list of migrations, applied by PRAGMA user_version.
// Migration N (1-based) takes a database at version N-1 to version N; each is
// a list of statements run in one transaction. Append new migrations; never
// edit a shipped one.
#ifndef RA_STORE_SCHEMA_H_
#define RA_STORE_SCHEMA_H_

#include <vector>

#include "absl/status/status.h"
#include "store/sqlite.h"

namespace ra::store_internal {

struct Migration {
  std::vector<const char*> statements;
};

// All migrations, in order; the schema version is their count.
const std::vector<Migration>& Migrations();
int CurrentSchemaVersion();

// Reads PRAGMA user_version (the first read of the file: a file that is not
// a database fails here) and returns FAILED_PRECONDITION when it is newer
// than this build's.
absl::Status CheckSchemaVersion(Db& db);

// Brings the database at db.path() to CurrentSchemaVersion(). Each pending
// migration runs in its own BEGIN IMMEDIATE transaction that also sets
// user_version. FAILED_PRECONDITION when the file's version is newer than
// this build's.
absl::Status Migrate(Db& db);

}  // namespace ra::store_internal

#endif  // RA_STORE_SCHEMA_H_
