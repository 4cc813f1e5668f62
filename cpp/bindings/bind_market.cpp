// The market layer (mako::market) for Python: a market participant (inbound pipeline + deadline
// scheduler + outbox worker over an Engine) fed with EDIFACT bytes or files, PID routes to GPKE and
// to Python workflows, the NB master data, the history summary and the LF <-> NB simulation.
#include <atomic>
#include <filesystem>
#include <mutex>

#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <mako/core/engine.hpp>
#include <mako/core/workflow_registry.hpp>
#include <mako/domain/gpke/register_workflows.hpp>
#include <mako/domain/market/directory_transport.hpp>
#include <mako/domain/market/history_summary.hpp>
#include <mako/domain/market/in_memory_transport.hpp>
#include <mako/domain/market/market_participant.hpp>
#include <mako/domain/market/market_simulation.hpp>
#include <mako/domain/market/nb_master_data.hpp>
#include <mako/domain/market/nb_supply_projection.hpp>
#include <mako/domain/market/pid_routes.hpp>
#include <mako/sqlite/sqlite_store.hpp>
#include <mako/stores/open_store.hpp>

#include "bindings.hpp"
#include "domain_py.hpp"
#include "py_workflow_runtime.hpp"

namespace mako::py {

using namespace pybind11::literals;
namespace mk = mako::market;

namespace {

// "now" of a participant: a fixed instant when set (simulated time), else the system clock.
struct SettableClock {
  std::mutex mutex;
  std::optional<Timestamp> fixed;
  Timestamp now() {
    std::lock_guard lock(mutex);
    return fixed ? *fixed : system_now();
  }
  void set(std::optional<Timestamp> t) {
    std::lock_guard lock(mutex);
    fixed = t;
  }
};

const char* kind_name(mk::TransactionResult::Kind k) {
  switch (k) {
    case mk::TransactionResult::Kind::Executed: return "executed";
    case mk::TransactionResult::Kind::DeadLettered: return "dead_lettered";
    case mk::TransactionResult::Kind::Refused: return "refused";
    case mk::TransactionResult::Kind::Failed: return "failed";
    case mk::TransactionResult::Kind::AhbRejected: return "ahb_rejected";
  }
  return "failed";
}

pyb::dict receipt_to_py(const mk::FileReceipt& r) {
  pyb::dict d;
  d["outcome"] = mk::to_string(r.outcome);
  d["sender"] = r.sender;
  d["interchange_reference"] = r.interchange_reference;
  d["error"] = r.error;
  pyb::list txs;
  for (const auto& t : r.transactions) {
    pyb::dict x;
    x["kind"] = kind_name(t.kind);
    x["pid"] = t.pid;
    x["transaction"] = t.transaction;
    x["workflow"] = t.workflow;
    x["process"] = optional_to_py(t.process);
    x["reason"] = t.reason;
    x["events"] = t.events;
    txs.append(x);
  }
  d["transactions"] = txs;
  d["acknowledgements"] = pyb::cast(r.acknowledgements);
  return d;
}

pyb::dict stats_to_py(const mk::PipelineStats& s) {
  pyb::dict d;
  d["files"] = s.files;
  d["accepted"] = s.accepted;
  d["syntax_rejected"] = s.syntax_rejected;
  d["duplicates"] = s.duplicates;
  d["executed"] = s.executed;
  d["dead_lettered"] = s.dead_lettered;
  d["refused"] = s.refused;
  d["ahb_rejected"] = s.ahb_rejected;
  d["failed"] = s.failed;
  d["contrl_sent"] = s.contrl_sent;
  d["contrl_rejections_sent"] = s.contrl_rejections_sent;
  d["aperak_sent"] = s.aperak_sent;
  d["contrl_received"] = s.contrl_received;
  d["contrl_rejections_received"] = s.contrl_rejections_received;
  d["aperak_received"] = s.aperak_received;
  return d;
}

pyb::dict summary_to_py(const mk::HistorySummary& h) {
  pyb::dict d;
  d["events"] = h.events;
  d["streams"] = h.streams;
  d["processes_by_workflow"] = pyb::cast(h.processes_by_workflow);
  d["lfn_outcomes"] = pyb::cast(h.lfn_outcomes);
  d["nb_outcomes"] = pyb::cast(h.nb_outcomes);
  d["lfa_outcomes"] = pyb::cast(h.lfa_outcomes);
  pyb::dict sent;
  for (const auto& [pid, tally] : h.sent_by_pid)
    sent[pyb::str(pid)] = pyb::dict("met"_a = tally.met, "missed"_a = tally.missed);
  d["sent_by_pid"] = sent;
  d["answer_deadlines_missed"] = pyb::cast(h.answer_deadlines_missed);
  d["late_lfa_answers_ignored"] = h.late_lfa_answers_ignored;
  return d;
}

pyb::list routes_to_py(const mk::PidRouteTable& table) {
  pyb::list out;
  for (const auto& [pid, row] : table.rows()) {
    pyb::dict d;
    d["pid"] = pid;
    d["workflow"] = row.route.workflow;
    d["action"] = row.route.action == Route::Action::Spawn ? "spawn" : "resume";
    d["command_type"] = row.command_type;
    d["vorgang_field"] = row.vorgang_field;
    d["correlation_kind"] = row.route.correlation_kind;
    d["needs_nb_master_data"] = row.needs_nb_master_data;
    out.append(d);
  }
  return out;
}

mk::PidRouteTable routes_from_py(const pyb::iterable& rows) {
  mk::PidRouteTable table;
  for (auto row : rows) {
    const std::string pid = str_field(row, "pid");
    const std::string action = str_field(row, "action", "spawn");
    const std::string workflow = str_field(row, "workflow");
    const std::string command_type = str_field(row, "command_type");
    const std::string field = str_field(row, "vorgang_field");
    if (pid.empty() || workflow.empty() || command_type.empty() || field.empty())
      throw EngineError::invalid_input("route: pid, workflow, command_type and vorgang_field are required");
    if (action == "spawn") {
      pyb::object nb = field_of(row, "needs_nb_master_data");
      table.spawn(pid, workflow, command_type, field, nb && nb.cast<bool>());
    } else if (action == "resume") {
      table.resume(pid, workflow, command_type, field, str_field(row, "correlation_kind", "vorgang"));
    } else {
      throw EngineError::invalid_input("route " + pid + ": action must be 'spawn' or 'resume', got '" + action + "'");
    }
  }
  return table;
}

class PyMarketParticipant {
 public:
  PyMarketParticipant(const pyb::object& engine, std::string name, std::vector<std::string> mp_ids,
                      const pyb::iterable& routes, const pyb::dict& python_workflows,
                      const std::optional<std::string>& directory,
                      std::shared_ptr<mk::InMemoryNbMasterData> master_data, bool send_positive_aperak,
                      std::uint64_t jitter_seed)
      : clock_(std::make_shared<SettableClock>()), workflows_(std::make_shared<WorkflowRegistry>()) {
    const EngineContext& base = engine_context(engine);
    engine_ = EngineBuilder()
                  .with_event_store(base.event_store_ptr())
                  .with_snapshot_store(base.snapshot_store_ptr())
                  .with_runtime_stores(base.runtime_stores())
                  .with_clock([c = clock_] { return c->now(); })
                  .build();
    if (!engine_.deadlines() || !engine_.outbox() || !engine_.registry())
      throw EngineError::invalid_input("the engine has no runtime stores (outbox, deadlines, registry)");
    gpke::register_workflows(*workflows_);
    for (auto [key, workflow] : python_workflows)
      workflows_->add(key.cast<std::string>(),
                      std::make_shared<const PyWorkflowRuntime>(pyb::reinterpret_borrow<pyb::object>(workflow)));
    if (directory) {
      transport_ = std::make_shared<mk::DirectoryTransport>(*directory);
      directory_ = *directory;
    } else {
      memory_ = std::make_shared<mk::InMemoryTransport>();
      transport_ = memory_;
    }
    master_data_ = std::move(master_data);
    mk::InboundPipelineOptions options;
    options.own_mp_ids = std::move(mp_ids);
    options.routes = routes_from_py(routes);
    options.nb_master_data = master_data_;
    if (master_data_) options.supply_projection = std::make_shared<mk::NbSupplyProjection>(master_data_);
    options.send_positive_aperak = send_positive_aperak;
    routes_ = options.routes;
    participant_ = std::make_unique<mk::MarketParticipant>(std::move(name), engine_, *workflows_, transport_,
                                                           std::move(options), jitter_seed);
  }

  void set_now(const pyb::object& at) {
    if (at.is_none()) return;
    clock_->set(Timestamp(to_instant_us(at, "at")));
  }

  pyb::dict receive(const pyb::bytes& data, const std::string& partner, const std::string& name,
                    const pyb::object& at) {
    set_now(at);
    mk::InboundFile file{partner, name, std::string(data), ""};
    mk::FileReceipt receipt;
    {
      pyb::gil_scoped_release release;
      receipt = participant_->pipeline().receive(file);
    }
    return receipt_to_py(receipt);
  }

  pyb::list poll(const pyb::object& at) {
    set_now(at);
    std::vector<mk::FileReceipt> receipts;
    {
      pyb::gil_scoped_release release;
      receipts = participant_->pipeline().poll_once();
    }
    pyb::list out;
    for (const auto& r : receipts) out.append(receipt_to_py(r));
    return out;
  }

  pyb::dict pump(const pyb::object& at) {
    set_now(at);
    const Timestamp now = clock_->now();
    mk::PumpReport report;
    {
      pyb::gil_scoped_release release;
      report = participant_->pump(now);
    }
    return pyb::dict("deadlines_fired"_a = report.deadlines_fired, "files_received"_a = report.files_received,
                     "messages_sent"_a = report.messages_sent, "messages_failed"_a = report.messages_failed);
  }

  void drop_inbound(const std::string& partner, const std::string& filename, const pyb::bytes& data) {
    if (memory_) memory_->drop_inbound(partner, filename, std::string(data));
    else
      std::static_pointer_cast<mk::DirectoryTransport>(transport_)->drop_inbound(partner, filename, std::string(data));
  }

  pyb::list take_sent() {
    if (!memory_) throw EngineError::invalid_input("take_sent() needs the in-memory transport (no directory)");
    pyb::list out;
    for (auto& f : memory_->take_sent())
      out.append(pyb::dict("recipient"_a = f.recipient, "name"_a = f.name, "bytes"_a = pyb::bytes(f.bytes)));
    return out;
  }

  pyb::object next_deadline() const {
    auto t = participant_->next_deadline();
    return t ? to_datetime(*t) : pyb::none();
  }

  pyb::dict stats() const { return stats_to_py(participant_->pipeline().stats()); }
  pyb::list routes() const { return routes_to_py(routes_); }
  std::vector<std::string> workflows() const { return workflows_->names(); }
  const std::string& name() const { return participant_->name(); }
  const std::vector<std::string>& mp_ids() const { return participant_->mp_ids(); }
  std::optional<std::string> directory() const { return directory_; }
  pyb::object now() const {
    std::lock_guard lock(clock_->mutex);
    return clock_->fixed ? to_datetime(*clock_->fixed) : pyb::none();
  }

 private:
  std::shared_ptr<SettableClock> clock_;
  std::shared_ptr<WorkflowRegistry> workflows_;  // outlives participant_ (declared before it)
  EngineContext engine_{nullptr};
  std::shared_ptr<mk::MarketTransport> transport_;
  std::shared_ptr<mk::InMemoryTransport> memory_;
  std::optional<std::string> directory_;
  std::shared_ptr<mk::InMemoryNbMasterData> master_data_;
  mk::PidRouteTable routes_;
  std::unique_ptr<mk::MarketParticipant> participant_;
};

void remove_database(const std::filesystem::path& path) {
  for (const char* suffix : {"", "-wal", "-shm", "-journal"})
    std::filesystem::remove(std::filesystem::path(path.string() + suffix));
}

pyb::dict simulate(const std::string& out_dir, std::size_t customers, std::uint64_t seed, const std::string& durability,
                   const pyb::object& first_day, const pyb::object& last_day, std::size_t old_suppliers,
                   std::size_t instants_per_unit, const std::optional<std::string>& store,
                   const std::string& schema_prefix, std::size_t instances) {
  namespace fs = std::filesystem;
  if (instants_per_unit == 0) throw pyb::value_error("instants_per_unit must be at least 1");
  if (instances == 0) throw pyb::value_error("instances must be at least 1");
  // Checked before anything is created or removed: the SQLite files are one engine's each.
  if (instances > 1 && !store)
    throw EngineError::invalid_input("instances=" + std::to_string(instances) +
                                     " needs a PostgreSQL store: instances share a participant's store, and the "
                                     "SQLite files are one engine's each");
  if (instances > 1 && instants_per_unit > 1)
    throw EngineError::invalid_input("instances=" + std::to_string(instances) +
                                     " needs instants_per_unit=1: a unit of work over several instants would hold "
                                     "its streams' rows and the log horizon against the other instances");
  mk::SimulationConfig config;
  config.instants_per_unit = instants_per_unit;
  config.instances = instances;
  config.customers = customers;
  config.seed = seed;
  config.old_suppliers = old_suppliers;
  if (!first_day.is_none()) config.first_day = to_date(first_day, "first_day");
  if (!last_day.is_none()) config.last_day = to_date(last_day, "last_day");
  const fs::path out = out_dir;
  fs::create_directories(out);
  config.exchange_dir = out / "exchange";
  const bool in_memory = durability == "memory" && !store;
  sqlite::SqliteOptions options;
  if (!in_memory && !store) options.durability = sqlite::parse_durability(durability);
  if (store && !stores::is_postgres_location(*store))
    throw EngineError::invalid_input("store: '" + *store +
                                     "' is not a PostgreSQL connection string (postgresql://... or 'host=... "
                                     "dbname=...'); the SQLite files go into out_dir");
  std::map<std::string, std::string> databases;
  auto make_engine = [&](const std::string& party, Clock clock) {
    if (in_memory) return EngineBuilder().with_clock(std::move(clock)).build();
    if (store) {
      // LF and NB in two schemas of one database, which must hold no events yet: never mixed with an earlier run.
      stores::StoreOptions pg;
      pg.postgres.schema = schema_prefix + "_" + party;
      auto opened = stores::open_store(*store, pg);
      if (const auto head = opened.events->head_position(); head > 0)
        throw EngineError::invalid_input(opened.label + " holds events already (up to position " +
                                         std::to_string(head) +
                                         "): the simulation starts from empty stores (choose "
                                         "another schema prefix, or drop the schema)");
      databases[party] = opened.label;
      return stores::engine_builder(opened).with_clock(std::move(clock)).build();
    }
    const fs::path path = out / (party + ".sqlite");
    remove_database(path);
    databases[party] = path.string();
    auto store = sqlite::SqliteStore::open(path.string(), options);
    return EngineBuilder()
        .with_event_store(store)
        .with_snapshot_store(store->snapshots())
        .with_clock(std::move(clock))
        .build();
  };
  mk::SimulationReport report;
  {
    pyb::gil_scoped_release release;
    report = mk::run_market_simulation(config, make_engine);
  }
  pyb::dict d;
  d["customers"] = customers;
  d["seed"] = seed;
  d["durability"] = durability;
  d["scenarios"] = pyb::cast(report.scenarios);
  d["expected_outcomes"] = pyb::cast(report.expected_outcomes);
  d["actual_outcomes"] = pyb::cast(report.actual_outcomes());
  d["outcomes_match"] = report.actual_outcomes() == report.expected_outcomes;
  d["lf"] = summary_to_py(report.lf);
  d["nb"] = summary_to_py(report.nb);
  d["traffic"] = pyb::cast(report.traffic);
  d["lf_pipeline"] = stats_to_py(report.lf_pipeline);
  d["nb_pipeline"] = stats_to_py(report.nb_pipeline);
  d["lf_dead_letters"] = report.lf_dead_letters;
  d["nb_dead_letters"] = report.nb_dead_letters;
  d["files_corrupted"] = report.files_corrupted;
  d["files_duplicated"] = report.files_duplicated;
  d["actions_skipped"] = report.actions_skipped;
  d["simulated_from"] = instant_to_py(report.simulated_from);
  d["simulated_to"] = instant_to_py(report.simulated_to);
  d["clock_steps"] = report.clock_steps;
  d["units_committed"] = report.units_committed;
  d["instances"] = report.instances;
  auto work = [](const std::vector<mk::PumpReport>& instances) {
    pyb::list out;
    for (const auto& r : instances) {
      pyb::dict w;
      w["deadlines_fired"] = r.deadlines_fired;
      w["files_received"] = r.files_received;
      w["messages_sent"] = r.messages_sent;
      out.append(w);
    }
    return out;
  };
  d["lf_instances"] = work(report.lf_instances);
  d["nb_instances"] = work(report.nb_instances);
  d["wall_seconds"] = report.wall_seconds;
  d["databases"] = pyb::cast(databases);
  d["exchange_dir"] = config.exchange_dir.string();
  d["text"] = mk::format_report(report);
  return d;
}

}  // namespace

void bind_market(pyb::module_& m) {
  pyb::class_<mk::InMemoryNbMasterData, std::shared_ptr<mk::InMemoryNbMasterData>>(
      m, "NbMasterData",
      "The Netzbetreiber's master data the inbound pipeline consults for a 55001: known MaLos and which supplier "
      "is assigned when ([from, until) calendar days). Kept in memory.")
      .def(pyb::init<>())
      .def("add_malo", &mk::InMemoryNbMasterData::add_malo, "malo"_a, "Makes the MaLo known (with no supplier).")
      .def(
          "assign",
          [](mk::InMemoryNbMasterData& md, const std::string& malo, const std::string& supplier,
             const pyb::object& from, const pyb::object& until) {
            std::optional<calendar::Date> end;
            if (!until.is_none()) end = to_date(until, "until");
            md.assign(malo, supplier, to_date(from, "start"), end);
          },
          "malo"_a, "supplier"_a, "start"_a, "until"_a = pyb::none(),
          "Assigns supplier to malo from start (inclusive) until (exclusive; open when None). Adds the MaLo.")
      .def(
          "assigned_supplier",
          [](const mk::InMemoryNbMasterData& md, const std::string& malo, const pyb::object& date) {
            return md.assigned_supplier(malo, to_date(date, "date"));
          },
          "malo"_a, "date"_a, "The supplier assigned to malo on date, or None.")
      .def(
          "precondition_failure",
          [](const mk::InMemoryNbMasterData& md, const std::string& malo,
             const pyb::object& date) -> std::optional<std::string> {
            auto f = md.precondition_failure(malo, to_date(date, "date"));
            if (!f) return std::nullopt;
            return f->text;
          },
          "malo"_a, "date"_a, "Why malo cannot be supplied from date (e.g. 'MaLo unbekannt'), or None.");

  pyb::class_<PyMarketParticipant>(
      m, "MarketParticipant",
      "One market partner's running engine: inbound pipeline (parse, CONTRL, inbox dedup, PID routing, APERAK), "
      "deadline scheduler and outbox worker over an Engine. Use mako_engine.market.Participant.")
      .def(pyb::init<const pyb::object&, std::string, std::vector<std::string>, const pyb::iterable&, const pyb::dict&,
                     const std::optional<std::string>&, std::shared_ptr<mk::InMemoryNbMasterData>, bool,
                     std::uint64_t>(),
           "engine"_a, "name"_a, "mp_ids"_a, "routes"_a, "python_workflows"_a, "directory"_a = pyb::none(),
           "master_data"_a = pyb::none(), "send_positive_aperak"_a = false, "jitter_seed"_a = 1)
      .def("receive", &PyMarketParticipant::receive, "data"_a, "partner"_a, "name"_a = "inbound.edi",
           "at"_a = pyb::none(),
           "Receives one EDIFACT file (bytes) from partner at instant `at` (default: the participant's clock).")
      .def("poll", &PyMarketParticipant::poll, "at"_a = pyb::none(), "Receives and settles every waiting inbound file.")
      .def("pump", &PyMarketParticipant::pump, "at"_a = pyb::none(),
           "One round at `at`: due deadlines fire, waiting files are received, due outbox messages are sent.")
      .def("drop_inbound", &PyMarketParticipant::drop_inbound, "partner"_a, "filename"_a, "data"_a,
           "Puts a file into partner's inbox (what a courier does).")
      .def("take_sent", &PyMarketParticipant::take_sent, "Files sent so far (in-memory transport), removed from it.")
      .def("next_deadline", &PyMarketParticipant::next_deadline,
           "The due time of the soonest pending deadline, or None.")
      .def("stats", &PyMarketParticipant::stats, "The inbound pipeline's counters.")
      .def("routes", &PyMarketParticipant::routes, "The PID route table (one dict per PID).")
      .def("workflows", &PyMarketParticipant::workflows, "The workflow names the participant can route to.")
      .def_property_readonly("name", &PyMarketParticipant::name)
      .def_property_readonly("mp_ids", &PyMarketParticipant::mp_ids)
      .def_property_readonly("directory", &PyMarketParticipant::directory)
      .def_property_readonly("now", &PyMarketParticipant::now, "The fixed clock instant, or None (system clock).")
      .def("set_now", &PyMarketParticipant::set_now, "at"_a, "Fixes the participant's clock at `at`.");

  m.def("market_nb_routes", [] { return routes_to_py(mk::nb_routes()); }, "The Netzbetreiber's PID routes (dicts).");
  m.def("market_lf_routes", [] { return routes_to_py(mk::lf_routes()); }, "The Lieferant's PID routes (dicts).");
  m.def(
      "market_summarize_history",
      [](const pyb::object& engine) {
        const EngineContext& ctx = engine_context(engine);
        mk::HistorySummary s;
        {
          pyb::gil_scoped_release release;
          s = mk::summarize_history(ctx.event_store());
        }
        return summary_to_py(s);
      },
      "engine"_a, "Outcomes and deadline bookkeeping read back from an engine's event history.");
  m.def("market_simulate", &simulate, "out_dir"_a, "customers"_a = 200, "seed"_a = 42, "durability"_a = "relaxed",
        "first_day"_a = pyb::none(), "last_day"_a = pyb::none(), "old_suppliers"_a = 3, "instants_per_unit"_a = 1,
        "store"_a = pyb::none(), "schema_prefix"_a = "mako_sim", "instances"_a = 1,
        "Runs the LF <-> NB market simulation into out_dir (SQLite files lf.sqlite/nb.sqlite unless durability is "
        "'memory', EDIFACT files under exchange/) and returns the report as a dict. store: a PostgreSQL connection "
        "string instead of the SQLite files: LF and NB in the schemas <schema_prefix>_lf and <schema_prefix>_nb, "
        "which must hold no events yet. instances: engine instances per participant (PostgreSQL only), each with "
        "its own connections, running at once and sharing the participant's inbound files, outbox and deadlines.");
}

}  // namespace mako::py
