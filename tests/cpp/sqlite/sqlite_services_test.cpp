// The runtime services over SQLite: deadlines fire at most once with schedulers on two handles of
// one file (as two OS processes would), fired deadlines are events, the outbox worker delivers and
// the state survives a reopen.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <stdexcept>
#include <thread>

#include <mako/core/deadline_scheduler.hpp>
#include <mako/core/engine.hpp>
#include <mako/core/outbox_worker.hpp>
#include <mako/sqlite/sqlite_store.hpp>

#include "contract/runtime_fixture.hpp"
#include "core/answering_workflow.hpp"
#include "sqlite/sqlite_db_peek.hpp"
#include "sqlite/test_paths.hpp"

using namespace mako;
using namespace std::chrono_literals;
using mako::sqlite::SqliteStore;

namespace {
const Timestamp t0 = parse_rfc3339("2025-10-01T08:00:00Z");

EngineContext engine_on(const std::shared_ptr<SqliteStore>& store) {
  return EngineBuilder().with_event_store(store).with_clock([] { return t0; }).build();
}

// The first commit of `p`: one event and `message` for the outbox.
CommitBatch first_commit_sending(const ProcessIdentity& p, OutboundMessage message) {
  auto b = contract::process_commit(p, t0);
  b.expected = ExpectedVersion::no_stream();
  b.messages = {std::move(message)};
  return b;
}
}  // namespace

TEST_CASE("sqlite services: two schedulers on two handles of one file fire each deadline once, as events",
          "[sqlite][runtime][scheduler][concurrency]") {
  const auto path = sqlite_test::fresh_db("scheduler-race");
  WorkflowRegistry workflows;
  workflows.add<answering::Workflow>("answering");
  auto runtime = workflows.get("answering");
  auto store_a = SqliteStore::open(path), store_b = SqliteStore::open(path);
  auto ctx_a = engine_on(store_a), ctx_b = engine_on(store_b);
  CHECK(ctx_a.deadlines());  // taken from the SqliteStore by the builder

  std::vector<ProcessIdentity> processes;
  for (int i = 0; i < 25; ++i) {
    auto p = ctx_a.spawn(runtime, TenantId(), WorkflowId("answering", "FV2025-10-01"));
    p->execute([&](const StateBox& s) { return runtime->handle_json(s, Json{{"type", "Request"}}); });
    processes.push_back(p->identity());
  }
  CHECK(ctx_b.deadlines()->pending().size() == 25);

  DeadlineScheduler a(ctx_a, workflows), b(ctx_b, workflows);
  DeadlineRunReport ra, rb;
  std::thread ta([&] { ra = a.run_due(answering::kAnswerDue); });
  std::thread tb([&] { rb = b.run_due(answering::kAnswerDue); });
  ta.join();
  tb.join();
  CHECK(ra.count(DeadlineStatus::Fired) + rb.count(DeadlineStatus::Fired) == 25);
  CHECK(ra.results.size() + rb.results.size() == 25);
  for (const auto& p : processes) {
    auto events = store_a->load(p.stream_id);
    REQUIRE(events.size() == 2);
    CHECK(events[1].event_type == "TimedOut");
  }

  // Outcomes persist: a reopened store has nothing left to fire.
  store_a.reset();
  store_b.reset();
  auto reopened = SqliteStore::open(path);
  CHECK_FALSE(reopened->deadlines()->next_due());
  CHECK(reopened->deadlines()->find(processes[0].stream_id, "answer")->status == DeadlineStatus::Fired);
}

TEST_CASE("sqlite services: the outbox worker delivers committed messages, retries and dead letters persist",
          "[sqlite][runtime][outbox-worker]") {
  struct Flaky : Transport {
    std::map<std::string, int> attempts;
    void send(const OutboxItem& m) override {
      if (++attempts[m.idempotency_key] < 2) throw std::runtime_error("503 from AS4 gateway");
    }
  };
  const auto path = sqlite_test::fresh_db("outbox-worker");
  auto store = SqliteStore::open(path);
  auto ctx = engine_on(store);
  auto p = ProcessIdentity::create(TenantId(), ProcessId::generate(), WorkflowId("answering", "FV2025-10-01"));
  auto b = first_commit_sending(
      p, OutboundMessage{"Send", "4012345000023", "UTILMD", Json{{"n", 1}}, ""});  // key derived by the store
  store->append(b);

  auto transport = std::make_shared<Flaky>();
  OutboxWorkerOptions options;
  options.retry = RetryPolicy{1min, 1h, 0.0, 5, 72h};
  OutboxWorker worker(ctx.outbox(), transport, options);
  CHECK(worker.run_once(t0).failed == 1);
  CHECK(worker.run_once(t0 + 59s).total() == 0);
  CHECK(worker.run_once(t0 + 1min).delivered == 1);
  const auto key =
      outbox_idempotency_key(p.process_id, "Send", "4012345000023", FormatVersion::parse("FV2025-10-01")).to_string();
  store.reset();
  auto item = SqliteStore::open(path)->outbox()->find(key);
  REQUIRE(item);
  CHECK(item->status == OutboxStatus::Delivered);
  CHECK(item->attempts == 2);
  CHECK(item->last_error == "503 from AS4 gateway");
  CHECK(item->enqueued_at == t0);
}

TEST_CASE("sqlite services: stored outbox payloads read back as Json::parse reads them, a corrupt one is Corrupt",
          "[sqlite][runtime][outbox]") {
  const auto path = sqlite_test::fresh_db("outbox-payload");
  auto store = SqliteStore::open(path);
  auto p = ProcessIdentity::create(TenantId(), ProcessId::generate(), WorkflowId("answering", "FV2025-10-01"));
  auto b = first_commit_sending(p, OutboundMessage{"Send", "4012345000023", "UTILMD", Json{{"n", 1}}, "m1"});
  store->append(b);
  auto outbox = store->outbox();
  sqlite_test::Peek peek(path);
  // Text the fast reader leaves to Json::parse (a \u escape, a duplicate key) reads back the same.
  const std::string odd = R"({"name":"M\u00fcller","n":-3,"x":1.5e3,"n":2,"list":[true,null,{}]})";
  REQUIRE(peek.exec("UPDATE outbox SET payload = '" + odd + "'") == SQLITE_OK);
  auto item = outbox->find("m1");
  REQUIRE(item);
  CHECK(item->payload == Json::parse(odd));
  REQUIRE(peek.exec("UPDATE outbox SET payload = '{\"n\": [1, 2'") == SQLITE_OK);
  try {
    outbox->claim_due(t0, 10);
    FAIL("a corrupt payload was read");
  } catch (const EngineError& err) {
    CHECK(err.kind() == EngineError::Kind::Corrupt);
    CHECK_THAT(err.what(), Catch::Contains("payload of outbox message 'm1' is not valid JSON"));
  }
}

TEST_CASE("sqlite services: mark_delivered after a claim finds the claimed row, in any order, and only once",
          "[sqlite][runtime][outbox]") {
  // mark_delivered looks the claimed rows up by rowid (a hint kept from the last claim_due); the
  // answers must be those of the key lookup whatever the order, and with the hint stale or absent.
  const auto path = sqlite_test::fresh_db("outbox-claimed-rows");
  auto store = SqliteStore::open(path), other = SqliteStore::open(path);
  auto p = ProcessIdentity::create(TenantId(), ProcessId::generate(), WorkflowId("answering", "FV2025-10-01"));
  auto b = contract::process_commit(p, t0);
  b.expected = ExpectedVersion::no_stream();
  for (const char* key : {"m1", "m2", "m3", "m4"})
    b.messages.push_back(OutboundMessage{std::string("Send-") + key, "4012345000023", "UTILMD", Json{{"k", key}}, key});
  store->append(b);
  auto outbox = store->outbox();

  REQUIRE(outbox->claim_due(t0, 10, 1min).size() == 4);
  CHECK(outbox->mark_delivered("m3", t0 + 1s));  // out of claim order
  CHECK(outbox->mark_delivered("m1", t0 + 2s));
  CHECK_FALSE(outbox->mark_delivered("m3", t0 + 3s));     // once only
  CHECK(other->outbox()->mark_delivered("m2", t0 + 4s));  // another handle was first
  CHECK_FALSE(outbox->mark_delivered("m2", t0 + 5s));
  CHECK_FALSE(outbox->mark_delivered("unknown", t0 + 6s));
  CHECK(outbox->claim_due(t0 + 30s, 10).empty());  // leased: the hint is gone, m4 goes by its key
  CHECK(outbox->mark_delivered("m4", t0 + 7s));
  CHECK(outbox->pending_count() == 0);

  const std::map<std::string, std::pair<Timestamp, std::uint32_t>> expected{
      {"m1", {t0 + 2s, 1}}, {"m2", {t0 + 4s, 1}}, {"m3", {t0 + 1s, 1}}, {"m4", {t0 + 7s, 1}}};
  for (const auto& [key, want] : expected) {
    INFO(key);
    auto item = other->outbox()->find(key);
    REQUIRE(item);
    CHECK(item->status == OutboxStatus::Delivered);
    CHECK(item->finished_at == want.first);
    CHECK(item->attempts == want.second);
    CHECK(item->payload == Json{{"k", key}});
  }
}

TEST_CASE("sqlite services: inbox keys are stored as '{tenant}/{key}', one per tenant", "[sqlite][runtime][inbox]") {
  const auto path = sqlite_test::fresh_db("inbox-keys");
  auto store = SqliteStore::open(path);
  auto inbox = store->inbox();
  const TenantId a, b;
  const std::string key = "UTILMD_9900467000000_9904590000002_20260316_ref-0001.edi";
  CHECK(inbox->record_if_new(a, key, t0));
  CHECK_FALSE(inbox->record_if_new(a, key, t0 + 1s));
  CHECK(inbox->record_if_new(b, key, t0));
  CHECK(inbox->record_if_new(a, "", t0));  // an empty key is a key too
  CHECK(inbox->contains(a, key));
  CHECK(inbox->contains(a, ""));
  CHECK_FALSE(inbox->contains(b, ""));
  sqlite_test::Peek peek(path);
  std::vector<std::vector<std::string>> expected{
      {a.to_string() + "/"}, {a.to_string() + "/" + key}, {b.to_string() + "/" + key}};
  std::sort(expected.begin(), expected.end());
  CHECK(peek.rows("SELECT dedup_key FROM inbox ORDER BY dedup_key") == expected);
}
