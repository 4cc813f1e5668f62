// The market simulation end to end: the outcome counts equal what the seed's scenarios dictate,
// per scenario where the histories can tell them apart; deterministic per seed; once on SQLite files.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

#include "mako/core/engine.hpp"
#include "mako/domain/calendar/berlin_time.hpp"
#include "mako/domain/gpke/register_workflows.hpp"
#include "mako/domain/market/file_name.hpp"
#include "mako/domain/market/market_simulation.hpp"
#include "mako/sqlite/event_columns.hpp"
#include "mako/sqlite/sqlite_store.hpp"

using namespace mako;
using namespace mako::market;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  const char* base = std::getenv("MAKO_TEST_TMP");
  fs::path dir = fs::path(base ? base : fs::temp_directory_path().string()) / ("market-" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

EngineContext in_memory(const std::string&, Clock clock) {
  return EngineBuilder().with_clock(std::move(clock)).build();
}

std::size_t count(const std::map<std::string, std::size_t>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? 0 : it->second;
}

}  // namespace

TEST_CASE("simulation: outcomes equal the seed's scenarios", "[market][simulation]") {
  SimulationConfig config;
  config.customers = 80;
  config.seed = 7;
  config.exchange_dir = scratch("outcomes");
  const auto r = run_market_simulation(config, in_memory);
  const auto& s = r.scenarios;
  INFO(format_report(r));

  // confirmed = answering-consent + silent + late + no-LFA (+ duplicates and NB-late, which are
  // no-LFA); rejected = rejecting + lead-time-missed (+ NB-late rejections).
  const auto no_lfa = count(s, "no_lfa") + count(s, "duplicate_file") + count(s, "nb_late");
  const auto lead_time_missed = count(s, "lead_time_missed") + count(s, "nb_late_rejects");
  CHECK(count(r.expected_outcomes, "confirmed") ==
        count(s, "lfa_consents") + count(s, "lfa_silent") + count(s, "lfa_late") + no_lfa);
  CHECK(count(r.expected_outcomes, "rejected") == count(s, "lfa_rejects") + lead_time_missed);
  CHECK(r.actual_outcomes() == r.expected_outcomes);

  // Scenario by scenario, from the NB's history.
  CHECK(count(r.nb.nb_outcomes, "confirmed:lfa_consent") == count(s, "lfa_consents"));
  CHECK(count(r.nb.nb_outcomes, "confirmed:silence_consent") == count(s, "lfa_silent") + count(s, "lfa_late"));
  CHECK(count(r.nb.nb_outcomes, "confirmed:no_lfa") == no_lfa);
  CHECK(count(r.nb.nb_outcomes, "rejected:lfa_rejected") == count(s, "lfa_rejects"));
  CHECK(count(r.nb.nb_outcomes, "rejected:lead_time_missed") == lead_time_missed);
  CHECK(r.nb.late_lfa_answers_ignored == count(s, "lfa_late"));
  CHECK(r.nb_pipeline.duplicates == count(s, "duplicate_file"));
  CHECK(r.nb_pipeline.contrl_rejections_sent == count(s, "malformed_file"));
  CHECK(r.nb_dead_letters == count(s, "unknown_pid"));
  // The LFN's 11:00 watchdog fires for the 55001 never received and for those in the NB's backlog.
  CHECK(count(r.lf.answer_deadlines_missed, "nb-answer-55002") ==
        count(s, "malformed_file") + count(s, "nb_late") + count(s, "nb_late_rejects"));
  CHECK(r.lf.sent_by_pid.at("55001").missed == lead_time_missed);
  // Late answers on both sides: the NB's from its backlog, the LFA's after 09:00.
  CHECK(r.nb.sent_by_pid.at("55002").missed == count(s, "nb_late"));
  CHECK(r.nb.sent_by_pid.at("55002").missed > 0);  // the NB misses 11:00 for real
  CHECK(r.nb.sent_by_pid.at("55003").missed == count(s, "nb_late_rejects"));
  CHECK(r.lf.sent_by_pid.at("55012").missed == count(s, "lfa_late"));
  CHECK(r.actions_skipped == 0);
  // Every scenario occurs, so each assertion above is exercised.
  for (int i = 0; i < kScenarioCount; ++i) CHECK(count(s, to_string(Scenario(i))) > 0);
}

TEST_CASE("simulation: the same seed gives the same run, another seed another one", "[market][simulation]") {
  SimulationConfig config;
  config.customers = 30;
  config.seed = 11;
  config.exchange_dir = scratch("determinism");
  const auto a = run_market_simulation(config, in_memory);
  const auto b = run_market_simulation(config, in_memory);
  CHECK(a.scenarios == b.scenarios);
  CHECK(a.traffic == b.traffic);
  CHECK(a.nb.nb_outcomes == b.nb.nb_outcomes);
  CHECK(a.simulated_to == b.simulated_to);
  CHECK(a.lf.events == b.lf.events);
  config.seed = 12;
  const auto c = run_market_simulation(config, in_memory);
  CHECK((c.scenarios != a.scenarios || c.simulated_from != a.simulated_from));
}

TEST_CASE("simulation on SQLite files: the histories read back from the files", "[market][simulation][sqlite]") {
  const fs::path dir = scratch("sqlite");
  SimulationConfig config;
  config.customers = 40;
  config.seed = 3;
  config.exchange_dir = dir / "exchange";
  auto make = [&](const std::string& party, Clock clock) {
    sqlite::SqliteOptions options;
    options.durability = sqlite::Durability::Relaxed;
    auto store = sqlite::SqliteStore::open((dir / (party + ".sqlite")).string(), options);
    return EngineBuilder().with_event_store(store).with_clock(std::move(clock)).build();
  };
  const auto r = run_market_simulation(config, make);
  CHECK(r.actual_outcomes() == r.expected_outcomes);

  // The processes' statuses, from their workflows, count what the simulation reports.
  WorkflowRegistry workflows;
  gpke::register_workflows(workflows);
  const sqlite::WorkflowLookup lookup = [&](const std::string& name) {
    return workflows.contains(name) ? workflows.get(name) : nullptr;
  };
  sqlite::HistoryFilter lfn;
  lfn.workflows = {gpke::workflow_names::kLieferbeginnLfn};
  const auto table = sqlite::HistoryReader((dir / "lf.sqlite").string()).processes(lfn, lookup);
  const auto& status = std::get<sqlite::CategoryColumn>(table.find("status")->values);
  std::map<std::string, std::size_t> by_status;
  for (auto code : status.codes) ++by_status[status.categories[code]];
  auto expected = r.lf.lfn_outcomes;  // "unanswered" is the workflow's "awaiting answer"
  if (auto it = expected.find("unanswered"); it != expected.end()) {
    expected["awaiting answer"] = it->second;
    expected.erase(it);
  }
  CHECK(by_status == expected);
  // The simulation closed its engines: each file alone holds its whole history (no -wal left).
  for (const auto& [party, events] : {std::pair<std::string, std::uint64_t>{"lf", r.lf.events}, {"nb", r.nb.events}}) {
    const auto db = dir / (party + ".sqlite");
    std::error_code ec;
    CHECK((!fs::exists(db.string() + "-wal") || fs::file_size(db.string() + "-wal", ec) == 0));
    const auto copy = dir / (party + "-copy.sqlite");
    fs::copy_file(db, copy, fs::copy_options::overwrite_existing);
    sqlite::SqliteOptions read_only;
    read_only.read_only = true;
    CHECK(sqlite::SqliteStore::open(copy.string(), read_only)->head_position() == events);
  }

  auto lf = sqlite::SqliteStore::open((dir / "lf.sqlite").string());
  const auto again = summarize_history(*lf);
  CHECK(again.lfn_outcomes == r.lf.lfn_outcomes);
  CHECK(again.events == r.lf.events);
  CHECK(lf->outbox()->pending_count() == 0);
  CHECK(lf->deadlines()->pending().empty());
  // Files: received ones moved to processed/ or rejected/, nothing left waiting.
  std::size_t waiting = 0;
  for (const auto& e : fs::recursive_directory_iterator(config.exchange_dir))
    if (e.is_regular_file() && e.path().parent_path().filename() == "inbox") ++waiting;
  CHECK(waiting == 0);
}

TEST_CASE("simulation: the in-memory wire carries the same EDIFACT to the same outcomes", "[market][simulation]") {
  SimulationConfig config;
  config.customers = 40;
  config.seed = 5;
  config.exchange_dir = scratch("wire-dir");
  const auto files = run_market_simulation(config, in_memory);
  config.wire = SimulationConfig::Wire::InMemory;
  const auto memory = run_market_simulation(config, in_memory);
  CHECK(memory.actual_outcomes() == memory.expected_outcomes);
  CHECK(memory.traffic == files.traffic);
  CHECK(memory.nb.nb_outcomes == files.nb.nb_outcomes);
  CHECK(memory.nb_pipeline.duplicates == files.nb_pipeline.duplicates);
}

TEST_CASE("simulation: group commit (several instants per unit) changes the commits, not the outcomes",
          "[market][simulation][sqlite]") {
  auto run = [](const std::string& name, std::size_t instants_per_unit, SimulationConfig::Wire wire) {
    const fs::path dir = scratch(name);
    SimulationConfig config;
    config.customers = 40;
    config.seed = 9;
    config.exchange_dir = dir / "exchange";
    config.wire = wire;
    config.instants_per_unit = instants_per_unit;
    auto make = [&](const std::string& party, Clock clock) {
      auto store = sqlite::SqliteStore::open((dir / (party + ".sqlite")).string());
      return EngineBuilder().with_event_store(store).with_clock(std::move(clock)).build();
    };
    auto report = run_market_simulation(config, make);
    // What the files say afterwards: everything committed, nothing pending.
    auto nb = sqlite::SqliteStore::open((dir / "nb.sqlite").string());
    CHECK(summarize_history(*nb).nb_outcomes == report.nb.nb_outcomes);
    CHECK(nb->outbox()->pending_count() == 0);
    return report;
  };
  const auto single = run("group-1", 1, SimulationConfig::Wire::InMemory);
  CHECK(single.units_committed == single.clock_steps + 1);
  for (auto wire : {SimulationConfig::Wire::InMemory, SimulationConfig::Wire::Directory}) {
    const auto grouped = run(wire == SimulationConfig::Wire::InMemory ? "group-8-mem" : "group-8-dir", 8, wire);
    CHECK(grouped.actual_outcomes() == grouped.expected_outcomes);
    CHECK(grouped.units_committed == (grouped.clock_steps + 1 + 7) / 8);
    CHECK(grouped.nb.nb_outcomes == single.nb.nb_outcomes);
    CHECK(grouped.lf.lfn_outcomes == single.lf.lfn_outcomes);
    CHECK(grouped.traffic == single.traffic);
    CHECK(grouped.lf.events == single.lf.events);
    CHECK(grouped.nb.events == single.nb.events);
    CHECK(grouped.clock_steps == single.clock_steps);
  }
}

TEST_CASE("simulation: a unit of work per pump round changes the commits, not the outcomes",
          "[market][simulation][sqlite]") {
  auto run = [](const std::string& name, bool unit_per_round) {
    const fs::path dir = scratch(name);
    SimulationConfig config;
    config.customers = 40;
    config.seed = 9;
    config.exchange_dir = dir / "exchange";
    config.unit_per_round = unit_per_round;
    auto make = [&](const std::string& party, Clock clock) {
      auto store = sqlite::SqliteStore::open((dir / (party + ".sqlite")).string());
      return EngineBuilder().with_event_store(store).with_clock(std::move(clock)).build();
    };
    return run_market_simulation(config, make);
  };
  const auto per_instant = run("round-0", false), per_round = run("round-1", true);
  CHECK(!per_instant.unit_per_round);
  CHECK(per_round.unit_per_round);
  CHECK(per_round.units_committed > per_round.clock_steps);  // pump rounds: at least one per instant
  CHECK(per_round.actual_outcomes() == per_round.expected_outcomes);
  CHECK(per_round.nb.nb_outcomes == per_instant.nb.nb_outcomes);
  CHECK(per_round.lf.lfn_outcomes == per_instant.lf.lfn_outcomes);
  CHECK(per_round.traffic == per_instant.traffic);
  CHECK(per_round.lf.events == per_instant.lf.events);
  CHECK(per_round.nb.events == per_instant.nb.events);
  CHECK(per_round.clock_steps == per_instant.clock_steps);
  CHECK(per_round.nb_pipeline.duplicates == per_instant.nb_pipeline.duplicates);
  CHECK(format_report(per_round).find("1 engine instance per participant") != std::string::npos);
}

TEST_CASE("market file names: built and read back, other shapes are refused", "[market][file_name]") {
  const FileNameParts parts{"9900467000000", "9904590000002", "UTILMD55001", "A1B2C3D4E5F6A7"};
  const std::string name = market_file_name(calendar::parse_utc("2026-03-16T06:06:00Z"), 42, parts);
  const auto back = parse_market_file_name(name);
  REQUIRE(back);
  CHECK(back->sender == parts.sender);
  CHECK(back->receiver == parts.receiver);
  CHECK(back->kind == parts.kind);
  CHECK(back->interchange_reference == parts.interchange_reference);
  for (const char* bad : {"a_b_c_d_e.edi", "a_b_c_d_e_f_g.edi", "a_b_c_d_e_f.txt", ".edi", "", "a_b_c_d_e_f"})
    CHECK_FALSE(parse_market_file_name(bad));
  CHECK(parse_market_file_name("a_b_c_d_e_f.edi")->interchange_reference == "f");
  CHECK(parse_market_file_name("a_b__d_e_f.edi")->sender == "");
}
