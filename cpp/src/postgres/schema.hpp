#pragma once
// The store's tables in its PostgreSQL schema, versioned in `schema_version` and migrated forward
// only (docs/postgresql.md).
#include <string>

#include "connection.hpp"

namespace mako::postgres::detail {

inline constexpr int kCurrentSchemaVersion = 4;

// Creates the schema if needed and brings it to kCurrentSchemaVersion, in one transaction under an
// advisory lock (two processes opening a new database migrate it once). Returns the version.
// Throws EngineError(SchemaTooNew) when a newer mako-engine wrote it.
int migrate(Connection& c, const std::string& schema);

}  // namespace mako::postgres::detail
