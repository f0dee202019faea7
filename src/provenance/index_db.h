// The index database, `<git dir>/git-model/index.db` (docs/runs.md, "The index"): one SQLite file
// (WAL, 5 s busy timeout) holding the provenance record index (record_index.h) and the run index
// (src/runs/run_index.h). It is a cache: everything in it can be rebuilt (`git model reindex`).
//
// The schema is versioned with PRAGMA user_version and brought up to date on open by applying the
// migrations it lacks, in order, in one write transaction (so two processes opening an old
// database at once migrate it once). A database newer than this build is refused (kUnsupported),
// never modified.
#pragma once

#include <string>

#include "base/sqlite_db.h"
#include "gitmodel/status.h"

namespace gitmodel {

// The schema version this build writes.
int IndexSchemaVersion();

// Opens or creates the database at `path` (and its directory) and migrates it.
Result<SqliteDb> OpenIndexDb(const std::string& path);

}  // namespace gitmodel
