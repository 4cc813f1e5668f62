// DeadlineScheduler on the in-memory engine with a fake clock: fired deadlines become events, soonest
// first, at most once with racing schedulers; a refused command is recorded as moot, not retried.
#include <catch2/catch.hpp>

#include <thread>

#include <mako/core/deadline_scheduler.hpp>
#include <mako/core/engine.hpp>

#include "core/answering_workflow.hpp"

using namespace mako;
using namespace std::chrono_literals;

namespace {

const Timestamp t0 = parse_rfc3339("2025-10-01T08:00:00Z");
const WorkflowId kWorkflow("answering", "FV2025-10-01");

struct Setup {
  Timestamp now = t0;
  EngineContext ctx = EngineBuilder().with_clock([this] { return now; }).build();
  WorkflowRegistry workflows;
  Setup() { workflows.add<answering::Workflow>("answering"); }

  std::shared_ptr<ProcessCore> request(const std::string& due = "") {
    auto runtime = workflows.get("answering");
    auto p = ctx.spawn(runtime, TenantId(), kWorkflow);
    Json cmd{{"type", "Request"}};
    if (!due.empty()) cmd["due"] = due;
    p->execute([&](const StateBox& s) { return runtime->handle_json(s, cmd); });
    return p;
  }
  void send(ProcessCore& p, const char* type) {
    auto runtime = workflows.get("answering");
    p.execute([&](const StateBox& s) { return runtime->handle_json(s, Json{{"type", type}}); });
  }
  std::vector<std::string> types(const ProcessCore& p) {
    std::vector<std::string> out;
    for (auto& e : ctx.event_store().load(p.identity().stream_id)) out.push_back(e.event_type);
    return out;
  }
};

}  // namespace

TEST_CASE("deadline scheduler: a due deadline fires its command into the process's history, once",
          "[runtime][scheduler]") {
  Setup s;
  auto p = s.request();
  DeadlineScheduler scheduler(s.ctx, s.workflows);
  CHECK(scheduler.next_due() == answering::kAnswerDue);
  CHECK(scheduler.run_due(answering::kAnswerDue - 1ns).results.empty());

  s.now = answering::kAnswerDue;
  auto report = scheduler.run_due(s.now);
  REQUIRE(report.results.size() == 1);
  CHECK(report.results[0].outcome == DeadlineStatus::Fired);
  CHECK(report.results[0].deadline.name == "answer");
  CHECK(report.results[0].deadline.stream_id == p->identity().stream_id);
  CHECK_FALSE(report.results[0].deadline.command.is_null());
  REQUIRE(report.results[0].events.size() == 1);
  CHECK(report.results[0].events[0].event_type == "TimedOut");
  CHECK(report.results[0].events[0].timestamp == answering::kAnswerDue);
  CHECK(s.types(*p) == std::vector<std::string>{"Requested", "TimedOut"});
  CHECK(s.ctx.deadlines()->find(p->identity().stream_id, "answer")->status == DeadlineStatus::Fired);

  CHECK(scheduler.run_due(s.now + 24h).results.empty());  // never again
  CHECK_FALSE(scheduler.next_due());
  CHECK(s.types(*p).size() == 2);
}

TEST_CASE("deadline scheduler: soonest first, and next_due lets a simulation jump time", "[runtime][scheduler]") {
  Setup s;
  auto late = s.request("2025-10-03T09:00:00Z");
  auto early = s.request("2025-10-01T12:00:00Z");
  auto middle = s.request("2025-10-02T09:00:00Z");
  DeadlineScheduler scheduler(s.ctx, s.workflows);

  auto all = scheduler.run_due(parse_rfc3339("2025-12-31T00:00:00Z"));
  REQUIRE(all.results.size() == 3);
  CHECK(all.results[0].deadline.stream_id == early->identity().stream_id);
  CHECK(all.results[1].deadline.stream_id == middle->identity().stream_id);
  CHECK(all.results[2].deadline.stream_id == late->identity().stream_id);

  // The same via jumps: each step fires exactly the next one.
  Setup sim;
  sim.request("2025-10-03T09:00:00Z");
  sim.request("2025-10-01T12:00:00Z");
  DeadlineScheduler sched(sim.ctx, sim.workflows);
  std::vector<Timestamp> fired_at;
  while (auto next = sched.next_due()) {
    sim.now = *next;
    auto r = sched.run_due(sim.now);
    REQUIRE(r.results.size() == 1);
    fired_at.push_back(r.results[0].events.at(0).timestamp);
  }
  CHECK(fired_at ==
        std::vector<Timestamp>{parse_rfc3339("2025-10-01T12:00:00Z"), parse_rfc3339("2025-10-03T09:00:00Z")});
}

TEST_CASE("deadline scheduler: a command the workflow refuses is recorded as moot and not retried",
          "[runtime][scheduler]") {
  Setup s;
  auto p = s.request();
  s.send(*p, "Answer");  // answered in time: the timeout no longer applies
  DeadlineScheduler scheduler(s.ctx, s.workflows);
  auto report = scheduler.run_due(answering::kAnswerDue);
  REQUIRE(report.results.size() == 1);
  CHECK(report.results[0].outcome == DeadlineStatus::Moot);
  CHECK_THAT(report.results[0].note, Catch::Contains("answered"));
  auto stored = s.ctx.deadlines()->find(p->identity().stream_id, "answer");
  CHECK(stored->status == DeadlineStatus::Moot);
  CHECK_THAT(stored->outcome, Catch::Contains("answered"));
  // The result carries the whole deadline (the scheduler moves it in, it does not copy it).
  const DeadlineItem& fired = report.results[0].deadline;
  CHECK(fired.id == stored->id);
  CHECK(fired.name == "answer");
  CHECK(fired.stream_id == p->identity().stream_id);
  CHECK(fired.command == stored->command);
  CHECK_FALSE(fired.command.is_null());
  CHECK(fired.process == p->identity());
  CHECK(scheduler.run_due(answering::kAnswerDue + 1h).results.empty());
  CHECK(s.types(*p) == std::vector<std::string>{"Requested", "Answered"});
}

TEST_CASE("deadline scheduler: an unknown workflow is recorded as failed", "[runtime][scheduler]") {
  Setup s;
  s.request();
  WorkflowRegistry empty;
  DeadlineScheduler scheduler(s.ctx, empty);
  auto report = scheduler.run_due(answering::kAnswerDue);
  REQUIRE(report.results.size() == 1);
  CHECK(report.count(DeadlineStatus::Failed) == 1);
  CHECK_THAT(report.results[0].note, Catch::Contains("no workflow registered as 'answering'"));
  CHECK(report.results[0].deadline.name == "answer");
  CHECK_FALSE(report.results[0].deadline.command.is_null());
  CHECK(scheduler.run_due(answering::kAnswerDue).results.empty());
}

TEST_CASE("deadline scheduler: two schedulers racing fire each deadline once", "[runtime][scheduler][concurrency]") {
  Setup s;
  std::vector<std::shared_ptr<ProcessCore>> processes;
  for (int i = 0; i < 30; ++i) processes.push_back(s.request());
  DeadlineScheduler a(s.ctx, s.workflows), b(s.ctx, s.workflows);
  DeadlineRunReport ra, rb;
  std::thread ta([&] { ra = a.run_due(answering::kAnswerDue); });
  std::thread tb([&] { rb = b.run_due(answering::kAnswerDue); });
  ta.join();
  tb.join();
  CHECK(ra.results.size() + rb.results.size() == 30);
  CHECK(ra.count(DeadlineStatus::Fired) + rb.count(DeadlineStatus::Fired) == 30);
  for (auto& p : processes) CHECK(s.types(*p) == std::vector<std::string>{"Requested", "TimedOut"});
}
