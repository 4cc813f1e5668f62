// ServiceLoop, the C++ entry point for running participants: on its own thread it sends what a
// command committed into the partner's folder, fires a deadline that fell due while nothing ran
// (once), and returns after request_stop(). The tests wait for observable progress, never for time.
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>

#include "anmeldung_data.hpp"
#include "mako/domain/market/directory_transport.hpp"
#include "mako/domain/market/service_loop.hpp"
#include "market_test_support.hpp"

using namespace market_test;
namespace fs = std::filesystem;

namespace {

fs::path fresh_dir(const std::string& name) {
  const char* env = std::getenv("MAKO_TEST_TMP");
  fs::path dir = (env && *env ? fs::path(env) : fs::temp_directory_path() / "mako-test") / "service-loop" /
                 (name + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

std::size_t files_in(const fs::path& dir) {
  std::size_t n = 0;
  if (fs::exists(dir))
    for (const auto& e : fs::directory_iterator(dir)) n += e.is_regular_file() ? 1 : 0;
  return n;
}

// Waits until `done()` holds, re-checking after each short pause; fails after a generous bound
// (a hung loop), never because the machine is slow.
template <class Done>
void wait_for(Done done) {
  for (int i = 0; i < 60'000 && !done(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(done());
}

std::size_t count_events(const EngineContext& engine, const char* type) {
  std::size_t n = 0;
  for (const auto& e : engine.event_store().read_all(0, 1'000'000)) n += e.event_type == type ? 1 : 0;
  return n;
}

}  // namespace

TEST_CASE(
    "service loop: a committed message reaches the partner's folder, an overdue deadline fires once, stop ends it",
    "[market][service]") {
  const auto root = fresh_dir("lf");
  auto now = std::make_shared<std::atomic<std::int64_t>>(Timestamp(berlin(2026, 3, 16, 10)).time_since_epoch().count());
  auto clock = [now] { return Timestamp(Timestamp::duration(now->load())); };
  WorkflowRegistry workflows;
  gpke::register_workflows(workflows);
  EngineContext lf = EngineBuilder().with_clock(clock).build();
  auto wire = std::make_shared<DirectoryTransport>(root, FileSync::None);
  MarketParticipant party("lf", lf, workflows, wire, InboundPipelineOptions{{kLfn}, lf_routes(), nullptr});

  // The supplier starts a switch: the 55001 is committed to the outbox, its answer deadline armed.
  auto lfn = lf.spawn<gpke::LfnLieferbeginn>(TenantId::from_party_id(kLfn),
                                             WorkflowId(gpke::workflow_names::kLieferbeginnLfn, "FV2025-10-01"));
  gpke::StartSwitch cmd{
      edifact::corpus::kMaloA, make_date(2026, 3, 25), "E03", kNb, kLfn, berlin(2026, 3, 16, 10), "VG0001", false};
  cmd.customer = test_customer();
  lfn.execute(std::move(cmd));
  const auto due = party.next_deadline();
  REQUIRE(due);

  std::size_t rounds_with_work = 0;
  ServiceLoopOptions options;
  options.clock = clock;
  options.poll_interval = std::chrono::hours(1);  // only wake() and deadlines start rounds here
  options.on_round = [&](const MarketParticipant&, const PumpReport&) { ++rounds_with_work; };
  ServiceLoop loop({&party}, options);
  std::uint64_t rounds = 0;
  std::thread runner([&] { rounds = loop.run(); });

  // The first round sends the 55001 into the NB's folder.
  wait_for([&] { return files_in(wire->outbox(kNb)) == 1; });
  CHECK(count_events(lf, "AnswerDeadlineMissed") == 0);

  // The NB stays silent; the clock passes the deadline while the loop waits: a wake() runs a round
  // that fires it, once.
  now->store((*due + std::chrono::minutes(1)).time_since_epoch().count());
  loop.wake();
  wait_for([&] { return count_events(lf, "AnswerDeadlineMissed") == 1; });
  loop.wake();  // more rounds change nothing
  loop.wake();

  loop.request_stop();
  runner.join();
  CHECK(rounds >= 2);
  CHECK(count_events(lf, "AnswerDeadlineMissed") == 1);
  CHECK(files_in(wire->outbox(kNb)) == 1);
  CHECK_FALSE(party.next_deadline().has_value());
}

TEST_CASE("service loop: request_stop ends a loop that waits for a distant deadline", "[market][service]") {
  const auto root = fresh_dir("idle");
  WorkflowRegistry workflows;
  gpke::register_workflows(workflows);
  EngineContext lf = EngineBuilder().build();
  auto wire = std::make_shared<DirectoryTransport>(root, FileSync::None);
  MarketParticipant party("lf", lf, workflows, wire, InboundPipelineOptions{{kLfn}, lf_routes(), nullptr});
  ServiceLoopOptions options;
  options.poll_interval = std::chrono::hours(24);
  ServiceLoop loop({&party}, options);
  std::atomic<bool> returned{false};
  std::thread runner([&] {
    loop.run();
    returned = true;
  });
  loop.request_stop();  // whether the loop is waiting already or not: it returns
  runner.join();
  CHECK(returned);
  CHECK_THROWS_AS(ServiceLoop({}, {}), std::invalid_argument);
  ServiceLoopOptions zero;
  zero.poll_interval = std::chrono::milliseconds(0);
  CHECK_THROWS_AS(ServiceLoop({&party}, zero), std::invalid_argument);
}
