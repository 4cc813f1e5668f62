#pragma once
// LF <-> NB market simulation: two engines exchanging real EDIFACT files through DirectoryTransports
// and a DirectoryCourier, over weeks of simulated time (weekends, BDEW holidays, DST), on one
// injectable clock that jumps to the next thing that happens (a planned action or a deadline).
//
// Parties: the NB engine (one MP-ID) and the LF engine, which acts as the new supplier (LFN) and as
// `old_suppliers` old suppliers (LFA), each with its own MP-ID and tenant. Every customer is one
// supplier switch (55001, E03) to a MaLo of its own, with a scenario drawn from `mix` by the seed:
//   no_lfa            MaLo without supplier: NB assigns directly                 -> confirmed
//   lfa_consents      LFA answers 55011 before 09:00 of the 1st WT               -> confirmed
//   lfa_silent        LFA never answers: silence is consent at 09:00             -> confirmed
//   lfa_late          LFA answers 55012 after 09:00: ignored                      -> confirmed
//   lfa_rejects       LFA answers 55012 before 09:00                              -> rejected
//   lead_time_missed  LFN sends too late for the start date (send_late)            -> rejected
//   duplicate_file    as no_lfa, the 55001 file arrives twice (inbox duplicate)    -> confirmed
//   malformed_file    the 55001 file is corrupted in transit: CONTRL 4, never
//                     received; the LFN's 11:00 watchdog records the missed answer -> unanswered
//   unknown_pid       the LFN sends a 55016 to the NB (no NB route): dead letter +
//                     APERAK 313                                                   -> dead_lettered
//   nb_late           as no_lfa, but the 55001 waits in the NB's backlog until after 11:00 of the
//                     1st WT: the NB confirms late (55002 missed; the LFN's watchdog
//                     fires, the late 55002 is still taken)                        -> confirmed
//   nb_late_rejects   as lead_time_missed, and the NB works it off its backlog after 11:00: the
//                     55003 is late as well                                         -> rejected
// A file in the NB's backlog keeps its arrival as the Übertragungszeitpunkt (InboundFile::arrived_at);
// the NB decides when it works it off (decided_at).
// Deterministic from the seed: same seed, same files, same histories (ids aside).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mako/core/engine.hpp"
#include "mako/domain/calendar/berlin_time.hpp"
#include "mako/domain/edifact/utilmd.hpp"
#include "mako/domain/market/directory_transport.hpp"
#include "mako/domain/market/history_summary.hpp"
#include "mako/domain/market/inbound_pipeline.hpp"
#include "mako/domain/market/market_participant.hpp"

namespace mako::market {

enum class Scenario {
  NoLfa,
  LfaConsents,
  LfaSilent,
  LfaLate,
  LfaRejects,
  LeadTimeMissed,
  DuplicateFile,
  MalformedFile,
  UnknownPid,
  NbLate,
  NbLateRejects
};
inline constexpr int kScenarioCount = 11;
const char* to_string(Scenario s);
// "confirmed", "rejected", "unanswered" or "dead_lettered": what the LFN should end up with.
const char* expected_outcome(Scenario s);

struct SimulationConfig {
  std::size_t customers = 200;
  std::uint64_t seed = 42;
  calendar::Date first_day = calendar::make_date(2026, 3, 16);  // covers DST (03-29) and Easter (04-03..04-06)
  calendar::Date last_day = calendar::make_date(2026, 4, 30);   // last day an Anmeldung is sent
  std::size_t old_suppliers = 3;
  // Relative weights, indexed by Scenario.
  std::vector<unsigned> mix = {15, 35, 15, 8, 10, 7, 4, 4, 2, 5, 3};
  std::filesystem::path exchange_dir;  // DirectoryTransport roots: <dir>/lf, <dir>/nb
  // Folders (the embedded default) or InMemoryTransports (the same EDIFACT bytes without the file
  // system: benchmarks separate engine cost from disk cost with it; exchange_dir is then unused).
  enum class Wire { Directory, InMemory };
  Wire wire = Wire::Directory;
  // The exchange folders are the simulated network, recreated on every run: its files are not
  // fsynced (FileSync::Durable would make every send wait for the disk, ~100x slower).
  FileSync file_sync = FileSync::None;
  // Simulated instants one unit of work spans, per engine. 1: what both parties do at an instant
  // commits before the clock moves on. N > 1: group commit, one commit (one fsync when durable)
  // per N instants -- the batching a loaded engine does when files queue up. Either way files are
  // settled only after the commit that covers them, so a crash loses none: they are received
  // again. Outcomes do not depend on N.
  std::size_t instants_per_unit = 1;
  // Engine instances per market participant, all on the participant's one store and running at
  // once (one thread each, as separate processes would): the driver's commands go to the instances
  // in turn (by customer), each inbound file to one instance (by its interchange: a resent copy to
  // the instance that had the first), and the outbox and the deadlines are shared through the
  // store's claims (outbox claim_due, deadline claim). Each pump round is then its own unit of work
  // per instance (instants_per_unit must stay 1: a unit held over an instant would hold the rows
  // of the streams it wrote, and the store's log horizon, against the other instances). More than 1 needs a store that
  // instances can share (PostgreSQL: make_engine is called `instances` times per party and must open the same store
  // each time, with its own connections). Outcomes do not depend on it.
  std::size_t instances = 1;
  // Each pump round its own unit of work per instance, as with several instances, also with one
  // (on its own thread per party): what the commits alone cost, apart from the sharing.
  bool unit_per_round = false;
  std::string nb = "9900467000000";
  std::string lfn = "9904590000002";
};

struct CustomerCase {
  std::size_t index = 0;
  Scenario scenario = Scenario::NoLfa;
  std::string malo;
  std::string lfa;        // empty: none assigned
  std::string reference;  // Vorgangsnummer of the 55001
  calendar::Instant sent_at{};
  calendar::Date start;
  calendar::Instant lfa_decides_at{};            // lfa_consents / lfa_rejects / lfa_late
  std::optional<calendar::Instant> nb_works_at;  // nb_late / nb_late_rejects: the NB takes the 55001 off its backlog
  edifact::UtilmdParty customer;                 // name and address the 55001 carries (AHB: NAD+Z09, NAD+Z04)
};

// The customers and what happens to each, from the seed.
std::vector<CustomerCase> plan_customers(const SimulationConfig& config);

struct SimulationReport {
  std::map<std::string, std::size_t> scenarios;          // customers per scenario
  std::map<std::string, std::size_t> expected_outcomes;  // LFN outcomes the scenarios dictate
  HistorySummary lf;                                     // from the LF engine's history
  HistorySummary nb;                                     // from the NB engine's history
  std::map<std::string, std::size_t> traffic;            // files moved, by kind ("UTILMD55001", "CONTRL", ...)
  PipelineStats lf_pipeline;
  PipelineStats nb_pipeline;
  std::size_t lf_dead_letters = 0;
  std::size_t nb_dead_letters = 0;
  std::size_t files_corrupted = 0;
  std::size_t files_duplicated = 0;
  std::size_t actions_skipped = 0;  // planned LFA answers whose process did not exist
  calendar::Instant simulated_from{};
  calendar::Instant simulated_to{};
  std::size_t clock_steps = 0;
  // Per engine; with instances > 1 or unit_per_round: pump rounds, each a unit of work per instance.
  std::size_t units_committed = 0;
  std::size_t instances = 1;    // per participant
  bool unit_per_round = false;  // SimulationConfig::unit_per_round, or instances > 1
  // What each instance's pumps did (deadlines fired, files received, messages sent), summed over
  // the run, instance 0 first: with several instances, who did which share of the work.
  std::vector<PumpReport> lf_instances, nb_instances;
  double wall_seconds = 0;

  // The LFN outcomes in the same shape as expected_outcomes, dead letters included.
  std::map<std::string, std::size_t> actual_outcomes() const;
};

// Builds an engine for `party` ("lf" or "nb") running on `clock` (the simulation's). The
// executable opens SQLite files here; tests use in-memory stores. The simulation closes both
// engines when it is done (EngineContext::close: SQLite files are left self-contained). With
// SimulationConfig::instances > 1 it is called that many times per party, and every call must
// return an engine on the party's same store (own connections: each instance runs on its own thread).
using EngineFactory = std::function<EngineContext(const std::string& party, Clock clock)>;

SimulationReport run_market_simulation(const SimulationConfig& config, const EngineFactory& make_engine);

// The human-readable summary the executable prints.
std::string format_report(const SimulationReport& report);

}  // namespace mako::market
