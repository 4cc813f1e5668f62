// Opening a PostgreSQL store: schema versions (a newer one is refused), reopening, bad arguments,
// and tenants kept apart by their stream ids.
#include <catch2/catch.hpp>

#include <mako/postgres/pg_snapshot_store.hpp>

#include "contract/runtime_fixture.hpp"
#include "postgres/pg_test_server.hpp"

using namespace mako;
using mako::postgres::PgStore;

TEST_CASE("postgres: a schema written by a newer mako-engine is refused, and left as it is", "[postgres][schema]") {
  const auto schema = pg_test::fresh_schema("too_new");
  {
    auto store = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
    CHECK(store->schema_version() == PgStore::kSchemaVersion);
    auto b = pg_test::batch("s/kept", ExpectedVersion::no_stream(), 2);
    store->append(b);
  }
  pg_test::Peek peek;
  peek.exec("UPDATE " + schema + ".schema_version SET version = " + std::to_string(PgStore::kSchemaVersion + 98));
  try {
    PgStore::open(pg_test::conninfo(), pg_test::options(schema));
    FAIL("a newer schema must be refused");
  } catch (const EngineError& e) {
    CHECK(e.kind() == EngineError::Kind::SchemaTooNew);
    CHECK(e.is_storage_error());
    CHECK_FALSE(e.is_transient());
    CHECK_THAT(e.what(), Catch::Contains("schema version " + std::to_string(PgStore::kSchemaVersion + 98)) &&
                             Catch::Contains("newer mako-engine") && Catch::Contains(schema));
  }
  CHECK(peek.exec("SELECT version FROM " + schema + ".schema_version") == std::to_string(PgStore::kSchemaVersion + 98));
  CHECK(peek.exec("SELECT count(*) FROM " + schema + ".events") == "2");
}

TEST_CASE("postgres: a version 1 schema is migrated to the current version with its events intact",
          "[postgres][schema]") {
  const auto schema = pg_test::fresh_schema("v1");
  const auto p = contract::new_process(TenantId::from_party_id("9900123456789"));
  const std::string sid = p.stream_id.str(), tenant = p.tenant_id.to_string(), process = p.process_id.to_string();
  // The tables as mako-engine's schema version 1 created them (frozen here: migrations are never
  // edited), with one stream of two events written straight in SQL.
  pg_test::Peek peek;
  peek.exec("CREATE SCHEMA " + schema + "; SET search_path TO " + schema + R"sql(;
CREATE TABLE schema_version (only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row), version integer NOT NULL);
INSERT INTO schema_version (version) VALUES (1);
CREATE TABLE streams (
  stream_key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, stream_id text COLLATE "C" NOT NULL UNIQUE,
  version bigint NOT NULL, tenant_id uuid NOT NULL, process_id uuid NOT NULL, workflow_name text NOT NULL,
  format_version text NOT NULL, created_at_ns bigint NOT NULL, updated_at_ns bigint NOT NULL);
CREATE INDEX streams_by_tenant ON streams (tenant_id);
CREATE TABLE events (
  position bigint PRIMARY KEY, stream_key bigint NOT NULL REFERENCES streams (stream_key), sequence bigint NOT NULL,
  event_id uuid NOT NULL, event_type text NOT NULL, schema_version integer NOT NULL, timestamp_ns bigint NOT NULL,
  correlation_id uuid, causation_id uuid, conversation_id uuid NOT NULL, tenant_id uuid NOT NULL,
  process_id uuid NOT NULL, workflow_name text NOT NULL, format_version text NOT NULL, payload json NOT NULL,
  UNIQUE (stream_key, sequence));
CREATE TABLE snapshots (
  stream_id text COLLATE "C" PRIMARY KEY, sequence_number bigint NOT NULL, state_schema_version integer NOT NULL,
  state json NOT NULL, saved_at_ns bigint NOT NULL);
)sql");
  peek.exec("INSERT INTO " + schema + ".streams (stream_id, version, tenant_id, process_id, workflow_name, " +
            "format_version, created_at_ns, updated_at_ns) VALUES ('" + sid + "', 2, '" + tenant + "', '" + process +
            "', 'answering', 'FV2025-10-01', 1, 1)");
  for (int i = 1; i <= 2; ++i)
    peek.exec("INSERT INTO " + schema + ".events SELECT " + std::to_string(i) + ", 1, " + std::to_string(i) +
              ", gen_random_uuid(), 'Happened', 1, 1759305600000000000, NULL, NULL, '" + process + "', '" + tenant +
              "', '" + process + "', 'answering', 'FV2025-10-01', '{\"type\":\"Happened\",\"i\":" + std::to_string(i) +
              "}'");

  auto store = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  CHECK(store->schema_version() == PgStore::kSchemaVersion);
  CHECK(peek.exec("SELECT version FROM " + schema + ".schema_version") == std::to_string(PgStore::kSchemaVersion));
  // Version 3: room on the streams' pages for their rows' updates.
  CHECK(peek.exec("SELECT reloptions::text FROM pg_class WHERE oid = '" + schema + ".streams'::regclass") ==
        "{fillfactor=70}");
  const auto events = store->load(p.stream_id);
  REQUIRE(events.size() == 2);
  CHECK(events[1].payload.json() == Json{{"type", "Happened"}, {"i", 2}});
  CHECK(events[1].tenant_id == p.tenant_id);
  CHECK(store->head_position() == 2);
  // The migrated schema holds the runtime stores: the next commit carries a message and a key.
  auto next = contract::process_commit(p, contract::at("2025-10-01T09:00:00Z"));
  next.expected = ExpectedVersion::exact(2);
  next.messages.push_back(contract::message("after-migration"));
  next.registrations.push_back(RegistryEntry{"malo", "41373559241"});
  CHECK(store->append(next) == 3);
  CHECK(store->outbox()->find("after-migration"));
  CHECK(store->registry()->lookup(p.tenant_id, "malo", "41373559241") == p);
  // Opening it again migrates nothing more.
  CHECK(PgStore::open(pg_test::conninfo(), pg_test::options(schema))->schema_version() == PgStore::kSchemaVersion);
}

TEST_CASE("postgres: a reopened store has its events, and a closed one refuses every call", "[postgres][schema]") {
  const auto schema = pg_test::fresh_schema("reopen");
  auto store = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  auto b = pg_test::batch("s/1", ExpectedVersion::no_stream(), 3);
  store->append(b);
  store->snapshots()->save(Snapshot{StreamId("s/1"), 3, 1, Json{{"n", 3}}});
  auto snapshots = store->snapshots();
  store->close();
  store->close();  // idempotent
  CHECK(store->closed());
  CHECK_THROWS_MATCHES(store->stream_version(StreamId("s/1")), EngineError,
                       Catch::Matchers::Predicate<EngineError>([](const EngineError& e) {
                         return e.is_invalid_input() && std::string(e.what()).find("closed") != std::string::npos;
                       }));
  CHECK_THROWS_AS(snapshots->load(StreamId("s/1")), EngineError);
  auto again = pg_test::batch("s/1", ExpectedVersion::exact(3), 1);
  CHECK_THROWS_AS(store->append(again), EngineError);

  auto reopened = PgStore::open(pg_test::conninfo(), pg_test::options(schema));
  CHECK(reopened->schema_version() == PgStore::kSchemaVersion);
  // Its sessions are named for whoever looks at the server (no application_name was given).
  CHECK(pg_test::Peek().exec("SELECT count(*) > 0 FROM pg_stat_activity WHERE application_name = 'mako-engine'") ==
        "t");
  CHECK(reopened->stream_version(StreamId("s/1")) == 3);
  CHECK(reopened->head_position() == 3);
  CHECK(reopened->snapshots()->load(StreamId("s/1"))->state == Json{{"n", 3}});
  CHECK(reopened->append(again) == 4);
}

TEST_CASE(
    "postgres: bad connection strings and schema names are refused clearly, and an unreachable server is transient",
    "[postgres][schema]") {
  try {
    PgStore::open("host=/tmp dbname = = x");
    FAIL("a malformed connection string must be refused");
  } catch (const EngineError& e) {
    CHECK(e.is_invalid_input());
    CHECK_THAT(e.what(), Catch::Contains("connection string"));
  }
  for (const char* name : {"Upper", "1digit", "with-dash", "", "semi;colon"}) {
    postgres::PgOptions o;
    o.schema = name;
    try {
      PgStore::open(pg_test::conninfo(), o);
      FAIL("schema name '" << name << "' must be refused");
    } catch (const EngineError& e) {
      CHECK(e.is_invalid_input());
      CHECK_THAT(e.what(), Catch::Contains("schema name"));
    }
  }
  // A socket folder without a server: nothing listens, as while a server restarts.
  try {
    PgStore::open("host=/nonexistent-mako-socket-dir port=1 dbname=mako connect_timeout=2");
    FAIL("no server there");
  } catch (const EngineError& e) {
    CHECK(e.kind() == EngineError::Kind::Busy);
    CHECK(e.is_transient());
    CHECK_THAT(e.what(), Catch::Contains("cannot connect") && Catch::Contains("/nonexistent-mako-socket-dir"));
  }
}

TEST_CASE("postgres: two tenants' processes stay apart: listing by the tenant's prefix shows only its own",
          "[postgres][tenant]") {
  auto store = pg_test::fresh_store("tenants");
  const auto a = TenantId::from_party_id("9900000000003"), b = TenantId::from_party_id("9900000000010");
  std::vector<ProcessIdentity> of_a, of_b;
  for (int i = 0; i < 3; ++i) {
    of_a.push_back(contract::new_process(a));
    of_b.push_back(contract::new_process(b));
    auto ca = contract::process_commit(of_a.back(), contract::at("2026-03-02T08:00:00Z"));
    auto cb = contract::process_commit(of_b.back(), contract::at("2026-03-02T08:00:00Z"));
    store->append(ca);
    store->append(cb);
  }
  const auto page = store->list_streams("process/" + a.to_string() + "/", std::nullopt, 100);
  REQUIRE(page.streams.size() == 3);
  for (const auto& s : page.streams) {
    const auto events = store->load(s);
    REQUIRE(events.size() == 1);
    CHECK(events[0].tenant_id == a);
  }
  for (const auto& p : of_b) CHECK(store->load(p.stream_id).at(0).tenant_id == b);
}
