#include "mako/domain/market/market_simulation.hpp"

#include <algorithm>
#include <future>
#include <set>
#include <sstream>

#include "mako/domain/calendar/format_versions.hpp"
#include "mako/domain/edifact/writer.hpp"
#include "mako/domain/gpke/deadlines.hpp"
#include "mako/domain/gpke/register_workflows.hpp"
#include "mako/domain/identifiers/malo_id.hpp"
#include "mako/domain/identifiers/mp_id.hpp"
#include "mako/domain/identifiers/seeded_generator.hpp"
#include "mako/domain/market/acknowledgements.hpp"
#include "mako/domain/market/directory_courier.hpp"
#include "mako/domain/market/in_memory_transport.hpp"
#include "mako/domain/market/market_participant.hpp"

namespace mako::market {

const char* to_string(Scenario s) {
  switch (s) {
    case Scenario::NoLfa: return "no_lfa";
    case Scenario::LfaConsents: return "lfa_consents";
    case Scenario::LfaSilent: return "lfa_silent";
    case Scenario::LfaLate: return "lfa_late";
    case Scenario::LfaRejects: return "lfa_rejects";
    case Scenario::LeadTimeMissed: return "lead_time_missed";
    case Scenario::DuplicateFile: return "duplicate_file";
    case Scenario::MalformedFile: return "malformed_file";
    case Scenario::UnknownPid: return "unknown_pid";
    case Scenario::NbLate: return "nb_late";
    case Scenario::NbLateRejects: return "nb_late_rejects";
  }
  return "?";
}

const char* expected_outcome(Scenario s) {
  switch (s) {
    case Scenario::LfaRejects:
    case Scenario::LeadTimeMissed:
    case Scenario::NbLateRejects: return "rejected";
    case Scenario::MalformedFile: return "unanswered";
    case Scenario::UnknownPid: return "dead_lettered";
    default: return "confirmed";
  }
}

namespace {

using calendar::Instant;
using std::chrono::minutes;

bool has_lfa(Scenario s) {
  return s == Scenario::LfaConsents || s == Scenario::LfaSilent || s == Scenario::LfaLate ||
         s == Scenario::LfaRejects || s == Scenario::LeadTimeMissed;
}

Scenario draw(identifiers::SeededGenerator& rng, const std::vector<unsigned>& mix) {
  unsigned total = 0;
  for (int i = 0; i < kScenarioCount && i < int(mix.size()); ++i) total += mix[i];
  if (total == 0) return Scenario::NoLfa;
  unsigned pick = rng.below(total);
  for (int i = 0; i < kScenarioCount && i < int(mix.size()); ++i) {
    if (pick < mix[i]) return Scenario(i);
    pick -= mix[i];
  }
  return Scenario::NoLfa;
}

calendar::Date plus_days(const calendar::Date& d, int n) {
  return calendar::Date{std::chrono::sys_days(d) + std::chrono::days(n)};
}

std::vector<std::string> old_supplier_ids(const SimulationConfig& config) {
  std::vector<std::string> out;
  for (std::uint64_t k = 0; out.size() < config.old_suppliers; ++k) {
    auto id = identifiers::MpId::generate(config.seed * 7919 + k, identifiers::MpIdKind::Bdew).str();
    if (id != config.nb && id != config.lfn && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  }
  return out;
}

// The Vorgangsnummer of the first transaction in raw UTILMD bytes ("IDE+24+<ref>").
std::string first_transaction(const std::string& bytes) {
  const auto pos = bytes.find("IDE+24+");
  if (pos == std::string::npos) return {};
  const auto begin = pos + 7;
  const auto end = bytes.find_first_of("'+:", begin);
  return bytes.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

// Master data for the 55001: a household customer with a German address, from its own generator
// (so adding it did not change the scenario draws of a seed).
edifact::UtilmdParty make_customer(identifiers::SeededGenerator& rng) {
  static constexpr const char* kSurnames[] = {"Müller", "Schmidt", "Schneider", "Fischer",  "Weber", "Meyer",
                                              "Wagner", "Becker",  "Schulz",    "Hoffmann", "Koch",  "Richter"};
  static constexpr const char* kFirstNames[] = {"Anna", "Lukas", "Marie", "Jonas", "Sophie", "Felix",
                                                "Emma", "Paul",  "Lea",   "Ben",   "Mia",    "Jürgen"};
  static constexpr const char* kStreets[] = {"Hauptstraße", "Schulstraße", "Gartenweg", "Bahnhofstraße",
                                             "Lindenallee", "Dorfstraße",  "Am Markt",  "Bergstraße"};
  static constexpr std::pair<const char*, const char*> kCities[] = {
      {"10115", "Berlin"},  {"20095", "Hamburg"},   {"50667", "Köln"},   {"80331", "München"},
      {"04109", "Leipzig"}, {"70173", "Stuttgart"}, {"28195", "Bremen"}, {"01067", "Dresden"}};
  edifact::UtilmdParty p;
  const std::string surname = kSurnames[rng.below(unsigned(std::size(kSurnames)))];
  p.name = std::string(kFirstNames[rng.below(unsigned(std::size(kFirstNames)))]) + " " + surname;
  p.street = std::string(kStreets[rng.below(unsigned(std::size(kStreets)))]) + " " + std::to_string(1 + rng.below(120));
  const auto& [postcode, city] = kCities[rng.below(unsigned(std::size(kCities)))];
  p.postcode = postcode;
  p.city = city;
  p.country = "DE";
  return p;
}

}  // namespace

std::vector<CustomerCase> plan_customers(const SimulationConfig& config) {
  identifiers::SeededGenerator rng(config.seed);
  const auto lfas = old_supplier_ids(config);
  const int span = int((std::chrono::sys_days(config.last_day) - std::chrono::sys_days(config.first_day)).count());
  std::set<std::string> malos;
  std::vector<CustomerCase> out;
  identifiers::SeededGenerator people(config.seed ^ 0x6b756e6465ULL);  // "kunde"
  for (std::size_t i = 0; i < config.customers; ++i) {
    CustomerCase c;
    c.index = i;
    c.customer = make_customer(people);
    c.scenario = draw(rng, config.mix);
    do c.malo = identifiers::MaloId::generate(rng.next()).str();
    while (!malos.insert(c.malo).second);
    if (has_lfa(c.scenario) && !lfas.empty()) c.lfa = lfas[rng.below(unsigned(lfas.size()))];
    char ref[16];
    std::snprintf(ref, sizeof ref, "SIM%07zu", i);
    c.reference = ref;
    const auto sent_day = plus_days(config.first_day, span > 0 ? int(rng.below(unsigned(span + 1))) : 0);
    c.sent_at = calendar::berlin_time_on(sent_day, 7 + int(rng.below(12)), int(rng.below(60)));
    if (c.scenario == Scenario::LeadTimeMissed || c.scenario == Scenario::NbLateRejects) {
      c.start = plus_days(sent_day, 1);
    } else {
      c.start = plus_days(sent_day, 2 + int(rng.below(12)));
      while (!gpke::lead_time_kept(c.start, c.sent_at)) c.start = plus_days(c.start, 1);
    }
    const Instant due = gpke::answer_due(55010, 55011, c.sent_at);
    const auto window = std::chrono::duration_cast<minutes>(due - c.sent_at).count();
    if (c.scenario == Scenario::LfaLate) c.lfa_decides_at = due + minutes(1 + rng.below(180));
    else c.lfa_decides_at = c.sent_at + minutes(std::max<long>(1, window * (5 + long(rng.below(90))) / 100));
    if (c.scenario == Scenario::NbLate || c.scenario == Scenario::NbLateRejects)  // 1 min .. 4 h after 11:00
      c.nb_works_at = gpke::answer_due(55001, 55002, c.sent_at) + minutes(1 + rng.below(240));
    out.push_back(std::move(c));
  }
  return out;
}

std::map<std::string, std::size_t> SimulationReport::actual_outcomes() const {
  auto out = lf.lfn_outcomes;
  if (nb_pipeline.dead_lettered) out["dead_lettered"] += nb_pipeline.dead_lettered;
  return out;
}

namespace {

struct Action {
  // The LFN sends (StartSwitch / the misaddressed 55016), an LFA decides, or the NB works a file
  // off its backlog (nothing to execute: the clock stops there and the NB's pump finds the file).
  enum class Kind { LfnSends, LfaDecides, NbWorksBacklog };
  Instant at;
  std::size_t order;  // tie-break: planning order
  Kind kind;
  std::size_t customer;
};

// The NB's backlog: the 55001 files of chosen customers stay out of the NB's sight until it works
// them off; then they carry their arrival instant (arrived_at), from which the deadlines count.
class BacklogTransport final : public MarketTransport {
 public:
  struct Held {
    Instant arrived;
    Instant worked;
  };
  BacklogTransport(std::shared_ptr<MarketTransport> inner, std::shared_ptr<Timestamp> now,
                   std::map<std::string, Held> held)
      : inner_(std::move(inner)), now_(std::move(now)), held_(std::move(held)) {}

  void send(const std::string& recipient, const std::string& bytes, const std::string& filename) override {
    inner_->send(recipient, bytes, filename);
  }
  std::vector<InboundFile> poll() override { return poll_except({}); }
  // Files on the backlog stay with us (not handed out again by the inner transport on every
  // poll) until the NB works them off.
  std::vector<InboundFile> poll_except(const std::set<std::string>& in_flight) override {
    return visible(inner_->poll_except(in_flight, waiting_handles_));
  }
  void settle(const InboundFile& file, Disposition disposition) override { inner_->settle(file, disposition); }

 private:
  std::vector<InboundFile> visible(std::vector<InboundFile> files) {
    std::vector<InboundFile> out;
    out.reserve(files.size());
    for (auto& f : files) {
      const auto parts = parse_market_file_name(f.name);
      if (parts && parts->kind == "UTILMD55001") {
        if (auto it = held_.find(first_transaction(f.bytes)); it != held_.end()) {
          f.arrived_at = it->second.arrived;
          if (Timestamp(it->second.worked) > *now_) {
            waiting_handles_.insert(f.handle);
            waiting_.emplace_back(it->second.worked, std::move(f));
            continue;
          }
        }
      }
      out.push_back(std::move(f));
    }
    for (auto it = waiting_.begin(); it != waiting_.end();) {  // worked off the backlog now
      if (Timestamp(it->first) > *now_) {
        ++it;
        continue;
      }
      waiting_handles_.erase(it->second.handle);
      out.push_back(std::move(it->second));
      it = waiting_.erase(it);
    }
    return out;
  }

  std::shared_ptr<MarketTransport> inner_;
  std::shared_ptr<Timestamp> now_;
  std::map<std::string, Held> held_;                      // by the 55001's Vorgangsnummer
  std::vector<std::pair<Instant, InboundFile>> waiting_;  // held files and when they are worked off
  std::set<std::string> waiting_handles_;                 // their handles, for poll_except
};

class Simulation {
 public:
  Simulation(const SimulationConfig& config, const EngineFactory& make_engine)
      : config_(config),
        now_(std::make_shared<Timestamp>()),
        cases_(plan_customers(config)),
        lfas_(old_supplier_ids(config)) {
    gpke::register_workflows(workflows_);
    const Clock clock = [now = now_] { return *now; };
    // The driver's own commands (the LF starting a switch, an old supplier deciding) and the
    // participants' pumps share one process cache and the registry's runtimes: a process the
    // driver started is still folded when its first answer arrives.
    auto cached = [](EngineContext engine) {
      return engine.services()->process_cache ? engine : engine.with_process_cache();
    };
    lf_engine_ = std::make_unique<EngineContext>(cached(make_engine("lf", clock)));
    nb_engine_ = std::make_unique<EngineContext>(cached(make_engine("nb", clock)));
    lfn_runtime_ = workflows_.get_typed<gpke::LfnLieferbeginn>(gpke::workflow_names::kLieferbeginnLfn);
    lfa_runtime_ = workflows_.get_typed<gpke::Beantwortung>(gpke::workflow_names::kLieferendeLfa);
    std::vector<std::string> lf_ids{config.lfn};
    lf_ids.insert(lf_ids.end(), lfas_.begin(), lfas_.end());
    std::shared_ptr<MarketTransport> lf_wire, nb_wire;
    if (config.wire == SimulationConfig::Wire::Directory) {
      std::filesystem::remove_all(config.exchange_dir / "lf");
      std::filesystem::remove_all(config.exchange_dir / "nb");
      auto lf_dir = std::make_shared<DirectoryTransport>(config.exchange_dir / "lf", config.file_sync);
      auto nb_dir = std::make_shared<DirectoryTransport>(config.exchange_dir / "nb", config.file_sync);
      courier_.host(lf_dir, lf_ids);
      courier_.host(nb_dir, {config.nb});
      lf_wire = lf_dir;
      nb_wire = nb_dir;
      drop_at_nb_ = [nb_dir](const std::string& from, const std::string& name, const std::string& bytes) {
        nb_dir->drop_inbound(from, name, bytes);
      };
    } else {
      lf_memory_ = std::make_shared<InMemoryTransport>();
      nb_memory_ = std::make_shared<InMemoryTransport>();
      lf_wire = lf_memory_;
      nb_wire = nb_memory_;
      drop_at_nb_ = [nb = nb_memory_](const std::string& from, const std::string& name, const std::string& bytes) {
        nb->drop_inbound(from, name, bytes);
      };
    }
    for (const auto& c : cases_) {
      by_reference_[c.reference] = c.scenario;
      if (c.lfa.empty()) master_data_->add_malo(c.malo);
      else master_data_->assign(c.malo, c.lfa, calendar::make_date(2020, 1, 1));
    }
    tamper_ = [this](const FileNameParts& parts, const std::string& bytes) {
      if (parts.kind != "UTILMD55001") return CourierAction::Deliver;
      auto it = by_reference_.find(first_transaction(bytes));
      if (it == by_reference_.end()) return CourierAction::Deliver;
      if (it->second == Scenario::DuplicateFile) return CourierAction::Duplicate;
      if (it->second == Scenario::MalformedFile) return CourierAction::Corrupt;
      return CourierAction::Deliver;
    };
    courier_.set_tamper(tamper_);

    std::map<std::string, BacklogTransport::Held> backlog;
    for (const auto& c : cases_)
      if (c.nb_works_at) backlog[c.reference] = {c.sent_at, *c.nb_works_at};  // the courier delivers at once
    if (!backlog.empty()) nb_wire = std::make_shared<BacklogTransport>(nb_wire, now_, std::move(backlog));

    InboundPipelineOptions lf_options{lf_ids, lf_routes(), nullptr};
    InboundPipelineOptions nb_options{{config.nb}, nb_routes(), master_data_};
    nb_options.supply_projection = std::make_shared<NbSupplyProjection>(master_data_);
    lf_ = std::make_unique<MarketParticipant>("lf", *lf_engine_, workflows_, lf_wire, lf_options, config.seed);
    nb_ = std::make_unique<MarketParticipant>("nb", *nb_engine_, workflows_, nb_wire, nb_options, config.seed + 1);

    for (const auto& c : cases_) {
      actions_.push_back(Action{c.sent_at, actions_.size(), Action::Kind::LfnSends, c.index});
      if (c.scenario == Scenario::LfaConsents || c.scenario == Scenario::LfaRejects || c.scenario == Scenario::LfaLate)
        actions_.push_back(Action{c.lfa_decides_at, actions_.size(), Action::Kind::LfaDecides, c.index});
      if (c.nb_works_at)
        actions_.push_back(Action{*c.nb_works_at, actions_.size(), Action::Kind::NbWorksBacklog, c.index});
    }
    std::sort(actions_.begin(), actions_.end(),
              [](const Action& a, const Action& b) { return std::tie(a.at, a.order) < std::tie(b.at, b.order); });
  }

  SimulationReport run() {
    const auto wall_start = std::chrono::steady_clock::now();
    SimulationReport report;
    for (const auto& c : cases_) {
      ++report.scenarios[to_string(c.scenario)];
      ++report.expected_outcomes[expected_outcome(c.scenario)];
    }
    std::size_t next_action = 0;
    Timestamp current = actions_.empty() ? Timestamp{} : Timestamp(actions_.front().at);
    report.simulated_from = std::chrono::floor<std::chrono::seconds>(current);
    const std::size_t per_unit = std::max<std::size_t>(1, config_.instants_per_unit);
    std::unique_ptr<WorkUnit> lf_unit, nb_unit;
    std::size_t instants_in_unit = 0;
    // Commits both engines' units, then settles the files they received: a crash before the
    // commit leaves the files waiting, to be received again.
    auto commit_units = [&] {
      if (!lf_unit) return;
      nb_unit->commit();
      lf_unit->commit();
      nb_unit.reset();
      lf_unit.reset();
      instants_in_unit = 0;
      ++report.units_committed;
      lf_->settle_received();
      nb_->settle_received();
    };
    for (;;) {
      *now_ = current;
      // What both parties do at `current` belongs to one unit of work per engine (spanning
      // `instants_per_unit` instants); each pump round inside it is a savepoint.
      if (!lf_unit) {
        lf_unit = lf_engine_->begin_work_unit();
        nb_unit = nb_engine_->begin_work_unit();
      }
      while (next_action < actions_.size() && Timestamp(actions_[next_action].at) <= current)
        perform(actions_[next_action++], report);
      settle(current);
      if (++instants_in_unit >= per_unit) commit_units();
      std::optional<Timestamp> next;
      auto consider = [&](std::optional<Timestamp> t) {
        if (t && (!next || *t < *next)) next = t;
      };
      if (next_action < actions_.size()) consider(Timestamp(actions_[next_action].at));
      consider(lf_->next_deadline());
      consider(nb_->next_deadline());
      if (!next) break;
      current = *next > current ? *next : current + std::chrono::seconds(1);
      ++report.clock_steps;
    }
    commit_units();
    report.simulated_to = std::chrono::floor<std::chrono::seconds>(current);
    // The two histories are separate stores, all committed: read them at once, on two cores.
    auto nb_history = std::async(std::launch::async, [this] { return summarize_history(nb_engine_->event_store()); });
    report.lf = summarize_history(lf_engine_->event_store());
    report.nb = nb_history.get();
    report.traffic = courier_.traffic_by_kind();
    for (const auto& [kind, n] : memory_traffic_) report.traffic[kind] += n;
    for (const auto& [kind, n] : injected_) report.traffic[kind] += n;
    report.lf_pipeline = lf_->pipeline().stats();
    report.nb_pipeline = nb_->pipeline().stats();
    if (lf_engine_->dead_letters()) report.lf_dead_letters = lf_engine_->dead_letters()->count();
    if (nb_engine_->dead_letters()) report.nb_dead_letters = nb_engine_->dead_letters()->count();
    report.files_corrupted = courier_.corrupted() + memory_corrupted_;
    report.files_duplicated = courier_.duplicated() + memory_duplicated_;
    report.actions_skipped = skipped_;
    report.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    // Both engines are closed: their files are left self-contained (a SQLite file gets its WAL
    // written back), ready to be copied and analysed on their own.
    lf_engine_->close();
    nb_engine_->close();
    return report;
  }

 private:
  // Everything that follows from `now` without time passing: files in flight, answers, acks.
  // The first round pumps both parties. A later round pumps a party only when something can be
  // new for it: files the last round delivered to it, or, after a round in which it worked, a
  // deadline its own commands scheduled for `now` (what its commands send goes out in the same
  // pump). Without either its pump would find nothing: no queries for it.
  void settle(Timestamp now) {
    bool lf_due = true, nb_due = true;
    for (int round = 0; round < 100; ++round) {
      const std::size_t lf_work = lf_due ? lf_->pump(now, MarketParticipant::Settle::Deferred).total() : 0;
      const std::size_t nb_work = nb_due ? nb_->pump(now, MarketParticipant::Settle::Deferred).total() : 0;
      std::size_t to_lf = 0, to_nb = 0;
      if (lf_memory_) {
        to_nb = shuttle(*lf_memory_, *nb_memory_);
        to_lf = shuttle(*nb_memory_, *lf_memory_);
      } else {
        to_lf = to_nb = courier_.deliver();  // the courier serves both: either may have mail
      }
      lf_due = to_lf > 0 || (lf_work > 0 && deadline_due(*lf_, now));
      nb_due = to_nb > 0 || (nb_work > 0 && deadline_due(*nb_, now));
      if (!lf_due && !nb_due) return;
    }
  }

  static bool deadline_due(const MarketParticipant& party, Timestamp now) {
    const auto next = party.next_deadline();
    return next && *next <= now;
  }

  // The in-memory network: every file one side sent reaches the other side (two parties only).
  std::size_t shuttle(InMemoryTransport& from, InMemoryTransport& to) {
    auto files = from.take_sent();
    for (auto& f : files) {
      const auto parts = parse_market_file_name(f.name);
      if (!parts) continue;
      const auto action = tamper_(*parts, f.bytes);
      if (action == CourierAction::Drop) continue;
      ++memory_traffic_[parts->kind];
      if (action == CourierAction::Corrupt) {
        f.bytes = corrupt_segment_count(std::move(f.bytes));
        ++memory_corrupted_;
      }
      if (action == CourierAction::Duplicate) {
        to.drop_inbound(parts->sender, f.name.substr(0, f.name.size() - 4) + "_resent.edi", f.bytes);
        ++memory_traffic_[parts->kind];
        ++memory_duplicated_;
      }
      to.drop_inbound(parts->sender, f.name, std::move(f.bytes));
    }
    return files.size();
  }

  void perform(const Action& action, SimulationReport&) {
    const auto& c = cases_[action.customer];
    if (action.kind == Action::Kind::NbWorksBacklog) return;
    const auto fv = calendar::format_version_for(action.at).core_name();
    if (action.kind == Action::Kind::LfaDecides) {
      const auto id = lf_engine_->registry()->lookup(TenantId::from_party_id(c.lfa), "malo", c.malo);
      if (!id || id->workflow_id.name() != gpke::workflow_names::kLieferendeLfa) {
        ++skipped_;
        return;
      }
      auto lfa = lf_engine_->resume(lfa_runtime_, *id);
      lfa.execute(gpke::Answer{c.scenario == Scenario::LfaConsents, std::nullopt, action.at});
      return;
    }
    if (c.scenario == Scenario::UnknownPid) {
      inject_misaddressed_kuendigung(c);
      return;
    }
    auto lfn = lf_engine_->spawn(lfn_runtime_, TenantId::from_party_id(config_.lfn),
                                 WorkflowId(gpke::workflow_names::kLieferbeginnLfn, fv));
    gpke::StartSwitch start{
        c.malo,      c.start,
        "E03",       config_.nb,
        config_.lfn, c.sent_at,
        c.reference, c.scenario == Scenario::LeadTimeMissed || c.scenario == Scenario::NbLateRejects};
    start.customer = c.customer;
    lfn.execute(std::move(start));
  }

  // A Kündigung (55016) meant for an old supplier, sent to the NB by mistake: no NB route.
  void inject_misaddressed_kuendigung(const CustomerCase& c) {
    gpke::OutboundUtilmd p;
    p.vorgang = gpke::UtilmdVorgang{"55016", c.reference,  std::nullopt, c.malo,    std::nullopt,
                                    "E03",   std::nullopt, config_.lfn,  config_.nb};
    p.vorgang.end = c.start;
    p.sent_at = c.sent_at;
    const std::string ref = interchange_reference_for("KUENDIGUNG|" + c.reference);
    const auto bytes = gpke::render_utilmd_bytes(std::move(p), ref, "1");
    drop_at_nb_(config_.lfn, market_file_name(c.sent_at, c.index, {config_.lfn, config_.nb, "UTILMD55016", ref}),
                bytes);
    ++injected_["UTILMD55016"];
  }

  SimulationConfig config_;
  std::shared_ptr<Timestamp> now_;
  std::vector<CustomerCase> cases_;
  std::vector<std::string> lfas_;
  WorkflowRegistry workflows_;
  std::unique_ptr<EngineContext> lf_engine_, nb_engine_;
  std::shared_ptr<const TypedWorkflowRuntime<gpke::LfnLieferbeginn>> lfn_runtime_;
  std::shared_ptr<const TypedWorkflowRuntime<gpke::Beantwortung>> lfa_runtime_;
  std::shared_ptr<InMemoryTransport> lf_memory_, nb_memory_;  // Wire::InMemory only
  std::function<void(const std::string&, const std::string&, const std::string&)> drop_at_nb_;
  CourierTamper tamper_;
  std::map<std::string, std::size_t> memory_traffic_;
  std::size_t memory_corrupted_ = 0, memory_duplicated_ = 0;
  std::shared_ptr<InMemoryNbMasterData> master_data_ = std::make_shared<InMemoryNbMasterData>();
  DirectoryCourier courier_;
  std::map<std::string, Scenario> by_reference_;
  std::unique_ptr<MarketParticipant> lf_, nb_;
  std::vector<Action> actions_;
  std::map<std::string, std::size_t> injected_;
  std::size_t skipped_ = 0;
};

}  // namespace

SimulationReport run_market_simulation(const SimulationConfig& config, const EngineFactory& make_engine) {
  return Simulation(config, make_engine).run();
}

std::string format_report(const SimulationReport& r) {
  std::ostringstream o;
  auto table = [&](const char* title, const std::map<std::string, std::size_t>& m) {
    o << title << "\n";
    for (const auto& [k, v] : m) o << "  " << k << std::string(k.size() < 34 ? 34 - k.size() : 1, ' ') << v << "\n";
  };
  o << "simulated " << calendar::format_berlin(r.simulated_from) << " .. " << calendar::format_berlin(r.simulated_to)
    << " in " << r.clock_steps << " clock steps, " << r.units_committed << " units of work per engine, "
    << r.wall_seconds << " s wall\n\n";
  table("customers by scenario", r.scenarios);
  table("LFN outcomes expected (from the scenarios)", r.expected_outcomes);
  table("LFN outcomes actual (from the LF history)", r.actual_outcomes());
  table("NB Lieferbeginn outcomes (from the NB history)", r.nb.nb_outcomes);
  table("LFA answers (from the LF history)", r.lf.lfa_outcomes);
  o << "deadlines: messages sent met / missed (MessageSent)\n";
  std::map<std::string, DeadlineTally> sent = r.lf.sent_by_pid;
  for (const auto& [pid, t] : r.nb.sent_by_pid) {
    sent[pid].met += t.met;
    sent[pid].missed += t.missed;
  }
  for (const auto& [pid, t] : sent) o << "  " << pid << "  met " << t.met << "  missed " << t.missed << "\n";
  std::map<std::string, std::size_t> missed = r.lf.answer_deadlines_missed;
  for (const auto& [k, v] : r.nb.answer_deadlines_missed) missed["nb " + k] += v;
  table("watchdogs fired while unanswered (AnswerDeadlineMissed)", missed);
  o << "late LFA answers ignored by the NB  " << r.nb.late_lfa_answers_ignored << "\n";
  table("files exchanged by kind", r.traffic);
  o << "files rejected: CONTRL 4 sent by NB " << r.nb_pipeline.contrl_rejections_sent << ", by LF "
    << r.lf_pipeline.contrl_rejections_sent << "; inbox duplicates NB " << r.nb_pipeline.duplicates << ", LF "
    << r.lf_pipeline.duplicates << "\n";
  o << "dead letters: NB " << r.nb_dead_letters << ", LF " << r.lf_dead_letters << "; APERAK 313 sent by NB "
    << r.nb_pipeline.aperak_sent << ", received by LF " << r.lf_pipeline.aperak_received << "\n";
  o << "events: LF " << r.lf.events << " in " << r.lf.streams << " processes, NB " << r.nb.events << " in "
    << r.nb.streams << " processes\n";
  return o.str();
}

}  // namespace mako::market
