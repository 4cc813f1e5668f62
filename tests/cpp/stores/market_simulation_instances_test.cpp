// The market simulation with two engine instances per market participant on PostgreSQL (each with
// its own PgStore::open on the participant's schema, all running at once and sharing its inbound
// files, outbox and deadlines) ends exactly as the one-instance run on SQLite files with the same
// seed: same outcomes, histories, files and acknowledgements, every deadline fired once and every
// message sent once. Nothing here depends on timing: the simulation runs on its simulated clock.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>

#include <mako/core/engine.hpp>
#include <mako/domain/market/market_simulation.hpp>
#include <mako/sqlite/sqlite_store.hpp>
#include <mako/stores/open_store.hpp>

#include "postgres/pg_test_server.hpp"

using namespace mako;
namespace fs = std::filesystem;

namespace {

fs::path scratch(const std::string& name) {
  const char* env = std::getenv("MAKO_TEST_TMP");
  const auto dir = fs::path(env && *env ? env : fs::temp_directory_path().string()) /
                   ("sim-instances-" + std::to_string(::getpid())) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

market::SimulationConfig config(const fs::path& dir, std::size_t instances) {
  market::SimulationConfig c;
  c.customers = 60;
  c.seed = 11;
  c.exchange_dir = dir / "exchange";
  c.instances = instances;
  return c;
}

market::SimulationReport on_sqlite() {
  const auto dir = scratch("sqlite");
  return market::run_market_simulation(config(dir, 1), [&](const std::string& party, Clock clock) {
    auto store = sqlite::SqliteStore::open((dir / (party + ".sqlite")).string());
    return EngineBuilder().with_event_store(store).with_clock(std::move(clock)).build();
  });
}

market::SimulationReport on_postgres(std::size_t instances) {
  const auto dir = scratch("pg" + std::to_string(instances));
  std::map<std::string, std::string> schemas;
  for (const char* party : {"lf", "nb"}) schemas[party] = pg_test::fresh_schema(std::string("sim_") + party);
  std::map<std::string, std::size_t> opened;
  auto report = market::run_market_simulation(config(dir, instances), [&](const std::string& party, Clock clock) {
    stores::StoreOptions options;
    options.postgres.schema = schemas.at(party);
    ++opened[party];  // one PgStore::open (own connections) per instance
    return stores::engine_builder(stores::open_store(pg_test::conninfo(), options))
        .with_clock(std::move(clock))
        .build();
  });
  CHECK(opened == std::map<std::string, std::size_t>{{"lf", instances}, {"nb", instances}});
  return report;
}

market::PumpReport total(const std::vector<market::PumpReport>& instances) {
  market::PumpReport sum;
  for (const auto& r : instances) {
    sum.deadlines_fired += r.deadlines_fired;
    sum.files_received += r.files_received;
    sum.messages_sent += r.messages_sent;
    sum.messages_failed += r.messages_failed;
  }
  return sum;
}

void check_same_work(const std::vector<market::PumpReport>& shared, const std::vector<market::PumpReport>& single) {
  const auto a = total(shared), b = total(single);
  CHECK(a.deadlines_fired == b.deadlines_fired);  // none fired twice (nor left unfired)
  CHECK(a.files_received == b.files_received);
  CHECK(a.messages_sent == b.messages_sent);  // none sent twice
  CHECK(a.messages_failed == 0);
  CHECK(b.messages_failed == 0);
}

void check_same_pipeline(const market::PipelineStats& a, const market::PipelineStats& b) {
  CHECK(a.files == b.files);
  CHECK(a.accepted == b.accepted);
  CHECK(a.duplicates == b.duplicates);  // only the scenarios' resent files, no message received twice
  CHECK(a.syntax_rejected == b.syntax_rejected);
  CHECK(a.executed == b.executed);
  CHECK(a.dead_lettered == b.dead_lettered);
  CHECK(a.refused == b.refused);
  CHECK(a.failed == 0);
  CHECK(a.contrl_sent == b.contrl_sent);
  CHECK(a.aperak_sent == b.aperak_sent);
  CHECK(a.contrl_received == b.contrl_received);
  CHECK(a.aperak_received == b.aperak_received);
}

}  // namespace

TEST_CASE("market simulation: two instances per participant on PostgreSQL end as one on SQLite",
          "[stores][postgres][simulation]") {
  const auto lite = on_sqlite();
  REQUIRE(lite.actual_outcomes() == lite.expected_outcomes);
  const auto pg = on_postgres(2);

  CHECK(pg.instances == 2);
  CHECK(pg.actual_outcomes() == pg.expected_outcomes);
  CHECK(pg.actual_outcomes() == lite.actual_outcomes());
  CHECK(pg.scenarios == lite.scenarios);
  CHECK(pg.lf.lfn_outcomes == lite.lf.lfn_outcomes);
  CHECK(pg.lf.lfa_outcomes == lite.lf.lfa_outcomes);
  CHECK(pg.nb.nb_outcomes == lite.nb.nb_outcomes);
  CHECK(pg.lf.answer_deadlines_missed == lite.lf.answer_deadlines_missed);
  CHECK(pg.nb.answer_deadlines_missed == lite.nb.answer_deadlines_missed);
  CHECK(pg.nb.late_lfa_answers_ignored == lite.nb.late_lfa_answers_ignored);
  for (const auto* side : {&pg.lf.sent_by_pid, &pg.nb.sent_by_pid}) {
    const auto& other = side == &pg.lf.sent_by_pid ? lite.lf.sent_by_pid : lite.nb.sent_by_pid;
    REQUIRE(side->size() == other.size());
    for (const auto& [pid, tally] : *side) {
      CHECK(tally.met == other.at(pid).met);
      CHECK(tally.missed == other.at(pid).missed);
    }
  }
  CHECK(pg.lf.events == lite.lf.events);
  CHECK(pg.nb.events == lite.nb.events);
  CHECK(pg.lf.streams == lite.lf.streams);
  CHECK(pg.nb.streams == lite.nb.streams);
  CHECK(pg.traffic == lite.traffic);  // every file once: nothing sent twice, nothing lost
  CHECK(pg.files_duplicated == lite.files_duplicated);
  CHECK(pg.files_corrupted == lite.files_corrupted);
  CHECK(pg.lf_dead_letters == lite.lf_dead_letters);
  CHECK(pg.nb_dead_letters == lite.nb_dead_letters);
  CHECK(pg.clock_steps == lite.clock_steps);
  CHECK(pg.simulated_to == lite.simulated_to);
  check_same_pipeline(pg.lf_pipeline, lite.lf_pipeline);
  check_same_pipeline(pg.nb_pipeline, lite.nb_pipeline);

  REQUIRE(pg.lf_instances.size() == 2);
  REQUIRE(pg.nb_instances.size() == 2);
  REQUIRE(lite.lf_instances.size() == 1);
  check_same_work(pg.lf_instances, lite.lf_instances);
  check_same_work(pg.nb_instances, lite.nb_instances);
  // The work is shared: each instance received files of its own (which ones is fixed by their
  // interchange, not by timing).
  for (const auto* party : {&pg.lf_instances, &pg.nb_instances})
    for (const auto& instance : *party) CHECK(instance.files_received > 0);
}

TEST_CASE("market simulation: instances are refused with group commit, and must be at least 1",
          "[stores][simulation]") {
  const auto dir = scratch("refused");
  auto memory = [](const std::string&, Clock clock) { return EngineBuilder().with_clock(std::move(clock)).build(); };
  auto c = config(dir, 2);
  c.instants_per_unit = 4;
  CHECK_THROWS_WITH(market::run_market_simulation(c, memory),
                    Catch::Contains("instants_per_unit > 1 (group commit) needs instances = 1"));
  c = config(dir, 1);
  c.unit_per_round = true;
  c.instants_per_unit = 2;
  CHECK_THROWS_WITH(market::run_market_simulation(c, memory), Catch::Contains("exclude each other"));
  c = config(dir, 0);
  CHECK_THROWS_WITH(market::run_market_simulation(c, memory), Catch::Contains("instances must be at least 1"));
}
