// The market simulation (LF and NB engines exchanging EDIFACT files through folders,
// market_simulation.hpp) on PostgreSQL with 1 and with 2 engine instances per market participant
// (SimulationConfig::instances: each instance its own PgStore::open on the participant's schema,
// all at once, sharing its inbound files, outbox and deadlines), against the same run on durable
// SQLite files, side by side in one run: complete switches/s and their ratios.
//   bench_market_postgres [results.md]   (appends a markdown section)
// The server: MAKO_BENCH_PG (a libpq connection string), else MAKO_TEST_PG; bench/run.sh starts a
// throw-away one with fsync=on and full_page_writes=on. Each PostgreSQL run writes into schemas of
// its own (bench_market_<pid>_*, dropped at the end). MAKO_BENCH_DIR picks the scratch directory,
// MAKO_BENCH_MARKET_PG_CUSTOMERS the run size (default 200), MAKO_BENCH_MARKET_PG_ROUNDS how often
// the runs are repeated in turn (default 2: a shared disk's flush time drifts from second to second).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <libpq-fe.h>
#include <unistd.h>

#include "mako/core/engine.hpp"
#include "mako/domain/market/market_simulation.hpp"
#include "mako/sqlite/process_tuning.hpp"
#include "mako/sqlite/sqlite_store.hpp"
#include "mako/stores/open_store.hpp"
#include "postgres_server.hpp"

using namespace mako;
namespace fs = std::filesystem;

namespace {

std::string g_conninfo;
fs::path g_dir;
std::vector<std::string> g_schemas;  // dropped at the end

// Plain libpq for the server's settings and the cleanup.
std::string server_value(const std::string& sql) {
  PGconn* c = PQconnectdb(g_conninfo.c_str());
  if (PQstatus(c) != CONNECTION_OK) {
    const std::string why = PQerrorMessage(c);
    PQfinish(c);
    throw std::runtime_error("cannot connect to the server: " + why);
  }
  PQsetNoticeProcessor(c, [](void*, const char*) {}, nullptr);  // "schema ... does not exist, skipping"
  PGresult* r = PQexec(c, sql.c_str());
  const auto status = PQresultStatus(r);
  std::string out = status == PGRES_TUPLES_OK && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "";
  const std::string error = PQresultErrorMessage(r);
  PQclear(r);
  PQfinish(c);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) throw std::runtime_error(sql + ": " + error);
  return out;
}

struct Run {
  double wall_s = 0;
  std::size_t customers = 0;
  std::size_t files = 0;
  std::size_t events = 0;
  std::size_t commits = 0;  // units of work per engine, or pump rounds with several instances
  bool as_expected = false;
  std::string outcomes;  // the LFN outcomes, to compare the runs with each other
  double switches_per_s() const { return double(customers) / wall_s; }
};

std::string describe(const std::map<std::string, std::size_t>& outcomes) {
  std::string out;
  for (const auto& [k, v] : outcomes) out += (out.empty() ? "" : " ") + k + "=" + std::to_string(v);
  return out;
}

// instances == 0: SQLite files (durable), one engine per participant.
Run run(const std::string& label, std::size_t customers, std::size_t instances, bool unit_per_round) {
  const fs::path dir = g_dir / label;
  fs::remove_all(dir);
  fs::create_directories(dir);
  market::SimulationConfig config;
  config.customers = customers;
  config.seed = 2026;
  config.exchange_dir = dir / "exchange";
  config.instances = instances == 0 ? 1 : instances;
  config.unit_per_round = unit_per_round;
  std::map<std::string, std::string> schemas;
  for (const char* party : {"lf", "nb"}) {
    schemas[party] = "bench_market_" + std::to_string(::getpid()) + "_" + label + "_" + party;
    if (instances > 0) {
      server_value("DROP SCHEMA IF EXISTS " + schemas[party] + " CASCADE");
      g_schemas.push_back(schemas[party]);
    }
  }
  auto make = [&](const std::string& party, Clock clock) {
    if (instances == 0) {
      sqlite::SqliteOptions options;
      options.durability = sqlite::Durability::Durable;
      auto store = sqlite::SqliteStore::open((dir / (party + ".sqlite")).string(), options);
      return EngineBuilder().with_event_store(store).with_clock(std::move(clock)).build();
    }
    stores::StoreOptions options;
    options.postgres.schema = schemas.at(party);
    return stores::engine_builder(stores::open_store(g_conninfo, options)).with_clock(std::move(clock)).build();
  };
  const auto report = market::run_market_simulation(config, make);
  Run r;
  r.wall_s = report.wall_seconds;
  r.customers = customers;
  for (const auto& [kind, n] : report.traffic) r.files += n;
  r.events = report.lf.events + report.nb.events;
  r.commits = report.units_committed;
  r.as_expected = report.actual_outcomes() == report.expected_outcomes;
  r.outcomes = describe(report.actual_outcomes());
  fs::remove_all(dir);
  return r;
}

std::string fixed(double v, int digits) {
  std::ostringstream o;
  o.setf(std::ios::fixed);
  o.precision(digits);
  o << v;
  return o.str();
}

int run_all(const char* results) {
  const std::string server = server_value("SHOW server_version"), fsync = server_value("SHOW fsync"),
                    sync_commit = server_value("SHOW synchronous_commit"), fpw = server_value("SHOW full_page_writes"),
                    sync_method = server_value("SHOW wal_sync_method");
  const bool durable = fsync == "on" && sync_commit == "on";
  std::cerr << "PostgreSQL " << server << ", fsync=" << fsync << ", synchronous_commit=" << sync_commit << "\n";
  const char* n_env = std::getenv("MAKO_BENCH_MARKET_PG_CUSTOMERS");
  const std::size_t customers = n_env && *n_env ? std::strtoull(n_env, nullptr, 10) : 200;
  const char* r_env = std::getenv("MAKO_BENCH_MARKET_PG_ROUNDS");
  const std::size_t rounds = std::max<std::size_t>(1, r_env && *r_env ? std::strtoull(r_env, nullptr, 10) : 2);

  struct Config {
    std::string label, name;
    std::size_t instances;
    bool unit_per_round;
  };
  // pg1r: one instance committing as two do (a unit of work per pump round): separates what the
  // commits cost from what the sharing gains.
  const std::vector<Config> configs = {
      {"sqlite", "SQLite files, durable, 1 instance per participant", 0, false},
      {"pg1", "PostgreSQL, 1 instance per participant", 1, false},
      {"pg1r", "PostgreSQL, 1 instance per participant, a unit of work per pump round", 1, true},
      {"pg2", "PostgreSQL, 2 instances per participant (a unit of work per pump round)", 2, true}};
  std::map<std::string, std::vector<Run>> runs;
  for (std::size_t round = 0; round < rounds; ++round)
    for (const auto& c : configs) {
      auto r = run(c.label + std::to_string(round), customers, c.instances, c.unit_per_round);
      std::cerr << c.name << ": " << fixed(r.switches_per_s(), 1) << " switches/s (" << fixed(r.wall_s, 2) << " s, "
                << r.commits << (c.unit_per_round ? " pump rounds" : " units per engine") << ", "
                << (r.as_expected ? "outcomes as scenarios" : "OUTCOMES DIFFER") << ")\n";
      runs[c.label].push_back(std::move(r));
    }
  auto rate = [&](const std::string& label, std::size_t round) { return runs[label][round].switches_per_s(); };
  bool same = true;
  for (const auto& c : configs)
    for (const auto& r : runs[c.label]) same = same && r.as_expected && r.outcomes == runs["sqlite"][0].outcomes;

  std::ostringstream md;
  md << "\n## Market simulation on PostgreSQL, 1 and 2 engine instances per participant (bench_market_postgres)\n\n"
     << customers << " customers (seed 2026, 2026-03-16..2026-04-30, the scenario mix of market_simulation.hpp), "
     << "EDIFACT files through folders, one instant per unit of work; wall time of the whole run incl. the history "
     << "summaries. PostgreSQL " << server << " on this machine (Unix socket), fsync=" << fsync
     << ", synchronous_commit=" << sync_commit << ", full_page_writes=" << fpw << ", wal_sync_method=" << sync_method
     << "; each participant in a schema of its own. With 2 instances each instance has its own `PgStore::open` and "
     << "thread, and every pump round commits per instance (with 1, one unit of work per instant and engine, unless "
     << "stated). " << rounds << (rounds == 1 ? " round" : " rounds, the runs in turn") << ".\n\n";
  if (!durable)
    md << "**This server does not flush the WAL on commit (fsync or synchronous_commit off): the PostgreSQL figures "
          "are not those of a durable server.**\n\n";
  md << "| round | stores | switches/s | wall s | commits | files | events | outcomes |\n|---|---|---|---|---|---|---|---|\n";
  for (std::size_t round = 0; round < rounds; ++round)
    for (const auto& c : configs) {
      const auto& r = runs[c.label][round];
      md << "| " << round + 1 << " | " << c.name << " | " << fixed(r.switches_per_s(), 1) << " | " << fixed(r.wall_s, 2)
         << " | " << r.commits << (c.unit_per_round ? " pump rounds" : " units per engine") << " | " << r.files << " | "
         << r.events << " | " << (r.as_expected ? "as scenarios" : "**differ**") << " |\n";
    }
  md << "\n| round | PostgreSQL 1 instance / SQLite | PostgreSQL 2 instances / SQLite | 2 instances / 1 instance | "
        "2 instances / 1 instance, both a unit per pump round |\n|---|---|---|---|---|\n";
  for (std::size_t round = 0; round < rounds; ++round)
    md << "| " << round + 1 << " | " << fixed(rate("pg1", round) / rate("sqlite", round), 2) << "x | "
       << fixed(rate("pg2", round) / rate("sqlite", round), 2) << "x | "
       << fixed(rate("pg2", round) / rate("pg1", round), 2) << "x | "
       << fixed(rate("pg2", round) / rate("pg1r", round), 2) << "x |\n";
  md << "\nOutcomes of all runs " << (same ? "equal (and as the scenarios)" : "**differ**") << ".\n";
  std::cout << md.str();
  if (results) std::ofstream(results, std::ios::app) << md.str();
  return same ? 0 : 1;
}

void drop_schemas() {
  for (const auto& s : g_schemas) try {
      server_value("DROP SCHEMA IF EXISTS " + s + " CASCADE");
    } catch (const std::exception& e) {
      std::cerr << "bench_market_postgres: could not drop the schema " << s << ": " << e.what() << "\n";
    }
}

}  // namespace

int main(int argc, char** argv) {
  mako::sqlite::tune_sqlite_process();  // as the market simulation does
  g_conninfo = bench::postgres_server("bench_market_postgres", "build/bench/market/bench_market_postgres");
  if (g_conninfo.empty()) return 2;
  const char* dir_env = std::getenv("MAKO_BENCH_DIR");
  g_dir = (dir_env && *dir_env ? fs::path(dir_env) : fs::current_path()) / "market-postgres-bench.tmp";
  fs::create_directories(g_dir);
  int rc = 1;
  try {
    rc = run_all(argc > 1 ? argv[1] : nullptr);
  } catch (const std::exception& e) {
    std::cerr << "bench_market_postgres: " << e.what() << "\n";
  }
  drop_schemas();
  fs::remove_all(g_dir);
  return rc;
}
