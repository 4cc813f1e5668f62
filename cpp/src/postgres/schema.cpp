#include "schema.hpp"

#include <iterator>

#include "mako/core/errors.hpp"

namespace mako::postgres::detail {

namespace {

// Serialises migrations of every mako-engine store in the database (a constant key: "mako" + 1).
constexpr const char* kMigrationLock = "SELECT pg_advisory_xact_lock(1835756399, 1)";

// Version 0 -> 1: the event log and snapshots. Migration N -> N+1 is kMigrations[N]; append, never edit.
// Ids are uuid, timestamps integer nanoseconds (timestamptz keeps microseconds only), payloads and
// snapshot states `json`, which keeps the text as written (key order), unlike jsonb. Stream ids
// compare bytewise (COLLATE "C"), the order list_streams promises.
constexpr const char* kMigrations[] = {
    R"sql(
CREATE TABLE streams (
  stream_key     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stream_id      text COLLATE "C" NOT NULL UNIQUE,
  version        bigint NOT NULL,
  tenant_id      uuid NOT NULL,
  process_id     uuid NOT NULL,
  workflow_name  text NOT NULL,
  format_version text NOT NULL,
  created_at_ns  bigint NOT NULL,
  updated_at_ns  bigint NOT NULL
);
CREATE INDEX streams_by_tenant ON streams (tenant_id);
CREATE TABLE events (
  position        bigint PRIMARY KEY,
  stream_key      bigint NOT NULL REFERENCES streams (stream_key),
  sequence        bigint NOT NULL,
  event_id        uuid NOT NULL,
  event_type      text NOT NULL,
  schema_version  integer NOT NULL,
  timestamp_ns    bigint NOT NULL,
  correlation_id  uuid,
  causation_id    uuid,
  conversation_id uuid NOT NULL,
  tenant_id       uuid NOT NULL,
  process_id      uuid NOT NULL,
  workflow_name   text NOT NULL,
  format_version  text NOT NULL,
  payload         json NOT NULL,
  UNIQUE (stream_key, sequence)
);
CREATE TABLE snapshots (
  stream_id            text COLLATE "C" PRIMARY KEY,
  sequence_number      bigint NOT NULL,
  state_schema_version integer NOT NULL,
  state                json NOT NULL,
  saved_at_ns          bigint NOT NULL
);
)sql",
    // Version 1 -> 2: the runtime stores. A stream may now exist before its first event (a commit
    // carrying only messages, or register_key before the first command), so its identity may be NULL.
    // Payloads and commands are `json` (text as written); raw dead-letter payloads `bytea` (any bytes).
    R"sql(
ALTER TABLE streams ALTER COLUMN tenant_id DROP NOT NULL, ALTER COLUMN process_id DROP NOT NULL,
  ALTER COLUMN workflow_name DROP NOT NULL, ALTER COLUMN format_version DROP NOT NULL;
CREATE TABLE outbox (
  message_key     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  stream_key      bigint NOT NULL REFERENCES streams (stream_key),
  position        bigint,
  step            text NOT NULL,
  recipient       text NOT NULL,
  message_type    text NOT NULL,
  payload         json NOT NULL,
  created_at_ns   bigint NOT NULL,
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_ns bigint,
  last_error      text,
  delivered_at_ns bigint,
  dead_at_ns      bigint
);
CREATE INDEX outbox_pending ON outbox (message_key) WHERE status = 'pending';
CREATE TABLE deadlines (
  deadline_key  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stream_key    bigint NOT NULL REFERENCES streams (stream_key),
  name          text NOT NULL,
  due_ns        bigint NOT NULL,
  command       json NOT NULL,
  status        text NOT NULL DEFAULT 'pending',
  fired_at_ns   bigint,
  outcome       text,
  created_at_ns bigint NOT NULL,
  UNIQUE (stream_key, name)
);
CREATE INDEX deadlines_due ON deadlines (due_ns, deadline_key) WHERE status = 'pending';
CREATE TABLE registry (
  registration_key bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
  tenant_id        uuid NOT NULL,
  kind             text NOT NULL,
  key              text NOT NULL,
  stream_key       bigint NOT NULL REFERENCES streams (stream_key),
  process_id       uuid NOT NULL,
  created_at_ns    bigint NOT NULL,
  PRIMARY KEY (tenant_id, kind, key, stream_key)
);
CREATE INDEX registry_by_stream ON registry (stream_key);
CREATE TABLE inbox (
  tenant_id      uuid NOT NULL,
  dedup_key      text NOT NULL,
  received_at_ns bigint NOT NULL,
  PRIMARY KEY (tenant_id, dedup_key)
);
CREATE TABLE dead_letters (
  dead_letter_key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  tenant_id       uuid,
  source          text NOT NULL,
  route_key       text NOT NULL,
  reason          text NOT NULL,
  payload         bytea NOT NULL,
  received_at_ns  bigint NOT NULL
);
CREATE TABLE projection_checkpoints (
  name          text PRIMARY KEY,
  position      bigint NOT NULL,
  updated_at_ns bigint NOT NULL
);
)sql",
    // Version 2 -> 3: every commit rewrites its stream's row (version, updated_at_ns). Free room on
    // the row's page lets PostgreSQL keep the new row version there without touching the indexes
    // (a HOT update): append_many over 1,000 streams updated them 2.5x faster with fillfactor 50
    // than with the default 100. Rows written before this keep their pages until rewritten.
    R"sql(
ALTER TABLE streams SET (fillfactor = 70);
)sql",
};
static_assert(std::size(kMigrations) == kCurrentSchemaVersion);

}  // namespace

int migrate(Connection& c, const std::string& schema) {
  c.exec("BEGIN");
  try {
    c.exec(kMigrationLock);
    c.exec("CREATE SCHEMA IF NOT EXISTS " + schema);
    c.exec(
        "CREATE TABLE IF NOT EXISTS schema_version (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), version integer NOT NULL);"
        "INSERT INTO schema_version (version) VALUES (0) ON CONFLICT DO NOTHING");
    int version = static_cast<int>(c.exec("SELECT version FROM schema_version").int64(0, 0, c.label()));
    if (version > kCurrentSchemaVersion)
      throw EngineError(EngineError::Kind::SchemaTooNew,
                        c.label() + ": the schema '" + schema + "' has schema version " + std::to_string(version) +
                            ", but this mako-engine supports schema versions up to " +
                            std::to_string(kCurrentSchemaVersion) +
                            "; it was written by a newer mako-engine -- upgrade to open it");
    if (version < 0)
      throw EngineError(EngineError::Kind::Corrupt, c.label() + ": schema_version holds " + std::to_string(version));
    for (; version < kCurrentSchemaVersion; ++version) {
      c.exec(kMigrations[version]);
      c.exec("UPDATE schema_version SET version = " + std::to_string(version + 1));
    }
    c.exec("COMMIT");
    return version;
  } catch (...) {
    c.rollback_quietly();
    throw;
  }
}

}  // namespace mako::postgres::detail
