// LF <-> NB market simulation: two engines (SQLite files demo-data/lf.sqlite, demo-data/nb.sqlite,
// or with --store two schemas of one PostgreSQL database) exchanging real EDIFACT files through
// folders (demo-data/exchange/{lf,nb}/<partner>/...) over simulated weeks with weekends, Easter and
// the March DST switch. Prints a summary and leaves the files for analysis. See
// cpp/include/mako/domain/market/market_simulation.hpp for the scenarios.
//
//   market_simulation [--out DIR] [--customers N] [--seed S] [--durable | --relaxed] [--instants-per-unit N]
//                     [--store postgresql://... [--schema-prefix P] [--instances K]]
//
// --store: LF and NB in the schemas P_lf and P_nb (P: mako_sim), which must hold no events yet; the
// EDIFACT files still go under --out. --instances K: K engine instances per participant, each with
// its own connections to the participant's schema, running at once and sharing its work (inbound
// files, outbox, deadlines; SimulationConfig::instances); PostgreSQL only. Exit 2 for a usage
// error or an unusable store.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

#include "mako/core/engine.hpp"
#include "mako/domain/market/market_simulation.hpp"
#include "mako/sqlite/process_tuning.hpp"
#include "mako/sqlite/sqlite_store.hpp"
#include "mako/stores/open_store.hpp"

namespace fs = std::filesystem;

namespace {

void remove_database(const fs::path& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) fs::remove(fs::path(path.string() + suffix));
}

// The --store could not be opened (unreachable, malformed, not empty): exit 2, as for a usage error.
struct UnusableStore {
  std::string message;
};

int usage() {
  std::cerr
      << "usage: market_simulation [--out DIR] [--customers N] [--seed S] [--durable | --relaxed] [--instants-per-unit N]\n"
         "                         [--store postgresql://... [--schema-prefix P] [--instances K]]\n"
         "  --instances K  engine instances per market participant (default 1), all at once on the participant's\n"
         "                 PostgreSQL schema, sharing its inbound files, outbox and deadlines; needs --store and\n"
         "                 --instants-per-unit 1\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  mako::sqlite::tune_sqlite_process();  // this program owns its process and its SQLite
  fs::path out = "demo-data";
  mako::market::SimulationConfig config;
  auto durability = mako::sqlite::Durability::Relaxed;
  std::string store;  // a PostgreSQL location, or empty: SQLite files in `out`
  std::string schema_prefix = "mako_sim";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--out" && has_value) out = argv[++i];
    else if (arg == "--customers" && has_value) config.customers = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--seed" && has_value) config.seed = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--instants-per-unit" && has_value)
      config.instants_per_unit = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--store" && has_value) store = argv[++i];
    else if (arg == "--schema-prefix" && has_value) schema_prefix = argv[++i];
    else if (arg == "--instances" && has_value) config.instances = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--durable") durability = mako::sqlite::Durability::Durable;
    else if (arg == "--relaxed") durability = mako::sqlite::Durability::Relaxed;
    else return usage();
  }
  if (config.instants_per_unit == 0 || config.instances == 0) return usage();
  if (config.instances > 1 && store.empty()) {
    std::cerr << "market_simulation: --instances " << config.instances
              << " needs --store postgresql://...: instances share a participant's store, and the SQLite files "
                 "are one engine's each\n";
    return 2;
  }
  if (config.instances > 1 && config.instants_per_unit > 1) {
    std::cerr << "market_simulation: --instances " << config.instances
              << " needs --instants-per-unit 1: a unit of work over several instants would hold the append lock "
                 "against the other instances\n";
    return 2;
  }
  if (!store.empty() && !mako::stores::is_postgres_location(store)) {
    std::cerr << "market_simulation: --store '" << store
              << "' is not a PostgreSQL connection string (postgresql://... or 'host=... dbname=...'); without "
                 "--store the SQLite files go into --out\n";
    return 2;
  }
  fs::create_directories(out);
  config.exchange_dir = out / "exchange";

  std::map<std::string, std::string> databases;
  auto make_engine = [&](const std::string& party, mako::Clock clock) {
    if (!store.empty()) {
      mako::stores::StoreOptions options;
      options.postgres.schema = schema_prefix + "_" + party;
      mako::stores::OpenedStore opened;
      try {
        opened = mako::stores::open_store(store, options);
      } catch (const mako::EngineError& e) {
        throw UnusableStore{e.what()};
      }
      if (const auto head = opened.events->head_position(); head > 0)
        throw UnusableStore{opened.label + " holds events already (up to position " + std::to_string(head) +
                            "): the simulation starts from empty stores (choose another "
                            "--schema-prefix, or drop the schema)"};
      databases[party] = opened.label;
      return mako::stores::engine_builder(opened).with_clock(std::move(clock)).build();
    }
    const fs::path path = out / (party + ".sqlite");
    remove_database(path);  // every run starts from empty files
    databases[party] = path.string();
    mako::sqlite::SqliteOptions options;
    options.durability = durability;
    auto store = mako::sqlite::SqliteStore::open(path.string(), options);
    return mako::EngineBuilder()
        .with_event_store(store)
        .with_snapshot_store(store->snapshots())
        .with_clock(std::move(clock))
        .build();
  };

  std::cout << "market simulation: " << config.customers << " customers, seed " << config.seed << ", "
            << (store.empty() ? mako::sqlite::to_string(durability) + " durability" : std::string("PostgreSQL"))
            << (config.instances > 1 ? ", " + std::to_string(config.instances) + " engine instances per participant"
                                     : std::string())
            << "\n";
  mako::market::SimulationReport report;
  try {
    report = mako::market::run_market_simulation(config, make_engine);
  } catch (const UnusableStore& e) {
    std::cerr << "market_simulation: --store: " << e.message << "\n";
    return 2;
  } catch (const mako::EngineError& e) {
    std::cerr << "market_simulation: " << e.what() << "\n";
    return 1;
  }
  std::cout << mako::market::format_report(report);
  std::cout << "complete switches per second (wall): " << double(config.customers) / report.wall_seconds << "\n\n";
  std::cout << (store.empty() ? "SQLite files" : "PostgreSQL stores")
            << " (events, outbox, deadlines, registry, inbox, dead letters):\n";
  for (const auto& [party, where] : databases)
    std::cout << "  " << party << ": " << (store.empty() ? fs::absolute(where).string() : where) << "\n";
  std::cout << "EDIFACT files: " << fs::absolute(config.exchange_dir).string()
            << "/{lf,nb}/<partner>/{processed,rejected,outbox}\n";
  const bool as_expected = report.actual_outcomes() == report.expected_outcomes;
  std::cout << (as_expected ? "outcomes match the scenarios\n" : "OUTCOMES DIFFER FROM THE SCENARIOS\n");
  // The commands take the same locations (a PostgreSQL one as given, with its schema: see docs/postgresql.md).
  const std::string lf =
      store.empty() ? databases["lf"] : "'" + mako::stores::redacted(store) + "' --schema " + schema_prefix + "_lf";
  const std::string nb =
      store.empty() ? databases["nb"] : "'" + mako::stores::redacted(store) + "' --schema " + schema_prefix + "_nb";
  std::cout
      << "\nwhat the words mean:\n"
         "  confirmed / rejected   the NB's answer to the new supplier: 55002 / 55003\n"
         "  unanswered             no answer by 11:00 of the 1st working day (the new supplier's watchdog fired)\n"
         "  dead_lettered          a PID the NB has no route for: dead letter and APERAK 313\n"
         "  met / missed           a message sent by its GPKE deadline, or after it\n"
         "  CONTRL 4               a file refused for its syntax: it counts as never received\n"
         "next: look at what happened\n"
      << "  mako-engine processes " << lf << " --status rejected\n"
      << "  mako-engine deadlines " << nb << " --missed --pid 55002\n"
      << "  mako-engine history " << lf << " PROCESS_ID\n"
      << "  notebooks/explore_process_history.ipynb (runs on demo-data/)\n";
  return as_expected ? 0 : 1;
}
