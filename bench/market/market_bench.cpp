// Complete simulated supplier switches per second: the LF and the NB engine exchanging EDIFACT
// files both ways through DirectoryTransports (market_simulation.hpp), on SQLite (durable and
// relaxed) and, to separate engine from disk cost, on in-memory stores.
//   bench_market [results.md]   (appends a markdown section; MAKO_BENCH_DIR picks the directory,
//                                MAKO_BENCH_MARKET_CUSTOMERS the run size, default 2000)
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "mako/core/engine.hpp"
#include "mako/domain/market/market_simulation.hpp"
#include "mako/sqlite/process_tuning.hpp"
#include "mako/sqlite/sqlite_store.hpp"

using namespace mako;
namespace fs = std::filesystem;

namespace {

fs::path g_dir;

struct Run {
  double wall_s = 0;
  std::size_t customers = 0;
  std::size_t files = 0;
  std::size_t events = 0;
  bool as_expected = false;
  double switches_per_s() const { return double(customers) / wall_s; }
};

Run run(const std::string& label, std::size_t customers, std::optional<sqlite::Durability> durability,
        market::SimulationConfig::Wire wire, std::size_t instants_per_unit = 1) {
  const char* only = std::getenv("MAKO_BENCH_MARKET_ONLY");  // e.g. "memory-mem", for profiling
  if (only && *only && label != only) return Run{1, 0, 0, 0, true};
  const fs::path dir = g_dir / label;
  fs::remove_all(dir);
  fs::create_directories(dir);
  market::SimulationConfig config;
  config.customers = customers;
  config.seed = 2026;
  config.exchange_dir = dir / "exchange";
  config.wire = wire;
  config.instants_per_unit = instants_per_unit;
  auto make = [&](const std::string& party, Clock clock) {
    if (!durability) return EngineBuilder().with_clock(std::move(clock)).build();
    sqlite::SqliteOptions options;
    options.durability = *durability;
    auto store = sqlite::SqliteStore::open((dir / (party + ".sqlite")).string(), options);
    return EngineBuilder().with_event_store(store).with_clock(std::move(clock)).build();
  };
  const auto report = market::run_market_simulation(config, make);
  Run r;
  r.wall_s = report.wall_seconds;
  r.customers = customers;
  for (const auto& [kind, n] : report.traffic) r.files += n;
  r.events = report.lf.events + report.nb.events;
  r.as_expected = report.actual_outcomes() == report.expected_outcomes;
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  mako::sqlite::tune_sqlite_process();  // as the market simulation does
  const char* dir_env = std::getenv("MAKO_BENCH_DIR");
  g_dir = dir_env && *dir_env ? fs::path(dir_env) : fs::current_path() / "market-bench.tmp";
  const char* n_env = std::getenv("MAKO_BENCH_MARKET_CUSTOMERS");
  const std::size_t customers = n_env ? std::strtoull(n_env, nullptr, 10) : 2000;
  const char* k_env = std::getenv("MAKO_BENCH_MARKET_INSTANTS");  // instants per unit of the group-commit rows
  const std::size_t group = k_env ? std::strtoull(k_env, nullptr, 10) : 128;
  fs::create_directories(g_dir);

  std::ostringstream md;
  md << "\n## Market simulation (LF + NB engines, EDIFACT files both ways)\n\n"
     << customers << " customers over 2026-03-16..2026-04-30 (scenario mix of market_simulation.hpp, seed 2026); "
     << "wall time of the whole run incl. the history summaries. Target: >= 2,000 complete switches/s relaxed.\n\n"
     << "| stores | transport | switches/s | files | events | wall s | outcomes |\n|---|---|---|---|---|---|---|\n";
  auto row = [&](const std::string& label, const std::string& wire, const Run& r) {
    md << "| " << label << " | " << wire << " | " << static_cast<long>(r.switches_per_s()) << " | " << r.files << " | "
       << r.events << " | " << r.wall_s << " | " << (r.as_expected ? "as scenarios" : "**differ**") << " |\n";
    std::cerr << label << " / " << wire << ": " << static_cast<long>(r.switches_per_s()) << " switches/s (" << r.files
              << " files, " << r.events << " events, " << r.wall_s << " s)\n";
  };
  using Wire = market::SimulationConfig::Wire;
  const char* dir_wire = "directory (files)";
  const char* mem_wire = "in-memory (same bytes)";
  row("SQLite relaxed", mem_wire, run("relaxed-mem", customers, sqlite::Durability::Relaxed, Wire::InMemory));
  row("SQLite durable", mem_wire, run("durable-mem", customers, sqlite::Durability::Durable, Wire::InMemory));
  const std::string grouped = ", group commit (" + std::to_string(group) + " instants per unit)";
  row("SQLite relaxed" + grouped, mem_wire,
      run("relaxed-group-mem", customers, sqlite::Durability::Relaxed, Wire::InMemory, group));
  row("SQLite durable" + grouped, mem_wire,
      run("durable-group-mem", customers, sqlite::Durability::Durable, Wire::InMemory, group));
  row("in-memory stores", mem_wire, run("memory-mem", customers, std::nullopt, Wire::InMemory));
  row("SQLite relaxed", dir_wire, run("relaxed-dir", customers, sqlite::Durability::Relaxed, Wire::Directory));
  row("SQLite durable", dir_wire, run("durable-dir", customers, sqlite::Durability::Durable, Wire::Directory));
  row("in-memory stores", dir_wire, run("memory-dir", customers, std::nullopt, Wire::Directory));
  std::cout << md.str();
  if (argc > 1) std::ofstream(argv[1], std::ios::app) << md.str();
  return 0;
}
