// The runtime stores on PostgreSQL beyond the shared contract: a stream that carried only messages
// before its first event, and claims and inbox marks that roll back with their unit of work.
#include <catch2/catch.hpp>

#include "contract/runtime_fixture.hpp"
#include "postgres/pg_test_server.hpp"

using namespace mako;
using namespace std::chrono_literals;

namespace {
const TenantId tenant = TenantId::from_party_id("9900000000003");
const Timestamp t0 = contract::at("2026-03-02T08:00:00Z");
}  // namespace

TEST_CASE("postgres runtime: a stream that carried only messages takes its first event's identity",
          "[postgres][runtime][outbox]") {
  auto store = pg_test::fresh_store("messages_first");
  const auto p = contract::new_process(tenant);
  CommitBatch only_messages{p.stream_id, ExpectedVersion::no_stream(), {}, {contract::message("early")}, {}, {}};
  CHECK(store->append(only_messages) == 0);
  auto early = store->outbox()->find("early");
  REQUIRE(early);
  CHECK_FALSE(early->process);  // no event yet: no identity to give
  // A message without a key needs the process to derive one from.
  CommitBatch keyless{p.stream_id, ExpectedVersion::any(), {}, {contract::message("")}, {}, {}};
  CHECK_THROWS_AS(store->append(keyless), EngineError);

  auto first = contract::process_commit(p, t0);
  first.expected = ExpectedVersion::no_stream();  // a stream without events is at version 0
  CHECK(store->append(first) == 1);
  early = store->outbox()->find("early");
  REQUIRE(early->process);
  CHECK(*early->process == p);
  CHECK(store->load(p.stream_id).at(0).tenant_id == tenant);
}

TEST_CASE("postgres runtime: an inbox mark and an outbox claim inside a unit of work roll back with it",
          "[postgres][runtime][unit]") {
  auto store = pg_test::fresh_store("unit_rollback");
  auto inbox = store->inbox();
  auto outbox = store->outbox();
  auto b = contract::process_commit(contract::new_process(tenant), t0);
  b.messages.push_back(contract::message("m"));
  store->append(b);
  {
    auto unit = store->begin_work_unit();
    CHECK(inbox->record_if_new(tenant, "UNB-1", t0));
    CHECK(outbox->claim_due(t0, 10).size() == 1);
    CHECK(outbox->claim_due(t0, 10).empty());  // the unit sees its own lease
  }  // no commit: rolled back
  CHECK_FALSE(inbox->contains(tenant, "UNB-1"));
  CHECK(outbox->claim_due(t0, 10).size() == 1);  // the lease went with the unit
  {
    auto unit = store->begin_work_unit();
    CHECK(inbox->record_if_new(tenant, "UNB-1", t0));
    unit->commit();
  }
  CHECK_FALSE(inbox->record_if_new(tenant, "UNB-1", t0));
}
