#include "schema.hpp"

#include <filesystem>
#include <fstream>
#include <system_error>

#include "mako/core/errors.hpp"
#include "transaction.hpp"

namespace mako::sqlite::detail {

namespace {

// A UUID stored as a 16-byte BLOB, shown as the usual lowercase hyphenated text (for the view).
#define MAKO_UUID_TEXT(b)                                                                   \
  "CASE WHEN " b " IS NULL THEN NULL ELSE lower(substr(hex(" b "),1,8)||'-'||substr(hex(" b \
  "),9,4)||'-'||"                                                                           \
  "substr(hex(" b "),13,4)||'-'||substr(hex(" b "),17,4)||'-'||substr(hex(" b "),21,12)) END"

// Version 0 -> 1: everything. Migration N -> N+1 is kMigrations[N]; append, never edit.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE streams (
  stream_key     INTEGER PRIMARY KEY,
  stream_id      TEXT    NOT NULL UNIQUE,
  version        INTEGER NOT NULL DEFAULT 0,
  tenant_id      BLOB,
  process_id     BLOB,
  workflow_name  TEXT,
  format_version TEXT,
  created_at_ns  INTEGER NOT NULL,
  updated_at_ns  INTEGER NOT NULL
);
CREATE TABLE events (
  position        INTEGER PRIMARY KEY,
  stream_key      INTEGER NOT NULL REFERENCES streams (stream_key),
  sequence        INTEGER NOT NULL,
  event_id        BLOB    NOT NULL,
  event_type      TEXT    NOT NULL,
  schema_version  INTEGER NOT NULL,
  timestamp_ns    INTEGER NOT NULL,
  correlation_id  BLOB,
  causation_id    BLOB,
  conversation_id BLOB    NOT NULL,
  tenant_id       BLOB,
  process_id      BLOB,
  workflow_name   TEXT,
  format_version  TEXT,
  payload         TEXT    NOT NULL,
  UNIQUE (stream_key, sequence)
);
CREATE TABLE snapshots (
  stream_id            TEXT    PRIMARY KEY,
  sequence_number      INTEGER NOT NULL,
  state_schema_version INTEGER NOT NULL,
  state                TEXT    NOT NULL,
  saved_at_ns          INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE outbox (
  message_key     INTEGER PRIMARY KEY,
  idempotency_key TEXT    NOT NULL UNIQUE,
  stream_key      INTEGER NOT NULL REFERENCES streams (stream_key),
  position        INTEGER,
  step            TEXT    NOT NULL,
  recipient       TEXT    NOT NULL,
  message_type    TEXT    NOT NULL,
  payload         TEXT    NOT NULL,
  created_at_ns   INTEGER NOT NULL,
  status          TEXT    NOT NULL DEFAULT 'pending',
  attempts        INTEGER NOT NULL DEFAULT 0,
  delivered_at_ns INTEGER,
  last_error      TEXT
);
CREATE INDEX outbox_pending ON outbox (message_key) WHERE status = 'pending';
CREATE TABLE deadlines (
  deadline_key  INTEGER PRIMARY KEY,
  stream_key    INTEGER NOT NULL REFERENCES streams (stream_key),
  name          TEXT    NOT NULL,
  due_ns        INTEGER NOT NULL,
  command       TEXT    NOT NULL,
  status        TEXT    NOT NULL DEFAULT 'pending',
  fired_at_ns   INTEGER,
  created_at_ns INTEGER NOT NULL,
  UNIQUE (stream_key, name)
);
CREATE INDEX deadlines_due ON deadlines (due_ns) WHERE status = 'pending';
CREATE TABLE registry (
  tenant_id     BLOB    NOT NULL,
  kind          TEXT    NOT NULL,
  key           TEXT    NOT NULL,
  stream_key    INTEGER NOT NULL REFERENCES streams (stream_key),
  process_id    BLOB,
  created_at_ns INTEGER NOT NULL,
  PRIMARY KEY (tenant_id, kind, key, stream_key)
) WITHOUT ROWID;
CREATE INDEX registry_by_stream ON registry (stream_key);
CREATE TABLE inbox (
  dedup_key      TEXT    PRIMARY KEY,
  tenant_id      BLOB,
  stream_key     INTEGER REFERENCES streams (stream_key),
  received_at_ns INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE projection_checkpoints (
  name          TEXT    PRIMARY KEY,
  position      INTEGER NOT NULL,
  updated_at_ns INTEGER NOT NULL
) WITHOUT ROWID;
CREATE VIEW event_log AS
SELECT e.position,
       s.stream_id,
       e.sequence                                         AS sequence_number,
       )sql" MAKO_UUID_TEXT("e.event_id") R"sql(             AS event_id,
       strftime('%Y-%m-%dT%H:%M:%fZ', e.timestamp_ns / 1000000000.0, 'unixepoch') AS timestamp,
       e.timestamp_ns,
       )sql" MAKO_UUID_TEXT("e.correlation_id") R"sql(       AS correlation_id,
       )sql" MAKO_UUID_TEXT("e.causation_id") R"sql(         AS causation_id,
       )sql" MAKO_UUID_TEXT("e.conversation_id") R"sql(      AS conversation_id,
       )sql" MAKO_UUID_TEXT("coalesce(e.process_id, s.process_id)") R"sql( AS process_id,
       )sql" MAKO_UUID_TEXT("coalesce(e.tenant_id, s.tenant_id)") R"sql(   AS tenant_id,
       coalesce(e.workflow_name, s.workflow_name)         AS workflow_name,
       coalesce(e.format_version, s.format_version)       AS format_version,
       e.event_type,
       e.schema_version,
       e.payload
FROM events e JOIN streams s USING (stream_key);
)sql",
    // Version 1 -> 2: what the runtime services need to deliver, fire and dead-letter.
    R"sql(
ALTER TABLE outbox ADD COLUMN next_attempt_ns INTEGER;
ALTER TABLE outbox ADD COLUMN dead_at_ns INTEGER;
ALTER TABLE deadlines ADD COLUMN outcome TEXT;
CREATE TABLE dead_letters (
  dead_letter_key INTEGER PRIMARY KEY,
  tenant_id       BLOB,
  source          TEXT    NOT NULL,
  route_key       TEXT    NOT NULL,
  reason          TEXT    NOT NULL,
  payload         BLOB    NOT NULL,
  received_at_ns  INTEGER NOT NULL
);
)sql",
};
static_assert(std::size(kMigrations) == kCurrentSchemaVersion);

#undef MAKO_UUID_TEXT

std::string too_new(const std::string& path, std::int64_t found) {
  return "sqlite store '" + path + "': the database has schema version " + std::to_string(found) +
         ", but this mako-engine supports schema versions up to " + std::to_string(kCurrentSchemaVersion) +
         "; it was written by a newer mako-engine — upgrade to open it";
}

void check_application(Connection& c) {
  auto app = c.query_int("PRAGMA application_id");
  if (app != 0 && app != kApplicationId)
    throw EngineError::invalid_input("sqlite store '" + c.path() +
                                     "': the file belongs to another application (application_id " +
                                     std::to_string(app) + "), not mako-engine");
}

}  // namespace

std::string missing_wal_explanation(const std::string& path) {
  // Bytes 18 and 19 of the header: file format write/read version, 2 = WAL.
  char header[20] = {};
  std::ifstream in(path, std::ios::binary);
  if (!in.read(header, sizeof header) || header[18] != 2 || header[19] != 2) return "";
  std::error_code ec;
  const auto wal_size = std::filesystem::file_size(path + "-wal", ec);
  if (!ec && wal_size > 0) return "";
  return "the file is in WAL mode but holds no mako-engine schema, and no -wal file with commits lies beside it: it was most "
         "likely copied without its -wal file while an engine had it open, and everything written to it is in that -wal. "
         "Copy '" +
         path + "' together with '" + path +
         "-wal' (or close the engine first: a closed file holds "
         "everything). It is not opened: writing to it would start an empty database. If it holds nothing you need, "
         "delete it";
}

int migrate(Connection& c, bool read_only) {
  check_application(c);
  auto version = c.query_int("PRAGMA user_version");
  if (version > kCurrentSchemaVersion) throw EngineError(EngineError::Kind::SchemaTooNew, too_new(c.path(), version));
  if (version == kCurrentSchemaVersion) return static_cast<int>(version);
  if (read_only && version == 0) {
    if (const auto why = missing_wal_explanation(c.path()); !why.empty())
      throw EngineError(EngineError::Kind::Storage, "sqlite store '" + c.path() + "': " + why);
  }
  if (read_only)
    throw EngineError(EngineError::Kind::Storage, "sqlite store '" + c.path() + "': schema version " +
                                                      std::to_string(version) + " needs a migration to " +
                                                      std::to_string(kCurrentSchemaVersion) +
                                                      ", which a read-only store cannot do; open it once for writing");
  while (version < kCurrentSchemaVersion) {
    WriteTransaction tx(c);
    // Another process may have migrated while we waited for the write lock.
    version = c.query_int("PRAGMA user_version");
    if (version > kCurrentSchemaVersion) throw EngineError(EngineError::Kind::SchemaTooNew, too_new(c.path(), version));
    if (version == kCurrentSchemaVersion) break;
    // An engine commits the schema before it switches a file to WAL, so a file in WAL mode without
    // a schema is a copy made without its -wal (or an older engine's): writing would start an
    // empty database in place of the data the user expects to find.
    if (version == 0)
      if (const auto why = missing_wal_explanation(c.path()); !why.empty())
        throw EngineError(EngineError::Kind::Storage, "sqlite store '" + c.path() + "': " + why);
    c.exec(kMigrations[version]);
    c.exec("PRAGMA user_version = " + std::to_string(version + 1));
    c.exec("PRAGMA application_id = " + std::to_string(kApplicationId));
    tx.commit();
    ++version;
  }
  return static_cast<int>(version);
}

}  // namespace mako::sqlite::detail
