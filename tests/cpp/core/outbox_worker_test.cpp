// OutboxWorker under a fake clock: delivery, dedup, backoff schedule with and without jitter, dead
// letters after max attempts and after max age.
#include <catch2/catch.hpp>

#include <map>
#include <stdexcept>

#include <mako/core/engine.hpp>
#include <mako/core/outbox_worker.hpp>

using namespace mako;
using namespace std::chrono_literals;

namespace {

// Fails the first `failures` sends of each message, then accepts; records every attempt.
struct FakeTransport : Transport {
  int failures = 0;
  std::map<std::string, int> attempts;
  std::vector<std::string> delivered;
  void send(const OutboxItem& m) override {
    if (++attempts[m.idempotency_key] <= failures) throw std::runtime_error("endpoint down");
    delivered.push_back(m.idempotency_key);
  }
};

const Timestamp t0 = parse_rfc3339("2025-10-01T08:00:00Z");

// An engine on a fake clock whose process has committed the given messages at t0.
struct Setup {
  EngineContext ctx = EngineBuilder().with_clock([] { return t0; }).build();
  std::shared_ptr<FakeTransport> transport = std::make_shared<FakeTransport>();

  void commit(std::vector<OutboundMessage> messages) {
    auto p = ProcessIdentity::create(TenantId(), ProcessId::generate(), WorkflowId("answering", "FV2025-10-01"));
    CommitBatch b{p.stream_id, ExpectedVersion::any(), {}, std::move(messages), {}, {}};
    auto& e = b.events.emplace_back();
    e.timestamp = t0;
    e.tenant_id = p.tenant_id;
    e.process_id = p.process_id;
    e.workflow_id = p.workflow_id;
    e.event_type = "Sent";
    e.payload = Json{{"type", "Sent"}};
    ctx.event_store().append(b);
  }
  OutboxWorker worker(RetryPolicy retry, std::uint64_t seed = 7) {
    OutboxWorkerOptions o;
    o.retry = retry;
    o.jitter_seed = seed;
    return OutboxWorker(ctx.outbox(), transport, o);
  }
};

OutboundMessage msg(const std::string& key) {
  return OutboundMessage{"Send", "4012345000023", "UTILMD", Json::object(), key};
}

}  // namespace

TEST_CASE("outbox worker: delivers due messages once, a duplicate idempotency key is sent once",
          "[runtime][outbox-worker]") {
  Setup s;
  s.commit({msg("a"), msg("b")});
  s.commit({msg("a")});  // the same message from a retried command
  auto w = s.worker(RetryPolicy{});
  auto r = w.run_once(t0);
  CHECK(r.delivered == 2);
  CHECK(r.failed == 0);
  CHECK(s.transport->delivered == std::vector<std::string>{"a", "b"});
  CHECK(w.run_once(t0 + 1h).total() == 0);  // nothing left
  CHECK(s.ctx.outbox()->pending_count() == 0);
  CHECK(s.ctx.outbox()->find("a")->status == OutboxStatus::Delivered);
  CHECK(s.ctx.outbox()->find("a")->finished_at == t0);
}

TEST_CASE("outbox worker: exponential backoff without jitter, capped", "[runtime][outbox-worker]") {
  Setup s;
  s.commit({msg("m")});
  s.transport->failures = 5;
  auto w = s.worker(RetryPolicy{10s, 60s, 0.0, 10, 72h});
  Timestamp now = t0;
  std::vector<std::chrono::nanoseconds> delays;
  for (int i = 0; i < 5; ++i) {
    auto r = w.run_once(now);
    REQUIRE(r.failed == 1);
    auto next = *s.ctx.outbox()->find("m")->next_attempt_at;
    delays.push_back(next - now);
    CHECK(w.run_once(next - 1ns).total() == 0);  // not before its time
    now = next;
  }
  CHECK(delays == std::vector<std::chrono::nanoseconds>{10s, 20s, 40s, 60s, 60s});
  CHECK(s.ctx.outbox()->find("m")->attempts == 5);
  CHECK(s.ctx.outbox()->find("m")->last_error == "endpoint down");
  CHECK(w.run_once(now).delivered == 1);  // the sixth attempt succeeds
  CHECK(s.transport->attempts["m"] == 6);
}

TEST_CASE("outbox worker: jitter stays within its share and is reproducible from the seed",
          "[runtime][outbox-worker]") {
  auto schedule = [](std::uint64_t seed) {
    Setup s;
    s.commit({msg("m")});
    s.transport->failures = 100;
    auto w = s.worker(RetryPolicy{10s, 1h, 0.5, 100, 720h}, seed);
    std::vector<std::chrono::nanoseconds> delays;
    Timestamp now = t0;
    for (int i = 0; i < 6; ++i) {
      w.run_once(now);
      auto next = *s.ctx.outbox()->find("m")->next_attempt_at;
      delays.push_back(next - now);
      now = next;
    }
    return delays;
  };
  auto a = schedule(42), b = schedule(42), c = schedule(43);
  CHECK(a == b);
  CHECK(a != c);
  std::chrono::nanoseconds full = 10s;
  for (auto d : a) {
    CHECK(d <= full);
    CHECK(d >= full / 2);
    full *= 2;
  }
  CHECK(backoff_delay(RetryPolicy{10s, 1h, 0.5, 100, 720h}, 40, 0.0) == 1h);  // no overflow far past the cap
}

TEST_CASE("outbox worker: dead letter after max attempts, with the reason", "[runtime][outbox-worker]") {
  Setup s;
  s.commit({msg("m"), msg("ok")});
  s.transport->failures = 100;
  auto w = s.worker(RetryPolicy{1s, 1s, 0.0, 3, 72h});
  auto r1 = w.run_once(t0);
  CHECK(r1.failed == 2);
  CHECK(w.run_once(t0 + 1s).failed == 2);
  auto r3 = w.run_once(t0 + 2s);
  CHECK(r3.dead_lettered == 2);
  CHECK(r3.failed == 0);
  auto dead = s.ctx.outbox()->dead_letters();
  REQUIRE(dead.size() == 2);
  CHECK(dead[0].idempotency_key == "m");
  CHECK(dead[0].attempts == 3);
  CHECK_THAT(dead[0].last_error, Catch::Contains("gave up after 3 attempts") && Catch::Contains("endpoint down"));
  CHECK(w.run_once(t0 + 1h).total() == 0);  // never tried again
  CHECK(s.transport->attempts["m"] == 3);
}

TEST_CASE("outbox worker: dead letter once a failure finds the message older than max age",
          "[runtime][outbox-worker]") {
  Setup s;
  s.commit({msg("m")});
  s.transport->failures = 100;
  auto w = s.worker(RetryPolicy{1h, 1h, 0.0, 100, 3h});
  CHECK(w.run_once(t0).failed == 1);
  CHECK(w.run_once(t0 + 1h).failed == 1);
  CHECK(w.run_once(t0 + 2h).failed == 1);
  auto r = w.run_once(t0 + 3h);  // enqueued at t0 (the commit's clock), now 3 h old
  CHECK(r.dead_lettered == 1);
  auto dead = s.ctx.outbox()->dead_letters();
  REQUIRE(dead.size() == 1);
  CHECK_THAT(dead[0].last_error, Catch::Contains("older than max_age"));
  CHECK(dead[0].attempts == 4);
}
