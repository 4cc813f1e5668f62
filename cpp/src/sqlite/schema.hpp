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

}  // namespace mako::sqlite::detail
