#pragma once
// The runtime stores contract: the same test cases for the outbox, deadline, registry, inbox,
// dead-letter and checkpoint stores of every event store. A suite defines
// `using RuntimeContractStores = std::tuple<Factory...>;` (each Factory has `static const char* name()`
// and `contract::RuntimeFixture make()` (contract/runtime_fixture.hpp), whose stores are fed by the fixture's event
// store) and includes this header once.
#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <set>
#include <thread>

#include <mako/core/errors.hpp>
#include <mako/core/event_store.hpp>
#include <mako/core/runtime_stores.hpp>

#include "contract/runtime_fixture.hpp"

TEMPLATE_LIST_TEST_CASE(
    "runtime contract: committed messages are claimed with identity, attempts and enqueue time, "
    "an idempotency key enqueues once",
    "[contract][runtime][outbox]", RuntimeContractStores) {
  TestType factory;
  auto f = factory.make();
  auto& outbox = *f.stores.outbox;
  const auto p = contract::new_process(mako::TenantId::from_party_id("9900123456789"));
  const auto t0 = contract::at("2025-10-01T08:00:00Z");

  auto b = contract::process_commit(p, t0);
  b.messages = {contract::message("m1"), contract::message("m2")};
  f.events->append(b);
  auto again = contract::process_commit(p, t0 + std::chrono::minutes(1));
  again.messages = {contract::message("m1")};  // a retried command produced the same message
  f.events->append(again);
  CHECK(outbox.pending_count() == 2);

  auto claimed = outbox.claim_due(t0, 10, std::chrono::seconds(30));
  REQUIRE(claimed.size() == 2);
  CHECK(claimed[0].idempotency_key == "m1");  // oldest first
  CHECK(claimed[1].idempotency_key == "m2");
  CHECK(claimed[0].stream_id == p.stream_id);
  REQUIRE(claimed[0].process);
  CHECK(*claimed[0].process == p);
  CHECK(claimed[0].step == "Send");
  CHECK(claimed[0].recipient == "4012345000023");
  CHECK(claimed[0].message_type == "UTILMD");
  CHECK(claimed[0].payload == mako::Json{{"k", "m1"}});
  CHECK(claimed[0].attempts == 0);
  CHECK(claimed[0].enqueued_at == t0);  // the commit's time, not the wall clock
  CHECK(claimed[0].status == mako::OutboxStatus::Pending);

  // Claimed messages are leased: invisible to other workers until the lease runs out.
  CHECK(outbox.claim_due(t0, 10, std::chrono::seconds(30)).empty());
  const auto first = outbox.claim_due(t0 + std::chrono::seconds(30), 1, std::chrono::seconds(30));  // limit
  REQUIRE(first.size() == 1);
  CHECK(first[0].idempotency_key == "m1");
  const auto second =
      outbox.claim_due(t0 + std::chrono::seconds(30), 10, std::chrono::seconds(30));  // only m1 was leased
  REQUIRE(second.size() == 1);
  CHECK(second[0].idempotency_key == "m2");
  CHECK(outbox.claim_due(t0 + std::chrono::seconds(59), 10).empty());
}

TEMPLATE_LIST_TEST_CASE("runtime contract: delivered, failed and dead-lettered outbox messages",
                        "[contract][runtime][outbox]", RuntimeContractStores) {
  TestType factory;
  auto f = factory.make();
  auto& outbox = *f.stores.outbox;
  const auto p = contract::new_process(mako::TenantId());
  const auto t0 = contract::at("2025-10-01T08:00:00Z");
  auto b = contract::process_commit(p, t0);
  b.messages = {contract::message("ok"), contract::message("flaky"), contract::message("doomed")};
  f.events->append(b);
  REQUIRE(outbox.claim_due(t0, 10).size() == 3);

  CHECK(outbox.mark_delivered("ok", t0));
  CHECK_FALSE(outbox.mark_delivered("ok", t0));  // no longer pending
  CHECK(outbox.find("ok")->status == mako::OutboxStatus::Delivered);
  CHECK(outbox.find("ok")->attempts == 1);

  const auto retry_at = t0 + std::chrono::minutes(5);
  CHECK(outbox.mark_failed("flaky", "connection refused", retry_at));
  auto flaky = outbox.find("flaky");
  REQUIRE(flaky);
  CHECK(flaky->attempts == 1);
  CHECK(flaky->last_error == "connection refused");
  CHECK(flaky->next_attempt_at == retry_at);

  CHECK(outbox.dead_letter("doomed", "gave up: recipient unknown", t0));
  CHECK(outbox.claim_due(retry_at - std::chrono::nanoseconds(1), 10).empty());  // not due before its time
  auto due = outbox.claim_due(retry_at, 10);
  REQUIRE(due.size() == 1);
  CHECK(due[0].idempotency_key == "flaky");
  CHECK(due[0].attempts == 1);

  CHECK_FALSE(outbox.mark_failed("doomed", "late", t0));
  auto dead = outbox.dead_letters();
  REQUIRE(dead.size() == 1);
  CHECK(dead[0].idempotency_key == "doomed");
  CHECK(dead[0].status == mako::OutboxStatus::DeadLettered);
  CHECK(dead[0].last_error == "gave up: recipient unknown");
  CHECK(dead[0].finished_at == t0);
  CHECK(outbox.pending_count() == 1);

  CHECK_FALSE(outbox.mark_delivered("unknown", t0));
  CHECK_FALSE(outbox.dead_letter("unknown", "x", t0));
  CHECK_FALSE(outbox.find("unknown"));
}

TEMPLATE_LIST_TEST_CASE(
    "runtime contract: deadlines come due soonest first, are claimed once, re-armed, released, cancelled",
    "[contract][runtime][deadlines]", RuntimeContractStores) {
  TestType factory;
  auto f = factory.make();
  auto& deadlines = *f.stores.deadlines;
  const auto p = contract::new_process(mako::TenantId());
  const auto t0 = contract::at("2025-10-01T08:00:00Z");
  using std::chrono::hours;
  CHECK_FALSE(deadlines.next_due());

  auto b = contract::process_commit(p, t0);
  b.deadlines = {mako::DeadlineRequest{"late", t0 + hours(3), mako::Json{{"type", "Late"}}},
                 mako::DeadlineRequest{"early", t0 + hours(1), mako::Json{{"type", "Early"}}},
                 mako::DeadlineRequest{"middle", t0 + hours(2), mako::Json{{"type", "Middle"}}}};
  f.events->append(b);

  CHECK(deadlines.next_due() == t0 + hours(1));
  CHECK(deadlines.due(t0, 10).empty());
  auto due = deadlines.due(t0 + hours(2), 10);
  REQUIRE(due.size() == 2);
  CHECK(due[0].name == "early");
  CHECK(due[1].name == "middle");
  CHECK(due[0].command == mako::Json{{"type", "Early"}});
  CHECK(due[0].stream_id == p.stream_id);
  REQUIRE(due[0].process);
  CHECK(*due[0].process == p);
  CHECK(deadlines.due(t0 + hours(5), 1).size() == 1);  // limit
  auto pending = deadlines.pending();
  REQUIRE(pending.size() == 3);
  CHECK(pending[2].name == "late");

  CHECK_FALSE(deadlines.claim(due[1].id, t0 + hours(1)));  // not due yet
  CHECK(deadlines.claim(due[0].id, t0 + hours(2)));
  CHECK_FALSE(deadlines.claim(due[0].id, t0 + hours(2)));  // at most once
  CHECK(deadlines.find(p.stream_id, "early")->status == mako::DeadlineStatus::Claimed);
  CHECK(deadlines.find(p.stream_id, "early")->fired_at == t0 + hours(2));
  CHECK(deadlines.mark_fired(due[0].id, mako::DeadlineStatus::Moot, "already answered"));
  CHECK_FALSE(deadlines.mark_fired(due[0].id, mako::DeadlineStatus::Fired, ""));
  auto early = deadlines.find(p.stream_id, "early");
  CHECK(early->status == mako::DeadlineStatus::Moot);
  CHECK(early->outcome == "already answered");
  CHECK(deadlines.next_due() == t0 + hours(2));

  CHECK(deadlines.claim(due[1].id, t0 + hours(2)));
  CHECK(deadlines.release(due[1].id));  // not executed: pending again
  CHECK(deadlines.find(p.stream_id, "middle")->status == mako::DeadlineStatus::Pending);
  CHECK(deadlines.claim(due[1].id, t0 + hours(2)));
  CHECK(deadlines.mark_fired(due[1].id, mako::DeadlineStatus::Fired, ""));

  // Scheduling a name again re-arms it with the new time and command.
  auto again = contract::process_commit(p, t0 + hours(3));
  again.deadlines = {mako::DeadlineRequest{"early", t0 + hours(9), mako::Json{{"type", "Again"}}}};
  f.events->append(again);
  auto rearmed = deadlines.find(p.stream_id, "early");
  CHECK(rearmed->status == mako::DeadlineStatus::Pending);
  CHECK(rearmed->due == t0 + hours(9));
  CHECK(rearmed->command == mako::Json{{"type", "Again"}});
  CHECK(rearmed->id == early->id);

  CHECK(deadlines.cancel(p.stream_id, "late"));
  CHECK_FALSE(deadlines.cancel(p.stream_id, "late"));
  CHECK_FALSE(deadlines.cancel(p.stream_id, "nope"));
  CHECK(deadlines.find(p.stream_id, "late")->status == mako::DeadlineStatus::Cancelled);
  REQUIRE(deadlines.pending().size() == 1);
  CHECK(deadlines.pending()[0].name == "early");
  CHECK_FALSE(deadlines.find(p.stream_id, "nope"));
}

TEMPLATE_LIST_TEST_CASE(
    "runtime contract: list() gives every deadline in any status with its creation time, filtered like the history",
    "[contract][runtime][deadlines]", RuntimeContractStores) {
  TestType factory;
  auto f = factory.make();
  auto& deadlines = *f.stores.deadlines;
  const auto tenant = mako::TenantId::from_party_id("9900123456789");
  const auto p = contract::new_process(tenant);
  const auto q = contract::new_process(tenant, "other");
  const auto r = contract::new_process(mako::TenantId::from_party_id("4012345000023"));
  const auto t0 = contract::at("2025-10-01T08:00:00Z");
  using std::chrono::hours;
  CHECK(deadlines.list({}).empty());

  const auto before = mako::system_now();
  auto b = contract::process_commit(p, t0);
  b.deadlines = {mako::DeadlineRequest{"fired", t0 + hours(1), mako::Json{{"type", "A"}}},
                 mako::DeadlineRequest{"moot", t0 + hours(2), mako::Json{{"type", "B"}}},
                 mako::DeadlineRequest{"cancelled", t0 + hours(3), mako::Json{{"type", "C"}}},
                 mako::DeadlineRequest{"claimed", t0 + hours(4), mako::Json{{"type", "D"}}},
                 mako::DeadlineRequest{"failed", t0 + hours(5), mako::Json{{"type", "E"}}},
                 mako::DeadlineRequest{"pending", t0 + hours(6), mako::Json{{"type", "F"}}}};
  f.events->append(b);
  auto bq = contract::process_commit(q, t0);
  bq.deadlines = {mako::DeadlineRequest{"pending", t0 + hours(1), mako::Json{{"type", "Q"}}}};
  f.events->append(bq);
  auto br = contract::process_commit(r, t0);
  br.deadlines = {mako::DeadlineRequest{"pending", t0 + hours(6), mako::Json{{"type", "R"}}}};
  f.events->append(br);
  const auto after = mako::system_now();

  const auto fire = [&](const char* name, mako::DeadlineStatus outcome, const std::string& note) {
    const auto item = deadlines.find(p.stream_id, name);
    REQUIRE(item);
    REQUIRE(deadlines.claim(item->id, t0 + hours(7)));
    if (outcome != mako::DeadlineStatus::Claimed) REQUIRE(deadlines.mark_fired(item->id, outcome, note));
  };
  fire("fired", mako::DeadlineStatus::Fired, "");
  fire("moot", mako::DeadlineStatus::Moot, "already answered");
  fire("claimed", mako::DeadlineStatus::Claimed, "");
  fire("failed", mako::DeadlineStatus::Failed, "no such workflow");
  REQUIRE(deadlines.cancel(p.stream_id, "cancelled"));

  // Everything, by due time; equal due times in scheduling order.
  const auto all = deadlines.list({});
  REQUIRE(all.size() == 8);
  std::vector<std::string> order;
  for (const auto& d : all)
    order.push_back(d.name + "@" + d.process->workflow_id.name() + "/" + d.process->process_id.to_string());
  const auto key = [](const char* name, const mako::ProcessIdentity& who) {
    return std::string(name) + "@" + who.workflow_id.name() + "/" + who.process_id.to_string();
  };
  CHECK(order == std::vector<std::string>{key("fired", p), key("pending", q), key("moot", p), key("cancelled", p),
                                          key("claimed", p), key("failed", p), key("pending", p), key("pending", r)});
  for (const auto& d : all) {
    CHECK(d.created_at >= before - std::chrono::seconds(1));  // the wall clock at the commit, not the events' time
    CHECK(d.created_at <= after + std::chrono::seconds(1));
    REQUIRE(d.process);
  }
  CHECK(all[0].status == mako::DeadlineStatus::Fired);
  CHECK(all[0].fired_at == t0 + hours(7));
  CHECK(all[0].command == mako::Json{{"type", "A"}});
  CHECK(*all[0].process == p);
  CHECK(all[2].status == mako::DeadlineStatus::Moot);
  CHECK(all[2].outcome == "already answered");
  CHECK(all[3].status == mako::DeadlineStatus::Cancelled);
  CHECK_FALSE(all[3].fired_at);
  CHECK(all[4].status == mako::DeadlineStatus::Claimed);
  CHECK(all[5].status == mako::DeadlineStatus::Failed);
  CHECK(all[5].outcome == "no such workflow");
  CHECK(all[6].status == mako::DeadlineStatus::Pending);
  CHECK(all[6].outcome.empty());
  CHECK(*all[7].process == r);

  const auto names = [&](const mako::DeadlineQuery& query) {
    std::vector<std::string> out;
    for (const auto& d : deadlines.list(query)) out.push_back(key(d.name.c_str(), *d.process));
    return out;
  };
  mako::DeadlineQuery by_tenant;
  by_tenant.tenants = {r.tenant_id};
  CHECK(names(by_tenant) == std::vector<std::string>{key("pending", r)});
  by_tenant.tenants = {r.tenant_id, tenant};
  CHECK(names(by_tenant).size() == 8);
  mako::DeadlineQuery by_workflow;
  by_workflow.workflows = {"other"};
  CHECK(names(by_workflow) == std::vector<std::string>{key("pending", q)});
  mako::DeadlineQuery by_process;
  by_process.processes = {q.process_id, r.process_id};
  CHECK(names(by_process) == std::vector<std::string>{key("pending", q), key("pending", r)});
  mako::DeadlineQuery by_name;
  by_name.names = {"moot", "failed"};
  CHECK(names(by_name) == std::vector<std::string>{key("moot", p), key("failed", p)});
  mako::DeadlineQuery window;  // [since, until) on due
  window.due_since = t0 + hours(2);
  window.due_until = t0 + hours(4);
  CHECK(names(window) == std::vector<std::string>{key("moot", p), key("cancelled", p)});
  mako::DeadlineQuery all_of;  // the fields together: AND
  all_of.tenants = {tenant};
  all_of.workflows = {"answering"};
  all_of.names = {"pending", "fired"};
  all_of.due_since = t0 + hours(2);
  CHECK(names(all_of) == std::vector<std::string>{key("pending", p)});
  mako::DeadlineQuery nobody;
  nobody.tenants = {mako::TenantId::from_party_id("9912345000005")};
  CHECK(names(nobody).empty());

  // A re-arm keeps the id and the creation time, and forgets the last outcome.
  const auto moot = deadlines.find(p.stream_id, "moot");
  auto again = contract::process_commit(p, t0 + hours(8));
  again.deadlines = {mako::DeadlineRequest{"moot", t0 + hours(9), mako::Json{{"type", "Again"}}}};
  f.events->append(again);
  mako::DeadlineQuery rearmed;
  rearmed.names = {"moot"};
  const auto listed = deadlines.list(rearmed);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].id == moot->id);
  CHECK(listed[0].created_at == moot->created_at);
  CHECK(listed[0].status == mako::DeadlineStatus::Pending);
  CHECK(listed[0].outcome.empty());
  CHECK_FALSE(listed[0].fired_at);
  CHECK(listed[0].due == t0 + hours(9));
}

TEMPLATE_LIST_TEST_CASE("runtime contract: racing claims fire each deadline exactly once",
                        "[contract][runtime][deadlines][concurrency]", RuntimeContractStores) {
  TestType factory;
  auto f = factory.make();
  const auto t0 = contract::at("2025-10-01T08:00:00Z");
  auto b = contract::process_commit(contract::new_process(mako::TenantId()), t0);
  for (int i = 0; i < 40; ++i)
    b.deadlines.push_back(
        mako::DeadlineRequest{"d" + std::to_string(i), t0 + std::chrono::seconds(i), mako::Json::object()});
  f.events->append(b);
  const auto due = f.stores.deadlines->due(t0 + std::chrono::hours(1), 100);
  REQUIRE(due.size() == 40);
  std::atomic<int> wins{0};
  std::vector<std::atomic<int>> per_deadline(due.size());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (std::size_t i = 0; i < due.size(); ++i)
        if (f.stores.deadlines->claim(due[i].id, t0 + std::chrono::hours(1))) {
          ++wins;
          ++per_deadline[i];
        }
    });
  for (auto& th : threads) th.join();
  CHECK(wins == 40);
  for (auto& n : per_deadline) CHECK(n == 1);
}

TEMPLATE_LIST_TEST_CASE("runtime contract: the registry is tenant-scoped, commits and register_key feed it",
                        "[contract][runtime][registry]", RuntimeContractStores) {
  TestType factory;
  auto f = factory.make();
  auto& registry = *f.stores.registry;
  const auto t0 = contract::at("2025-10-01T08:00:00Z");
  const auto tenant_a = mako::TenantId::from_party_id("9900123456789");
  const auto tenant_b = mako::TenantId::from_party_id("9900987654321");
  const auto pa = contract::new_process(tenant_a), pb = contract::new_process(tenant_b);
  for (const auto* p : {&pa, &pb}) {
    auto b = contract::process_commit(*p, t0);
    b.registrations = {mako::RegistryEntry{"malo", "41373559241"}, mako::RegistryEntry{"vorgang", "V1"}};
    f.events->append(b);
  }
  CHECK(registry.lookup(tenant_a, "malo", "41373559241") == pa);  // same key, two tenants, two processes
  CHECK(registry.lookup(tenant_b, "malo", "41373559241") == pb);
  CHECK_FALSE(registry.lookup(mako::TenantId(), "malo", "41373559241"));
  CHECK_FALSE(registry.lookup(tenant_a, "melo", "41373559241"));
  CHECK_FALSE(registry.lookup(tenant_a, "malo", "00000000000"));

  auto keys = registry.keys_of(pa.stream_id);
  std::sort(keys.begin(), keys.end(),
            [](auto& x, auto& y) { return std::tie(x.kind, x.key) < std::tie(y.kind, y.key); });
  REQUIRE(keys.size() == 2);
  CHECK(keys[0].kind == "malo");
  CHECK(keys[1].key == "V1");

  // Outside a command, also for a process that has not committed yet.
  const auto fresh = contract::new_process(tenant_a, "other");
  registry.register_key(fresh, mako::RegistryEntry{"vorgang", "V2"});
  registry.register_key(fresh, mako::RegistryEntry{"vorgang", "V2"});  // idempotent
  CHECK(registry.lookup(tenant_a, "vorgang", "V2") == fresh);
  CHECK(registry.keys_of(fresh.stream_id).size() == 1);
  CHECK(registry.keys_of(mako::StreamId("process/unknown")).empty());
  CHECK_THROWS_AS(registry.register_key(fresh, mako::RegistryEntry{"", "x"}), mako::EngineError);
  // Its first commit afterwards (a store that remembers streams between appends must notice the
  // one register_key created): a new stream at version 1, with the key still pointing at it.
  auto first = contract::process_commit(fresh, t0);
  first.expected = mako::ExpectedVersion::no_stream();
  CHECK(f.events->append(first) == 1);
  CHECK(f.events->stream_version(fresh.stream_id) == 1);
  CHECK(registry.lookup(tenant_a, "vorgang", "V2") == fresh);

  // A key registered again by a later process (a new switch for the same malo) finds the later one.
  const auto later = contract::new_process(tenant_a, "later");
  auto relabel = contract::process_commit(later, t0 + std::chrono::minutes(1));
  relabel.registrations = {mako::RegistryEntry{"malo", "41373559241"}};
  f.events->append(relabel);
  CHECK(registry.lookup(tenant_a, "malo", "41373559241") == later);
  CHECK(registry.lookup(tenant_b, "malo", "41373559241") == pb);

  // A registration without an event to take the tenant from is refused, and nothing is written.
  mako::CommitBatch orphan{mako::StreamId("process/none"),    mako::ExpectedVersion::any(), {}, {}, {},
                           {mako::RegistryEntry{"malo", "1"}}};
  CHECK_THROWS_AS(f.events->append(orphan), mako::EngineError);
}

TEMPLATE_LIST_TEST_CASE("runtime contract: list() gives every registry entry with its process and time, filtered",
                        "[contract][runtime][registry]", RuntimeContractStores) {
  TestType factory;
  auto f = factory.make();
  auto& registry = *f.stores.registry;
  const auto t0 = contract::at("2025-10-01T08:00:00Z");
  const auto tenant_a = mako::TenantId::from_party_id("9900123456789");
  const auto tenant_b = mako::TenantId::from_party_id("9900987654321");
  const auto pa = contract::new_process(tenant_a), pb = contract::new_process(tenant_b);
  const auto fresh = contract::new_process(tenant_a, "other");
  CHECK(registry.list({}).empty());

  const auto before = mako::system_now();
  auto a = contract::process_commit(pa, t0);
  a.registrations = {mako::RegistryEntry{"vorgang", "V1"}, mako::RegistryEntry{"malo", "41373559241"}};
  f.events->append(a);
  auto b = contract::process_commit(pb, t0);
  b.registrations = {mako::RegistryEntry{"malo", "41373559241"}};
  f.events->append(b);
  registry.register_key(fresh, mako::RegistryEntry{"vorgang", "V2"});  // outside a command, before any event
  registry.register_key(fresh, mako::RegistryEntry{"vorgang", "V2"});  // again: nothing new
  const auto after = mako::system_now();

  const auto text = [](const std::vector<mako::RegisteredKey>& rows) {
    std::vector<std::string> out;
    for (const auto& r : rows) out.push_back(r.stream_id.str() + " " + r.entry.kind + "=" + r.entry.key);
    return out;
  };
  const auto all = registry.list({});
  // By registration time; one commit's entries by kind, then key.
  CHECK(text(all) ==
        std::vector<std::string>{pa.stream_id.str() + " malo=41373559241", pa.stream_id.str() + " vorgang=V1",
                                 pb.stream_id.str() + " malo=41373559241", fresh.stream_id.str() + " vorgang=V2"});
  REQUIRE(all.size() == 4);
  for (const auto& r : all) {
    CHECK(r.created_at >= before - std::chrono::seconds(1));  // the wall clock, not the events' time
    CHECK(r.created_at <= after + std::chrono::seconds(1));
    REQUIRE(r.process);
    CHECK(r.process->stream_id == r.stream_id);
  }
  CHECK(all[0].created_at == all[1].created_at);  // one commit
  CHECK(all[1].created_at <= all[2].created_at);
  CHECK(*all[0].process == pa);
  CHECK(*all[2].process == pb);
  CHECK(*all[3].process == fresh);

  mako::RegistryQuery by_tenant;
  by_tenant.tenants = {tenant_b};
  CHECK(text(registry.list(by_tenant)) == std::vector<std::string>{pb.stream_id.str() + " malo=41373559241"});
  by_tenant.tenants = {tenant_a};
  CHECK(registry.list(by_tenant).size() == 3);
  mako::RegistryQuery by_process;
  by_process.processes = {fresh.process_id, pb.process_id};
  CHECK(text(registry.list(by_process)) ==
        std::vector<std::string>{pb.stream_id.str() + " malo=41373559241", fresh.stream_id.str() + " vorgang=V2"});
  by_process.tenants = {tenant_a};  // and
  CHECK(text(registry.list(by_process)) == std::vector<std::string>{fresh.stream_id.str() + " vorgang=V2"});
  mako::RegistryQuery nobody;
  nobody.processes = {mako::ProcessId::generate()};
  CHECK(registry.list(nobody).empty());
}

TEMPLATE_LIST_TEST_CASE("runtime contract: the inbox records a key once per tenant, atomically",
                        "[contract][runtime][inbox]", RuntimeContractStores) {
  TestType factory;
  auto f = factory.make();
  auto& inbox = *f.stores.inbox;
  const auto t0 = contract::at("2025-10-01T08:00:00Z");
  const auto a = mako::TenantId::from_party_id("9900123456789"), b = mako::TenantId::from_party_id("9900987654321");
  CHECK_FALSE(inbox.contains(a, "UNB-1"));
  CHECK(inbox.record_if_new(a, "UNB-1", t0));
  CHECK_FALSE(inbox.record_if_new(a, "UNB-1", t0));  // the duplicate
  CHECK(inbox.contains(a, "UNB-1"));
  CHECK(inbox.record_if_new(b, "UNB-1", t0));  // another tenant's message
  CHECK_FALSE(inbox.contains(b, "UNB-2"));

  std::atomic<int> firsts{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i) firsts += inbox.record_if_new(a, "race-" + std::to_string(i), t0);
    });
  for (auto& th : threads) th.join();
  CHECK(firsts == 25);
}

TEMPLATE_LIST_TEST_CASE("runtime contract: dead letters keep reason, raw payload and time, checkpoints",
                        "[contract][runtime][dead-letters][checkpoints]", RuntimeContractStores) {
  TestType factory;
  auto f = factory.make();
  auto& sink = *f.stores.dead_letters;
  const auto t0 = contract::at("2025-10-01T08:00:00Z");
  CHECK(sink.count() == 0);
  const std::string raw = std::string("UNA:+.? 'UNB+UNOC:3+M\xE4ller'") + '\0' + "tail";  // Latin-1 and a NUL byte
  auto id1 = sink.put(mako::DeadLetter{0, mako::TenantId::from_party_id("9900123456789"), "router", "55001",
                                       "unknown route key", raw, t0});
  auto id2 =
      sink.put(mako::DeadLetter{0, std::nullopt, "router", "", "no route key", "x", t0 + std::chrono::seconds(1)});
  CHECK(id1 != id2);
  CHECK(sink.count() == 2);
  auto letters = sink.list();
  REQUIRE(letters.size() == 2);
  CHECK(letters[0].id == id1);
  CHECK(letters[0].tenant == mako::TenantId::from_party_id("9900123456789"));
  CHECK(letters[0].source == "router");
  CHECK(letters[0].route_key == "55001");
  CHECK(letters[0].reason == "unknown route key");
  CHECK(letters[0].payload == raw);
  CHECK(letters[0].at == t0);
  CHECK_FALSE(letters[1].tenant);
  CHECK(sink.list(1).size() == 1);

  auto& checkpoints = *f.stores.checkpoints;
  CHECK(checkpoints.load("billing") == 0);
  checkpoints.save("billing", 42);
  checkpoints.save("audit", 7);
  CHECK(checkpoints.load("billing") == 42);
  checkpoints.save("billing", 43);
  CHECK(checkpoints.load("billing") == 43);
  CHECK(checkpoints.load("audit") == 7);
}

TEMPLATE_LIST_TEST_CASE("runtime contract: a unit of work sees its own writes and commits them together",
                        "[contract][runtime][unit]", RuntimeContractStores) {
  TestType factory;
  auto f = factory.make();
  const auto tenant = mako::TenantId::from_party_id("9900000000003");
  const auto p = contract::new_process(tenant);
  {
    auto unit = f.events->begin_work_unit();
    auto b = contract::process_commit(p, contract::at("2026-03-02T08:00:00Z"));
    b.messages.push_back(contract::message("unit-1"));
    b.registrations.push_back(mako::RegistryEntry{"vorgang", "V-1"});
    f.events->append(b);
    CHECK(f.stores.inbox->record_if_new(tenant, "S/1", contract::at("2026-03-02T08:00:00Z")));
    CHECK_FALSE(f.stores.inbox->record_if_new(tenant, "S/1", contract::at("2026-03-02T08:00:00Z")));
    // Reads by the unit's thread see its writes before the commit.
    CHECK(f.events->stream_version(p.stream_id) == 1);
    CHECK(f.events->load(p.stream_id).size() == 1);
    CHECK(f.stores.registry->lookup(tenant, "vorgang", "V-1") == p);
    CHECK(f.stores.inbox->contains(tenant, "S/1"));
    // A refused write inside the unit leaves the unit usable.
    auto stale = contract::process_commit(p, contract::at("2026-03-02T08:00:01Z"));
    stale.expected = mako::ExpectedVersion::no_stream();
    CHECK_THROWS_AS(f.events->append(stale), mako::EngineError);
    auto next = contract::process_commit(p, contract::at("2026-03-02T08:00:02Z"));
    next.expected = mako::ExpectedVersion::exact(1);
    CHECK(f.events->append(next) == 2);
    unit->commit();
  }
  CHECK(f.events->stream_version(p.stream_id) == 2);
  CHECK(f.stores.inbox->contains(tenant, "S/1"));
  const auto claimed = f.stores.outbox->claim_due(contract::at("2026-03-02T09:00:00Z"), 10);
  REQUIRE(claimed.size() == 1);
  CHECK(claimed[0].idempotency_key == "unit-1");
  // Nested units are allowed and commit with the outer one.
  {
    auto outer = f.events->begin_work_unit();
    {
      auto inner = f.events->begin_work_unit();
      CHECK(f.stores.inbox->record_if_new(tenant, "S/2", contract::at("2026-03-02T08:00:00Z")));
      inner->commit();
    }
    outer->commit();
  }
  CHECK(f.stores.inbox->contains(tenant, "S/2"));
}
