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
    // Version 3 -> 4: global order by reservation, not by a lock held until the commit (see
    // commit_writer.hpp). Positions come from event_positions (its last_value is the last position
    // handed out; setval only, so is_called is always true). reserve_positions(lock_key, count)
    // hands out `count` consecutive positions under a session advisory lock held only for the
    // handing out, and first takes the transaction's reservation lock: a shared transaction-level
    // advisory lock (the events table's OID, the transaction's first position mod 2^32), held
    // until the transaction ends, which PostgreSQL releases only after its commit is visible. The
    // key stays the same for the transaction's later calls (a transaction-local setting remembers
    // it, and a rolled-back savepoint forgets it together with the lock). log_horizon() is the
    // last position a reader may read up to: below every position other sessions' open
    // transactions may still commit. It reads the last position first and the locks second; the
    // reader's next statement takes its snapshot after both.
    R"sql(
CREATE SEQUENCE event_positions MINVALUE 0 START 0;
SELECT setval('event_positions', coalesce((SELECT max(position) FROM events), 0), true);
CREATE FUNCTION reserve_positions(lock_key bigint, count bigint) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  table_oid bigint := 'events'::regclass::oid::bigint;
  last bigint;
  since bigint := nullif(current_setting('mako.reserved_from', true), '')::bigint;
BEGIN
  PERFORM pg_advisory_lock(lock_key);
  SELECT last_value INTO last FROM event_positions;
  IF since IS NULL THEN
    since := last + 1;
    PERFORM set_config('mako.reserved_from', since::text, true);
  END IF;
  PERFORM pg_advisory_xact_lock_shared(
    (CASE WHEN table_oid >= 2147483648 THEN table_oid - 4294967296 ELSE table_oid END)::integer,
    (CASE WHEN since % 4294967296 >= 2147483648 THEN since % 4294967296 - 4294967296 ELSE since % 4294967296 END)::integer);
  PERFORM setval('event_positions', last + count, true);
  PERFORM pg_advisory_unlock(lock_key);
  RETURN last + count;
END $$;
CREATE FUNCTION log_horizon() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  last bigint;
  low bigint;
BEGIN
  SELECT last_value INTO last FROM event_positions;
  -- A lock's key holds its position mod 2^32: within 2^31 below the last position it is that one.
  SELECT min(last - (last - l.objid::bigint + 4294967296) % 4294967296) INTO low FROM pg_locks l
   WHERE l.locktype = 'advisory' AND l.objsubid = 2 AND l.classid = 'events'::regclass::oid
     AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
     AND l.pid IS DISTINCT FROM pg_backend_pid()
     AND (last - l.objid::bigint + 4294967296) % 4294967296 < 2147483648;
  RETURN CASE WHEN low IS NULL THEN last ELSE low - 1 END;
END $$;
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
