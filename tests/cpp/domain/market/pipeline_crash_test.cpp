// A crash in the middle of a received file loses nothing and runs nothing twice: the NB engine
// (on SQLite) is SIGKILLed while executing the second of two transactions of one file. After the
// kill the file's inbox key, its first command's events and outbox messages are all absent, so the
// file, received again, runs completely -- and a third delivery is a duplicate.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include "../../sqlite/killing_event_store.hpp"
#include "../../sqlite/test_paths.hpp"
#include "anmeldung_data.hpp"
#include "mako/core/engine.hpp"
#include "mako/core/workflow_registry.hpp"
#include "mako/domain/calendar/berlin_time.hpp"
#include "mako/domain/edifact/corpus.hpp"
#include "mako/domain/edifact/writer.hpp"
#include "mako/domain/gpke/outbound_utilmd.hpp"
#include "mako/domain/gpke/register_workflows.hpp"
#include "mako/domain/market/in_memory_transport.hpp"
#include "mako/domain/market/inbound_pipeline.hpp"
#include "mako/sqlite/sqlite_store.hpp"

using namespace mako;
using namespace mako::market;

namespace {

const std::string kNb = edifact::corpus::kNb;
const std::string kLfn = edifact::corpus::kLfn;

// One interchange, two UTILMD 55001 (two MaLos), LFN -> NB.
InboundFile two_anmeldungen() {
  const auto sent = calendar::berlin_time_on(calendar::make_date(2026, 3, 16), 10, 0);
  auto message = [&](const char* ref, const char* malo) {
    gpke::OutboundUtilmd p;
    p.vorgang = market_test::complete_anmeldung(ref, malo, calendar::make_date(2026, 4, 1), kLfn, kNb);
    p.sent_at = sent;
    return p;
  };
  auto ic = gpke::render_utilmd_interchange(Json(message("VGCRASH1", edifact::corpus::kMaloA)), "CRASHIC", "1");
  auto second = gpke::render_utilmd_interchange(Json(message("VGCRASH2", edifact::corpus::kMaloB)), "CRASHIC", "2");
  ic.messages.push_back(second.messages.at(0));
  return InboundFile{kLfn, "crash.edi", edifact::write(ic), "1"};
}

struct NbSide {
  WorkflowRegistry workflows;
  std::shared_ptr<sqlite::SqliteStore> store;
  EngineContext engine;
  std::unique_ptr<InboundPipeline> pipeline;

  NbSide(const std::string& path, int kill_at)
      : store(sqlite::SqliteStore::open(path)),
        engine(
            EngineBuilder()
                .with_event_store(kill_at ? std::shared_ptr<EventStore>(
                                                std::make_shared<sqlite_test::KillingEventStore>(store, kill_at))
                                          : std::shared_ptr<EventStore>(store))
                .with_runtime_stores(store->runtime_stores())
                .with_clock([] { return Timestamp(calendar::berlin_time_on(calendar::make_date(2026, 3, 16), 10, 5)); })
                .build()) {
    gpke::register_workflows(workflows);
    auto master = std::make_shared<InMemoryNbMasterData>();
    master->add_malo(edifact::corpus::kMaloA);
    master->add_malo(edifact::corpus::kMaloB);
    pipeline = std::make_unique<InboundPipeline>(engine, workflows, std::make_shared<InMemoryTransport>(),
                                                 InboundPipelineOptions{{kNb}, nb_routes(), master});
  }
};

}  // namespace

TEST_CASE("a crash in the middle of a file leaves no trace of it, received again it runs once",
          "[market][pipeline][inbox][crash]") {
  const auto path = sqlite_test::fresh_db("pipeline-crash");
  const auto file = two_anmeldungen();

  const pid_t child = ::fork();
  REQUIRE(child >= 0);
  if (child == 0) {
    NbSide nb(path, /*kill_at=*/2);  // the second transaction's append
    nb.pipeline->receive(file);
    ::_exit(3);  // not killed: the test fails below
  }
  int status = 0;
  REQUIRE(::waitpid(child, &status, 0) == child);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);

  NbSide nb(path, 0);
  CHECK(nb.store->integrity_check() == "ok");
  const auto tenant = TenantId::from_party_id(kNb);
  CHECK_FALSE(nb.engine.inbox()->contains(tenant, kLfn + "/CRASHIC"));
  CHECK(nb.store->head_position() == 0);  // the first transaction's events went with the crash
  CHECK(nb.engine.outbox()
            ->claim_due(Timestamp(calendar::berlin_time_on(calendar::make_date(2026, 4, 1), 0, 0)), 10)
            .empty());

  const auto receipt = nb.pipeline->receive(file);
  CHECK(receipt.outcome == FileOutcome::Accepted);
  REQUIRE(receipt.transactions.size() == 2);
  CHECK(receipt.transactions[0].kind == TransactionResult::Kind::Executed);
  CHECK(receipt.transactions[1].kind == TransactionResult::Kind::Executed);
  CHECK(nb.engine.inbox()->contains(tenant, kLfn + "/CRASHIC"));
  const auto events = nb.store->head_position();
  CHECK(events > 0);

  CHECK(nb.pipeline->receive(file).outcome == FileOutcome::Duplicate);
  CHECK(nb.store->head_position() == events);
}
