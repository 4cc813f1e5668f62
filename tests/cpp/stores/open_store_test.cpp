// open_store: one string picks the store. A PostgreSQL connection string opens PgStore (against the
// server in $MAKO_TEST_PG, as the PostgreSQL suite), anything else a SQLite file; an engine runs the
// lifecycle workflow on either, and an unusable location fails with an error naming it.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>

#include <mako/core/engine.hpp>
#include <mako/core/lifecycle_workflow.hpp>
#include <mako/core/runtime_stores.hpp>
#include <mako/postgres/pg_store.hpp>
#include <mako/sqlite/sqlite_store.hpp>
#include <mako/stores/open_store.hpp>

#include "postgres/pg_test_server.hpp"

using namespace mako;
using mako::stores::StoreKind;

namespace {

const WorkflowId kWorkflow("lifecycle", "FV2025-10-01");
const TenantId tenant = TenantId::from_party_id("9900123456789");

std::filesystem::path temp_dir() {
  const char* env = std::getenv("MAKO_TEST_TMP");
  auto dir = std::filesystem::path(env && *env ? env : std::filesystem::temp_directory_path().string()) /
             ("stores-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir;
}

// The libpq URL of the test server: MAKO_TEST_PG is in key=value form (host=<socket dir> port=N ...).
std::string url_of(const std::string& conninfo) {
  std::string host, port, dbname, user;
  std::istringstream in(conninfo);
  for (std::string pair; in >> pair;) {
    const auto eq = pair.find('=');
    const auto key = pair.substr(0, eq), value = pair.substr(eq + 1);
    if (key == "host") host = value;
    if (key == "port") port = value;
    if (key == "dbname") dbname = value;
    if (key == "user") user = value;
  }
  // A socket folder as host goes into the query (a URL's host part cannot hold a path).
  std::string url = "postgresql://" + user + "@/" + dbname + "?host=" + host;
  if (!port.empty()) url += "&port=" + port;
  return url;
}

void run_lifecycle(const EngineContext& engine) {
  auto p = engine.spawn<lifecycle::Workflow>(tenant, kWorkflow);
  p.execute(lifecycle::Register{"MaLo 41373559241"});
  p.execute(lifecycle::Activate{});
  auto q = engine.resume<lifecycle::Workflow>(p.identity());
  CHECK(q.state().status == lifecycle::Status::Active);
  CHECK(engine.event_store().stream_version(p.stream_id()) == 2);
  CHECK(engine.event_store().read_all(0, 10).size() == 2);
}

}  // namespace

TEST_CASE("open_store: which strings name PostgreSQL", "[stores]") {
  CHECK(stores::is_postgres_location("postgresql://u@db.example/mako"));
  CHECK(stores::is_postgres_location("postgres://u:pw@db.example:5433/mako?sslmode=require"));
  CHECK(stores::is_postgres_location("host=/tmp/pg port=5432 dbname=mako"));
  CHECK(stores::is_postgres_location("  dbname = mako"));
  CHECK(stores::store_kind("service=mako") == StoreKind::Postgres);
  // Everything else is a SQLite path, '=' in a file name included.
  CHECK_FALSE(stores::is_postgres_location("nb.sqlite"));
  CHECK_FALSE(stores::is_postgres_location("/data/lf.sqlite"));
  CHECK_FALSE(stores::is_postgres_location("run=3.sqlite"));
  CHECK_FALSE(stores::is_postgres_location(":memory:"));
  CHECK_FALSE(stores::is_postgres_location("postgresql:/missing-slash"));
  CHECK(stores::store_kind("demo-data/nb.sqlite") == StoreKind::Sqlite);
  // This suite is built with the PostgreSQL store.
  CHECK(stores::postgres_supported());
}

TEST_CASE("open_store: a password never shows in what is printed", "[stores]") {
  CHECK(stores::redacted("postgresql://mako:s3cret@db.example/mako") == "postgresql://mako:***@db.example/mako");
  CHECK(stores::redacted("postgresql://mako@db.example/mako?password=s3cret&sslmode=require") ==
        "postgresql://mako@db.example/mako?password=***&sslmode=require");
  CHECK(stores::redacted("host=db password=s3cret dbname=mako") == "host=db password=*** dbname=mako");
  CHECK(stores::redacted("host=db password = 'a b' dbname=mako") == "host=db password = *** dbname=mako");
  CHECK(stores::redacted("postgresql://mako@db.example/mako") == "postgresql://mako@db.example/mako");
  CHECK(stores::redacted("password=x.sqlite") == "password=***");             // a libpq keyword first: PostgreSQL
  CHECK(stores::redacted("my:password@x.sqlite") == "my:password@x.sqlite");  // a file
}

TEST_CASE("open_store: a SQLite path opens the SQLite store, runtime stores included", "[stores]") {
  const auto path = (temp_dir() / "open_store.sqlite").string();
  std::filesystem::remove(path);
  auto opened = stores::open_store(path);
  CHECK(opened.kind == StoreKind::Sqlite);
  CHECK(opened.label == path);
  CHECK(std::dynamic_pointer_cast<sqlite::SqliteStore>(opened.events));
  REQUIRE(opened.snapshots);
  auto engine = stores::engine_builder(opened).build();
  CHECK(engine.outbox());  // taken from the store by EngineBuilder
  CHECK(engine.registry());
  run_lifecycle(engine);
  engine.close();
  CHECK(std::filesystem::exists(path));
}

TEST_CASE("open_store: a PostgreSQL URL and a key=value string open the PostgreSQL store", "[stores][postgres]") {
  const auto schema = pg_test::fresh_schema("open_store");
  stores::StoreOptions options;
  options.postgres.schema = schema;

  auto by_url = stores::open_store(url_of(pg_test::conninfo()), options);
  CHECK(by_url.kind == StoreKind::Postgres);
  CHECK(std::dynamic_pointer_cast<postgres::PgStore>(by_url.events));
  CHECK_THAT(by_url.label, Catch::Contains("postgres store") && Catch::Contains("schema " + schema));
  run_lifecycle(stores::engine_builder(by_url).build());

  // The same schema through libpq's key=value form: the events written through the URL are there.
  auto engine = stores::engine_for(pg_test::conninfo(), options);
  CHECK(engine.event_store().head_position() == 2);
  CHECK(pg_test::Peek().exec("SELECT count(*) FROM " + schema + ".events") == "2");
  // Runtime stores come from the store when it provides them (RuntimeStoresProvider), as for SQLite.
  const bool provides = dynamic_cast<RuntimeStoresProvider*>(by_url.events.get()) != nullptr;
  CHECK(static_cast<bool>(engine.outbox()) == provides);
}

TEST_CASE("open_store: an unreachable server or a malformed string names the location", "[stores][postgres]") {
  const auto dir = temp_dir() / "no-server";
  std::filesystem::create_directories(dir);
  try {
    stores::open_store("host=" + dir.string() + " port=1 dbname=mako user=postgres password=s3cret");
    FAIL("there is no server");
  } catch (const EngineError& e) {
    CHECK(e.is_transient());  // Busy: a server may come back
    CHECK_THAT(e.what(), Catch::Contains("cannot connect") && Catch::Contains("host=" + dir.string()));
    CHECK_THAT(e.what(), !Catch::Contains("s3cret"));
  }
  try {
    stores::open_store("postgresql://u@host:notaport/db");
    FAIL("the port is not a number");
  } catch (const EngineError& e) {
    CHECK_THAT(e.what(), Catch::Contains("postgres store"));
  }
  try {
    stores::open_store("host='unterminated dbname=mako");
    FAIL("the connection string is malformed");
  } catch (const EngineError& e) {
    CHECK(e.is_invalid_input());
    CHECK_THAT(e.what(), Catch::Contains("connection string is not valid"));
  }
}
