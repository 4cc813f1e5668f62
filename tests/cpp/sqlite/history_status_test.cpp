// HistoryReader::processes: a process's status is what its workflow says of the folded state
// (WorkflowRuntime::status), never its last event type; "unknown" when the workflow is not known
// or defines no status.
#include <catch2/catch.hpp>

#include <map>

#include <mako/core/engine.hpp>
#include <mako/sqlite/event_columns.hpp>
#include <mako/sqlite/sqlite_store.hpp>

#include <mako/core/lifecycle_workflow.hpp>
#include "counter_workflow.hpp"
#include "sqlite/test_paths.hpp"

using namespace mako;

namespace {

// stream id -> status of a processes() table.
std::map<std::string, std::string> statuses(const sqlite::ColumnTable& t) {
  const auto& streams = std::get<sqlite::TextColumn>(t.find("stream_id")->values);
  const auto& status = std::get<sqlite::CategoryColumn>(t.find("status")->values);
  std::map<std::string, std::string> out;
  for (std::size_t i = 0; i < t.rows; ++i)
    out[streams.data.substr(streams.offsets[i], streams.offsets[i + 1] - streams.offsets[i])] =
        status.categories[status.codes[i]];
  return out;
}

}  // namespace

TEST_CASE("history reader: the status comes from the workflow, folded once per process", "[sqlite][history]") {
  const auto path = sqlite_test::fresh_db("status");
  const auto tenant = TenantId::from_party_id("9900123456789");
  std::string active, inactive, counted;
  {
    auto store = sqlite::SqliteStore::open(path);
    auto ctx = EngineBuilder().with_event_store(store).build();
    auto a = ctx.spawn<lifecycle::Workflow>(tenant, WorkflowId("lifecycle", "FV2025-10-01"));
    a.execute(lifecycle::Register{"MaLo 1"});
    a.execute(lifecycle::Activate{});
    auto b = ctx.spawn<lifecycle::Workflow>(tenant, WorkflowId("lifecycle", "FV2025-10-01"));
    b.execute(lifecycle::Register{"MaLo 2"});
    b.execute(lifecycle::Activate{});
    b.execute(lifecycle::Deactivate{});
    auto c = ctx.spawn<counter::Workflow>(tenant, WorkflowId("counter", "FV2025-10-01"));
    c.execute(counter::Command{2});
    CHECK(a.status() == "Active");
    CHECK(b.status() == "Inactive");
    CHECK_FALSE(c.status().has_value());  // counter defines no status
    active = a.stream_id().str();
    inactive = b.stream_id().str();
    counted = c.stream_id().str();
  }
  sqlite::HistoryReader reader(path);
  int lookups = 0;
  const sqlite::WorkflowLookup known = [&](const std::string& name) -> std::shared_ptr<const WorkflowRuntime> {
    ++lookups;
    if (name == "lifecycle") return std::make_shared<const TypedWorkflowRuntime<lifecycle::Workflow>>();
    if (name == "counter") return std::make_shared<const TypedWorkflowRuntime<counter::Workflow>>();
    return nullptr;
  };
  auto by_stream = statuses(reader.processes({}, known));
  CHECK(by_stream[active] == "Active");
  CHECK(by_stream[inactive] == "Inactive");
  CHECK(by_stream[counted] == sqlite::kUnknownStatus);
  CHECK(lookups == 2);  // once per workflow name, not per process

  // Without the workflows nothing is guessed.
  for (const auto& [stream, status] : statuses(reader.processes({}))) CHECK(status == sqlite::kUnknownStatus);

  // The status filter applies to the workflow's status.
  sqlite::HistoryFilter only_inactive;
  only_inactive.event_types = {"Inactive"};
  auto filtered = statuses(reader.processes(only_inactive, known));
  REQUIRE(filtered.size() == 1);
  CHECK(filtered.begin()->first == inactive);
}
