#pragma once
// A two-engine market for tests: LF engine (LFN + one LFA) and NB engine on in-memory stores and
// one settable clock, connected by InMemoryTransports; settle() shuttles files until nothing moves,
// run_deadlines_until() jumps the clock from deadline to deadline.
#include <catch2/catch.hpp>

#include <functional>
#include <memory>

#include "anmeldung_data.hpp"
#include "mako/core/engine.hpp"
#include "mako/core/workflow_registry.hpp"
#include "mako/domain/calendar/berlin_time.hpp"
#include "mako/domain/edifact/corpus.hpp"
#include "mako/domain/gpke/register_workflows.hpp"
#include "mako/domain/market/directory_courier.hpp"
#include "mako/domain/market/file_name.hpp"
#include "mako/domain/market/in_memory_transport.hpp"
#include "mako/domain/market/market_participant.hpp"

namespace market_test {

using namespace mako;
using namespace mako::market;
using calendar::Instant;
using calendar::make_date;

inline const std::string kNb = edifact::corpus::kNb;
inline const std::string kLfn = edifact::corpus::kLfn;
inline const std::string kLfa = edifact::corpus::kLfa;

inline Instant berlin(int y, unsigned m, unsigned d, int hour, int minute = 0) {
  return calendar::berlin_time_on(make_date(y, m, d), hour, minute);
}
inline std::string iso(Instant t) { return calendar::format_utc(t); }

struct Market {
  std::shared_ptr<Timestamp> now = std::make_shared<Timestamp>();
  WorkflowRegistry workflows;
  EngineContext lf, nb;
  std::shared_ptr<InMemoryTransport> lf_wire = std::make_shared<InMemoryTransport>();
  std::shared_ptr<InMemoryTransport> nb_wire = std::make_shared<InMemoryTransport>();
  std::shared_ptr<InMemoryNbMasterData> master_data = std::make_shared<InMemoryNbMasterData>();
  std::shared_ptr<NbSupplyProjection> supply = std::make_shared<NbSupplyProjection>(master_data);
  std::unique_ptr<MarketParticipant> lf_party, nb_party;
  CourierTamper tamper;           // applied to every file in flight
  std::vector<SentFile> traffic;  // everything that was sent, in order

  // `positive_aperak`: the NB sends APERAK 312 for every transaction its process accepts.
  explicit Market(bool positive_aperak = false)
      : lf(EngineBuilder().with_clock([n = now] { return *n; }).build()),
        nb(EngineBuilder().with_clock([n = now] { return *n; }).build()) {
    gpke::register_workflows(workflows);
    lf_party = std::make_unique<MarketParticipant>("lf", lf, workflows, lf_wire,
                                                   InboundPipelineOptions{{kLfn, kLfa}, lf_routes(), nullptr});
    InboundPipelineOptions nb_options{{kNb}, nb_routes(), master_data};
    nb_options.supply_projection = supply;
    nb_options.send_positive_aperak = positive_aperak;
    nb_party = std::make_unique<MarketParticipant>("nb", nb, workflows, nb_wire, nb_options);
  }

  void set_now(Instant t) { *now = Timestamp(t); }

  std::size_t shuttle(InMemoryTransport& from, InMemoryTransport& to) {
    auto files = from.take_sent();
    for (auto& f : files) {
      traffic.push_back(f);
      const auto parts = parse_market_file_name(f.name);
      REQUIRE(parts);
      const auto action = tamper ? tamper(*parts, f.bytes) : CourierAction::Deliver;
      if (action == CourierAction::Drop) continue;
      if (action == CourierAction::Corrupt) f.bytes = corrupt_segment_count(f.bytes);
      to.drop_inbound(parts->sender, f.name, f.bytes);
      if (action == CourierAction::Duplicate) to.drop_inbound(parts->sender, f.name + ".resent", f.bytes);
    }
    return files.size();
  }

  // Everything that follows at the current instant.
  void settle() {
    for (int round = 0; round < 50; ++round) {
      std::size_t work = lf_party->pump(*now).total() + nb_party->pump(*now).total();
      work += shuttle(*lf_wire, *nb_wire) + shuttle(*nb_wire, *lf_wire);
      if (work == 0) return;
    }
    FAIL("market did not settle");
  }

  // Jumps from deadline to deadline (settling after each) while the next one is <= `until`.
  void run_deadlines_until(Instant until) {
    for (;;) {
      std::optional<Timestamp> next = lf_party->next_deadline();
      const auto nb_next = nb_party->next_deadline();
      if (nb_next && (!next || *nb_next < *next)) next = nb_next;
      if (!next || *next > Timestamp(until)) break;
      if (*next > *now) *now = *next;
      settle();
    }
    if (Timestamp(until) > *now) *now = Timestamp(until);
    settle();
  }

  Process<gpke::LfnLieferbeginn> start_switch(const std::string& malo, calendar::Date start, Instant sent_at,
                                              const std::string& reference, bool send_late = false) {
    set_now(sent_at);
    auto lfn = lf.spawn<gpke::LfnLieferbeginn>(TenantId::from_party_id(kLfn),
                                               WorkflowId(gpke::workflow_names::kLieferbeginnLfn, "FV2025-10-01"));
    gpke::StartSwitch cmd{malo, start, "E03", kNb, kLfn, sent_at, reference, send_late};
    cmd.customer = market_test::test_customer();
    lfn.execute(std::move(cmd));
    settle();
    return lfn;
  }

  void lfa_answers(const std::string& malo, bool accept, Instant at) {
    set_now(at);
    const auto id = lf.registry()->lookup(TenantId::from_party_id(kLfa), "malo", malo);
    REQUIRE(id);
    lf.resume<gpke::Beantwortung>(*id, gpke::lieferende_lfa()).execute(gpke::Answer{accept, std::nullopt, at});
    settle();
  }

  std::optional<Process<gpke::NbLieferbeginn>> nb_process(const std::string& malo) const {
    const auto id = nb.registry()->lookup(TenantId::from_party_id(kNb), "malo", malo);
    if (!id) return std::nullopt;
    return nb.resume<gpke::NbLieferbeginn>(*id);
  }

  std::size_t sent_of_kind(const std::string& kind) const {
    std::size_t n = 0;
    for (const auto& f : traffic)
      if (parse_market_file_name(f.name)->kind == kind) ++n;
    return n;
  }
};

}  // namespace market_test
