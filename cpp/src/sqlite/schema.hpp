#pragma once
// The database schema and its migrations. The file records its version in PRAGMA user_version and
// identifies itself with PRAGMA application_id ('MAKO'). See docs/sqlite-schema.md.
#include "connection.hpp"

namespace mako::sqlite::detail {

inline constexpr int kCurrentSchemaVersion = 2;
inline constexpr int kApplicationId = 0x4D414B4F;  // "MAKO"

// Brings the database to kCurrentSchemaVersion, one migration per transaction, and returns the
// version. Throws EngineError(SchemaTooNew) for a newer file, (Storage) when a read-only
// connection would need a migration, (InvalidInput) for a SQLite file of another application.
int migrate(Connection& writer, bool read_only);

// For a file without the mako schema (user_version 0): when its header says WAL mode but no
// non-empty -wal lies beside it, the schema and every commit were most likely in a -wal that was
// not copied along (a copy of a file whose engine was not closed). Returns the explanation to
// report, or "" when that is not the case.
std::string missing_wal_explanation(const std::string& path);

}  // namespace mako::sqlite::detail
