#include "mako/domain/market/market_simulation.hpp"

#include <algorithm>
#include <condition_variable>
#include <exception>
#include <future>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

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

// One engine instance's view of its participant's transport, shared by all the participant's
// instances (one lock for all of them: the transports behind it serve one caller at a time). Every
// instance sends through it; each inbound file is received by one instance only, chosen by its
// interchange (sender and reference), so a resent copy goes to the instance that received the
// first and its inbox sees the two in order, as a single instance would.
class InstanceTransport final : public MarketTransport {
 public:
  InstanceTransport(std::shared_ptr<MarketTransport> shared, std::shared_ptr<std::mutex> lock, std::size_t instance,
                    std::size_t instances)
      : shared_(std::move(shared)), lock_(std::move(lock)), instance_(instance), instances_(instances) {}

  void send(const std::string& recipient, const std::string& bytes, const std::string& filename) override {
    std::lock_guard guard(*lock_);
    shared_->send(recipient, bytes, filename);
  }
  std::vector<InboundFile> poll() override { return poll_except({}); }
  std::vector<InboundFile> poll_except(const std::set<std::string>& in_flight) override {
    std::vector<InboundFile> files;
    {
      std::lock_guard guard(*lock_);
      files = shared_->poll_except(in_flight);
    }
    std::erase_if(files, [&](const InboundFile& f) { return owner(f) != instance_; });
    return files;
  }
  void settle(const InboundFile& file, Disposition disposition) override {
    std::lock_guard guard(*lock_);
    shared_->settle(file, disposition);
  }

 private:
  std::size_t owner(const InboundFile& file) const {
    const auto header = read_interchange_header(file.bytes);
    const std::string key = header ? header->sender.id + "/" + header->reference : file.name;
    std::uint64_t h = 14695981039346656037ULL;  // FNV-1a: the same owner in every run
    for (const unsigned char c : key) h = (h ^ c) * 1099511628211ULL;
    return std::size_t(h % instances_);
  }

  std::shared_ptr<MarketTransport> shared_;
  std::shared_ptr<std::mutex> lock_;
  std::size_t instance_, instances_;
};

// One thread per engine instance, kept for the whole run: run(task) calls task(i) on thread i for
// every i at once and returns when all are done (rethrowing the first failure).
class Crew {
 public:
  explicit Crew(std::size_t size) : errors_(size) {
    for (std::size_t i = 0; i < size; ++i) threads_.emplace_back([this, i] { work(i); });
  }
  ~Crew() {
    {
      std::lock_guard guard(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : threads_) t.join();
  }
  Crew(const Crew&) = delete;
  Crew& operator=(const Crew&) = delete;

  void run(const std::function<void(std::size_t)>& task) {
    std::unique_lock guard(mutex_);
    task_ = &task;
    busy_ = threads_.size();
    ++generation_;
    wake_.notify_all();
    done_.wait(guard, [&] { return busy_ == 0; });
    task_ = nullptr;
    for (auto& e : errors_)
      if (e) std::rethrow_exception(std::exchange(e, nullptr));
  }

 private:
  void work(std::size_t i) {
    std::uint64_t seen = 0;
    std::unique_lock guard(mutex_);
    for (;;) {
      wake_.wait(guard, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      const auto* task = task_;
      guard.unlock();
      try {
        (*task)(i);
      } catch (...) {
        errors_[i] = std::current_exception();
      }
      guard.lock();
      if (--busy_ == 0) done_.notify_one();
    }
  }

  std::vector<std::thread> threads_;
  std::vector<std::exception_ptr> errors_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(std::size_t)>* task_ = nullptr;
  std::size_t busy_ = 0;
  std::uint64_t generation_ = 0;
  bool stop_ = false;
};

void add(PumpReport& to, const PumpReport& r) {
  to.deadlines_fired += r.deadlines_fired;
  to.files_received += r.files_received;
  to.messages_sent += r.messages_sent;
  to.messages_failed += r.messages_failed;
}

void add(PipelineStats& to, const PipelineStats& s) {
  to.files += s.files;
  to.accepted += s.accepted;
  to.syntax_rejected += s.syntax_rejected;
  to.duplicates += s.duplicates;
  to.executed += s.executed;
  to.dead_lettered += s.dead_lettered;
  to.refused += s.refused;
  to.failed += s.failed;
  to.ahb_rejected += s.ahb_rejected;
  to.contrl_sent += s.contrl_sent;
  to.contrl_rejections_sent += s.contrl_rejections_sent;
  to.aperak_sent += s.aperak_sent;
  to.contrl_received += s.contrl_received;
  to.contrl_rejections_received += s.contrl_rejections_received;
  to.aperak_received += s.aperak_received;
}

class Simulation {
 public:
  Simulation(const SimulationConfig& config, const EngineFactory& make_engine)
      : config_(config),
        now_(std::make_shared<Timestamp>()),
        cases_(plan_customers(config)),
        lfas_(old_supplier_ids(config)) {
    if (config.instances == 0) throw EngineError::invalid_input("market simulation: instances must be at least 1");
    if (config.instances > 1 && config.instants_per_unit > 1)
      throw EngineError::invalid_input(
          "market simulation: instants_per_unit > 1 (group commit) needs instances = 1: a unit of work held over "
          "several instants would hold its streams' rows and the store's log horizon against the other instances");
    if (config.unit_per_round && config.instants_per_unit > 1)
      throw EngineError::invalid_input(
          "market simulation: unit_per_round and instants_per_unit > 1 exclude each other");
    gpke::register_workflows(workflows_);
    const Clock clock = [now = now_] { return *now; };
    // The driver's own commands (the LF starting a switch, an old supplier deciding) and the
    // participants' pumps share one process cache and the registry's runtimes: a process the
    // driver started is still folded when its first answer arrives.
    auto cached = [](EngineContext engine) {
      return engine.services()->process_cache ? engine : engine.with_process_cache();
    };
    for (std::size_t i = 0; i < config.instances; ++i) lf_engines_.push_back(cached(make_engine("lf", clock)));
    for (std::size_t i = 0; i < config.instances; ++i) nb_engines_.push_back(cached(make_engine("nb", clock)));
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
    // One instance: the participant's transport itself. Several: each its view of it.
    auto views = [n = config.instances](std::shared_ptr<MarketTransport> wire) {
      if (n == 1) return std::vector<std::shared_ptr<MarketTransport>>{std::move(wire)};
      std::vector<std::shared_ptr<MarketTransport>> out;
      auto lock = std::make_shared<std::mutex>();
      for (std::size_t i = 0; i < n; ++i) out.push_back(std::make_shared<InstanceTransport>(wire, lock, i, n));
      return out;
    };
    const auto lf_views = views(lf_wire), nb_views = views(nb_wire);
    for (std::size_t i = 0; i < config.instances; ++i) {
      lf_.push_back(std::make_unique<MarketParticipant>("lf", lf_engines_[i], workflows_, lf_views[i], lf_options,
                                                        config.seed + 2 * i));
      nb_.push_back(std::make_unique<MarketParticipant>("nb", nb_engines_[i], workflows_, nb_views[i], nb_options,
                                                        config.seed + 1 + 2 * i));
    }
    if (config.instances > 1 || config.unit_per_round) crew_ = std::make_unique<Crew>(2 * config.instances);
    lf_work_.resize(config.instances);
    nb_work_.resize(config.instances);

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
    report.instances = config_.instances;
    report.unit_per_round = bool(crew_);
    const bool shared = bool(crew_);  // no unit spans the pumps: each round commits per instance
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
      lf_[0]->settle_received();
      nb_[0]->settle_received();
    };
    for (;;) {
      *now_ = current;
      // What both parties do at `current` belongs to one unit of work per engine (spanning
      // `instants_per_unit` instants); each pump round inside it is a savepoint.
      if (!lf_unit && !shared) {
        lf_unit = lf_engines_[0].begin_work_unit();
        nb_unit = nb_engines_[0].begin_work_unit();
      }
      while (next_action < actions_.size() && Timestamp(actions_[next_action].at) <= current)
        perform(actions_[next_action++], report);
      settle(current);
      if (!shared && ++instants_in_unit >= per_unit) commit_units();
      std::optional<Timestamp> next;
      auto consider = [&](std::optional<Timestamp> t) {
        if (t && (!next || *t < *next)) next = t;
      };
      if (next_action < actions_.size()) consider(Timestamp(actions_[next_action].at));
      consider(lf_[0]->next_deadline());  // the store's: the same for every instance
      consider(nb_[0]->next_deadline());
      if (!next) break;
      current = *next > current ? *next : current + std::chrono::seconds(1);
      ++report.clock_steps;
    }
    commit_units();
    if (shared) report.units_committed = rounds_;
    report.lf_instances = lf_work_;
    report.nb_instances = nb_work_;
    crew_.reset();
    report.simulated_to = std::chrono::floor<std::chrono::seconds>(current);
    // The two histories are separate stores, all committed: read them at once, on two cores.
    auto nb_history =
        std::async(std::launch::async, [this] { return summarize_history(nb_engines_[0].event_store()); });
    report.lf = summarize_history(lf_engines_[0].event_store());
    report.nb = nb_history.get();
    report.traffic = courier_.traffic_by_kind();
    for (const auto& [kind, n] : memory_traffic_) report.traffic[kind] += n;
    for (const auto& [kind, n] : injected_) report.traffic[kind] += n;
    for (const auto& p : lf_) add(report.lf_pipeline, p->pipeline().stats());
    for (const auto& p : nb_) add(report.nb_pipeline, p->pipeline().stats());
    if (lf_engines_[0].dead_letters()) report.lf_dead_letters = lf_engines_[0].dead_letters()->count();
    if (nb_engines_[0].dead_letters()) report.nb_dead_letters = nb_engines_[0].dead_letters()->count();
    report.files_corrupted = courier_.corrupted() + memory_corrupted_;
    report.files_duplicated = courier_.duplicated() + memory_duplicated_;
    report.actions_skipped = skipped_;
    report.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    // Both engines are closed: their files are left self-contained (a SQLite file gets its WAL
    // written back), ready to be copied and analysed on their own.
    for (auto& engine : lf_engines_) engine.close();
    for (auto& engine : nb_engines_) engine.close();
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
      std::size_t lf_work = 0, nb_work = 0;
      const std::size_t n = lf_.size();
      std::vector<PumpReport> work(2 * n);  // lf instances, then nb instances
      if (!crew_) {                         // one instance: both pumps join the driver's units of work
        if (lf_due) work[0] = lf_[0]->pump(now, MarketParticipant::Settle::Deferred);
        if (nb_due) work[1] = nb_[0]->pump(now, MarketParticipant::Settle::Deferred);
      } else {  // every instance of a due party pumps at once, on its own thread; each round commits
        crew_->run([&](std::size_t i) {
          const bool lf = i < n;
          if (lf ? lf_due : nb_due)
            work[i] = (lf ? *lf_[i] : *nb_[i - n]).pump(now, MarketParticipant::Settle::AfterCommit);
        });
        ++rounds_;
      }
      for (std::size_t i = 0; i < n; ++i) {
        lf_work += work[i].total();
        nb_work += work[n + i].total();
        add(lf_work_[i], work[i]);
        add(nb_work_[i], work[n + i]);
      }
      std::size_t to_lf = 0, to_nb = 0;
      if (lf_memory_) {
        to_nb = shuttle(*lf_memory_, *nb_memory_);
        to_lf = shuttle(*nb_memory_, *lf_memory_);
      } else {
        to_lf = to_nb = courier_.deliver();  // the courier serves both: either may have mail
      }
      lf_due = to_lf > 0 || (lf_work > 0 && deadline_due(*lf_[0], now));
      nb_due = to_nb > 0 || (nb_work > 0 && deadline_due(*nb_[0], now));
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
    EngineContext& lf_engine = lf_engines_[c.index % lf_engines_.size()];  // the instances take turns
    const auto fv = calendar::format_version_for(action.at).core_name();
    if (action.kind == Action::Kind::LfaDecides) {
      const auto id = lf_engine.registry()->lookup(TenantId::from_party_id(c.lfa), "malo", c.malo);
      if (!id || id->workflow_id.name() != gpke::workflow_names::kLieferendeLfa) {
        ++skipped_;
        return;
      }
      auto lfa = lf_engine.resume(lfa_runtime_, *id);
      lfa.execute(gpke::Answer{c.scenario == Scenario::LfaConsents, std::nullopt, action.at});
      return;
    }
    if (c.scenario == Scenario::UnknownPid) {
      inject_misaddressed_kuendigung(c);
      return;
    }
    auto lfn = lf_engine.spawn(lfn_runtime_, TenantId::from_party_id(config_.lfn),
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
  std::vector<EngineContext> lf_engines_, nb_engines_;  // one per instance, on the party's one store
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
  std::vector<std::unique_ptr<MarketParticipant>> lf_, nb_;  // one per instance
  std::unique_ptr<Crew> crew_;                               // instances > 1 (or unit_per_round): their threads
  std::size_t rounds_ = 0;                                   // with crew_: pump rounds
  std::vector<PumpReport> lf_work_, nb_work_;                // per instance, summed over the run
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
    << " in " << r.clock_steps << " clock steps, ";
  if (r.unit_per_round)
    o << r.instances << (r.instances > 1 ? " engine instances" : " engine instance") << " per participant, "
      << r.units_committed << " pump rounds (a unit of work per instance each), ";
  else o << r.units_committed << " units of work per engine, ";
  o << r.wall_seconds << " s wall\n\n";
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
  if (r.instances > 1) {
    o << "work per instance (deadlines fired / files received / messages sent):";
    for (const auto* party : {&r.lf_instances, &r.nb_instances}) {
      o << (party == &r.lf_instances ? " LF" : "; NB");
      for (std::size_t i = 0; i < party->size(); ++i)
        o << (i ? ", " : " ") << (*party)[i].deadlines_fired << "/" << (*party)[i].files_received << "/"
          << (*party)[i].messages_sent;
    }
    o << "\n";
  }
  return o.str();
}

}  // namespace mako::market
