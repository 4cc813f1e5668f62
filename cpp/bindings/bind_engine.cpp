// Engine and Process: the process machinery (mako::ProcessCore) driven from Python, for Python
// workflows (PyWorkflowRuntime) and built-in C++ workflows (by name, from the WorkflowRegistry).
#include <algorithm>
#include <atomic>
#include <mutex>
#include <thread>

#include <pybind11/stl.h>

#include <mako/core/deadline_store.hpp>
#include <mako/core/engine.hpp>
#include <mako/core/errors.hpp>
#include <mako/core/in_memory_event_store.hpp>
#include <mako/core/in_memory_snapshot_store.hpp>
#include <mako/core/process_registry.hpp>
#include <mako/core/runtime_stores.hpp>
#include <mako/core/workflow_registry.hpp>
#include <mako/sqlite/sqlite.hpp>
#include <mako/stores/open_store.hpp>

#include "bindings.hpp"
#include "gil.hpp"
#include "json_py.hpp"
#include "py_workflow_runtime.hpp"

namespace mako::py {

namespace pyb = pybind11;
using namespace pybind11::literals;

namespace {

// Ids given as text, for a listing filter; those that are not UUIDs match nothing, as in the file
// reader (HistoryReader). False when every given text was such an id: then nothing can match.
template <class Id>
bool parse_ids(const std::vector<std::string>& texts, std::vector<Id>& out) {
  for (const auto& t : texts) try {
      out.push_back(Id::parse(t));
    } catch (const EngineError&) {}
  return texts.empty() || !out.empty();
}

std::int64_t nanos(Timestamp t) { return static_cast<std::int64_t>(t.time_since_epoch().count()); }

// Forwards to the real store; around fold_stream it opens a FoldGilScope so that a Python
// workflow's apply takes the GIL once per fold instead of once per event.
class GilAwareEventStore final : public EventStore {
 public:
  explicit GilAwareEventStore(std::shared_ptr<EventStore> inner) : inner_(std::move(inner)) {}
  std::uint64_t append(CommitBatch& batch) override { return inner_->append(batch); }
  std::vector<std::optional<EngineError>> append_many(std::vector<CommitBatch>& batches) override {
    return inner_->append_many(batches);
  }
  std::vector<EventEnvelope> load_from(const StreamId& s, std::uint64_t after) const override {
    return inner_->load_from(s, after);
  }
  std::uint64_t fold_stream(const StreamId& s, std::uint64_t after, const EventVisitor& visit) const override {
    FoldGilScope scope;
    return inner_->fold_stream(s, after, visit);
  }
  std::uint64_t stream_version(const StreamId& s) const override { return inner_->stream_version(s); }
  StreamPage list_streams(const std::string& prefix, const std::optional<std::string>& after,
                          std::size_t limit) const override {
    return inner_->list_streams(prefix, after, limit);
  }
  std::vector<EventEnvelope> read_all(std::uint64_t after, std::size_t limit) const override {
    return inner_->read_all(after, limit);
  }
  std::uint64_t head_position() const override { return inner_->head_position(); }
  std::unique_ptr<WorkUnit> begin_work_unit(UnitNesting nesting = UnitNesting::Savepoint) override {
    return inner_->begin_work_unit(nesting);
  }
  void close() override { inner_->close(); }

 private:
  std::shared_ptr<EventStore> inner_;
};

// A Python workflow object prepared once for the engine (attributes looked up, protocol checked).
struct PythonWorkflow {
  std::shared_ptr<const PyWorkflowRuntime> runtime;
};

struct PyEngine {
  EngineContext context;
  std::string location;    // ":memory:", the database path or the PostgreSQL location (password masked)
  std::string durability;  // "memory", "durable", "relaxed"
  std::string backend;     // "memory", "sqlite", "postgresql"
  bool closed = false;

  const EngineContext& open_context() const {
    if (closed)
      throw EngineError::invalid_input("engine '" + location +
                                       "' is closed; open the database again (Engine.open) to use it");
    return context;
  }
  void close() {
    if (closed) return;
    {
      pyb::gil_scoped_release release;  // the checkpoint writes the WAL back into the file
      context.close();
    }
    closed = true;
  }
};

// Every SQLite store opened from Python, closed (checkpointed) when the interpreter exits: a Python
// workflow alive at exit keeps its process, and through it the store, alive in reference cycles
// that are not collected, and the file would be left with its commits in the -wal.
std::mutex open_stores_mutex;
std::vector<std::weak_ptr<EventStore>> open_stores;

void remember_open_store(const std::shared_ptr<EventStore>& store) {
  std::lock_guard lock(open_stores_mutex);
  std::erase_if(open_stores, [](const auto& w) { return w.expired(); });
  open_stores.push_back(store);
}

void close_open_stores() {
  std::vector<std::weak_ptr<EventStore>> stores;
  {
    std::lock_guard lock(open_stores_mutex);
    stores.swap(open_stores);
  }
  pyb::gil_scoped_release release;
  for (const auto& weak : stores)
    if (auto store = weak.lock()) {
      try {
        store->close();
      } catch (const std::exception&) {  // e.g. a unit of work still open at exit: its writes are rolled back anyway
      }
    }
}

// A unit of work held by Python (Engine.unit_of_work). It belongs to the thread that began it:
// ending it elsewhere would release SQLite's writer for the wrong thread, so that is refused.
struct PyWorkUnit {
  std::unique_ptr<WorkUnit> unit;
  std::thread::id owner = std::this_thread::get_id();

  void require_open(const char* what) const {
    if (!unit) throw EngineError::invalid_input(std::string("unit of work: ") + what + " after it ended");
    if (std::this_thread::get_id() != owner)
      throw EngineError::invalid_input(std::string("unit of work: ") + what +
                                       " on another thread than the one that began it");
  }
  void commit() {
    require_open("commit");
    {
      pyb::gil_scoped_release release;  // the COMMIT may wait for an fsync
      unit->commit();
    }
    unit.reset();
  }
  void rollback() {
    require_open("rollback");
    unit.reset();
  }
};

struct PyProcess {
  std::shared_ptr<ProcessCore> core;
  std::shared_ptr<const PyWorkflowRuntime> python;  // null for a built-in workflow
  std::shared_ptr<SnapshotStore> snapshots;
  pyb::object workflow;  // the Python workflow object, or the built-in's name

  // attempts: nullopt = execute once, else execute_with_retry with that many attempts.
  std::vector<EventEnvelope> run(const pyb::object& command, const CommandContext& context,
                                 std::optional<unsigned> attempts) {
    ProcessCore::Decider decide;
    Json json_command;
    if (python) {
      const PyWorkflowRuntime* rt = python.get();
      PyObject* cmd = command.ptr();  // kept alive by the caller's reference for the whole call
      decide = [rt, cmd](const StateBox& s) { return rt->handle_py(s, cmd); };
    } else {
      json_command = to_json(command, "command");
      const WorkflowRuntime* rt = &core->runtime();
      decide = [rt, &json_command](const StateBox& s) { return rt->handle_json(s, json_command); };
    }
    pyb::gil_scoped_release release;
    return attempts ? core->execute_with_retry(decide, context, *attempts) : core->execute(decide, context);
  }

  pyb::object state_value(std::unique_ptr<StateBox> box) const {
    if (python) return PyWorkflowRuntime::value_of(*box);
    Json json;
    {
      pyb::gil_scoped_release release;
      json = core->runtime().state_to_json(*box);
    }
    return to_python(json);
  }

  pyb::object state() {
    if (python) {
      std::unique_ptr<StateBox> box;
      {
        pyb::gil_scoped_release release;
        box = core->state();  // a deep copy: later commands do not change what the caller holds
      }
      return PyWorkflowRuntime::value_of(*box);
    }
    Json json;
    {
      pyb::gil_scoped_release release;
      core->with_state([&](const StateBox& s, std::uint64_t) { json = core->runtime().state_to_json(s); });
    }
    return to_python(json);
  }

  std::optional<std::string> status() {
    pyb::gil_scoped_release release;  // a Python workflow's status() takes the GIL itself
    return core->status();
  }

  pyb::object replay() {
    std::unique_ptr<StateBox> box;
    {
      pyb::gil_scoped_release release;
      box = core->replay();
    }
    return state_value(std::move(box));
  }

  pyb::object state_with_snapshot() {
    std::unique_ptr<StateBox> box;
    {
      pyb::gil_scoped_release release;
      box = snapshots ? core->state_with_snapshot(*snapshots) : core->replay();
    }
    return state_value(std::move(box));
  }

  bool take_snapshot(std::uint64_t interval) {
    if (!snapshots) throw EngineError::invalid_input("this engine has no snapshot store");
    pyb::gil_scoped_release release;
    return core->take_snapshot(*snapshots, interval);
  }

  std::uint64_t event_count() {
    pyb::gil_scoped_release release;
    return core->event_count();
  }
};

std::string workflow_label(const PyProcess& p) {
  return p.core->identity().workflow_id.to_string() + (p.python ? "" : " (built-in)");
}

// Spawns (no identity: a fresh process of `tenant` and `workflow_id`) or resumes a process.
PyProcess make_process(const PyEngine& engine, const pyb::object& workflow, const ProcessIdentity* identity,
                       const TenantId* tenant = nullptr, const WorkflowId* workflow_id = nullptr) {
  PyProcess p;
  const EngineContext& context = engine.open_context();
  p.snapshots = context.snapshot_store_ptr();
  std::shared_ptr<const WorkflowRuntime> runtime;
  if (PyUnicode_Check(workflow.ptr())) {
    runtime =
        std::make_shared<const InterruptibleRuntime>(WorkflowRegistry::global().get(workflow.cast<std::string>()));
    p.workflow = workflow;
  } else if (pyb::isinstance<PythonWorkflow>(workflow)) {
    p.python = workflow.cast<const PythonWorkflow&>().runtime;
    runtime = p.python;
    p.workflow = p.python->workflow();
  } else {
    p.python = std::make_shared<const PyWorkflowRuntime>(workflow);
    runtime = p.python;
    p.workflow = workflow;
  }
  p.core = identity ? context.resume(std::move(runtime), *identity)
                    : context.spawn(std::move(runtime), *tenant, *workflow_id);
  return p;
}

PyEngine in_memory_engine() {
  auto inner = std::make_shared<InMemoryEventStore>();
  auto store = std::make_shared<GilAwareEventStore>(inner);
  // The wrapper hides RuntimeStoresProvider: pass the inner store's outbox, deadlines, registry ...
  return PyEngine{EngineBuilder()
                      .with_event_store(store)
                      .with_snapshot_store(std::make_shared<InMemorySnapshotStore>())
                      .with_runtime_stores(inner->runtime_stores())
                      .build(),
                  ":memory:", "memory", "memory"};
}

// A SQLite path or a PostgreSQL connection string (mako/stores/open_store.hpp).
PyEngine open_engine(const std::string& location, const std::string& durability, double busy_timeout, bool read_only,
                     const std::optional<std::string>& schema) {
  if (!(busy_timeout >= 0)) throw EngineError::invalid_input("busy_timeout must be >= 0 seconds");
  const auto timeout = std::chrono::milliseconds(static_cast<long long>(busy_timeout * 1000.0));
  const bool postgres = stores::is_postgres_location(location);
  stores::StoreOptions options;
  if (postgres) {
    const std::string where = stores::redacted(location);
    if (durability != "durable")
      throw EngineError::invalid_input("durability '" + durability + "' applies to SQLite files, not to '" + where +
                                       "': a PostgreSQL commit is as durable as the server makes it "
                                       "(synchronous_commit); leave durability at 'durable'");
    if (read_only)
      throw EngineError::invalid_input("read_only applies to SQLite files, not to '" + where +
                                       "': connect as a PostgreSQL role without write privileges instead");
    options.postgres.lock_timeout = timeout;
    if (schema) options.postgres.schema = *schema;
  } else {
    if (schema)
      throw EngineError::invalid_input("schema applies to PostgreSQL locations; '" + location + "' is a SQLite path");
    options.sqlite.durability = sqlite::parse_durability(durability);
    options.sqlite.busy_timeout = timeout;
    options.sqlite.read_only = read_only;
  }
  stores::OpenedStore store;
  {
    pyb::gil_scoped_release release;
    store = stores::open_store(location, options);
  }
  remember_open_store(store.events);
  // The wrapper hides RuntimeStoresProvider: pass the store's outbox, deadlines, registry ... (when it holds them).
  RuntimeStores runtime;
  if (auto* provider = dynamic_cast<RuntimeStoresProvider*>(store.events.get())) runtime = provider->runtime_stores();
  auto context = EngineBuilder()
                     .with_event_store(std::make_shared<GilAwareEventStore>(store.events))
                     .with_snapshot_store(store.snapshots)
                     .with_runtime_stores(std::move(runtime))
                     .build();
  if (postgres) return PyEngine{std::move(context), stores::redacted(location), durability, "postgresql"};
  return PyEngine{std::move(context), location, durability, "sqlite"};
}

const char* kProcessDoc =
    "One process: a stream of events folded by its workflow. execute() folds the events appended since "
    "the last call, lets the workflow decide and appends with optimistic concurrency. Obtain it from "
    "Engine.spawn() or Engine.resume().";

}  // namespace

const EngineContext& engine_context(pyb::handle engine) {
  if (!pyb::isinstance<PyEngine>(engine)) throw pyb::type_error("a mako_engine._core.Engine is required");
  return engine.cast<const PyEngine&>().open_context();
}

std::shared_ptr<const WorkflowRuntime> python_workflow_runtime(pyb::handle workflow) {
  if (pyb::isinstance<PythonWorkflow>(workflow)) return workflow.cast<const PythonWorkflow&>().runtime;
  return std::make_shared<const PyWorkflowRuntime>(pyb::reinterpret_borrow<pyb::object>(workflow));
}

void bind_engine(pyb::module_& m) {
  pyb::class_<PythonWorkflow>(m, "PythonWorkflow",
                              "A Python workflow object prepared for the engine: its initial_state/apply/handle (and "
                              "optional upcast, event_types, state_schema_version ...) are looked up once.")
      .def(pyb::init([](pyb::object workflow) {
             return PythonWorkflow{std::make_shared<const PyWorkflowRuntime>(std::move(workflow))};
           }),
           "workflow"_a)
      .def_property_readonly("workflow", [](const PythonWorkflow& w) { return w.runtime->workflow(); })
      .def_property_readonly("state_schema_version",
                             [](const PythonWorkflow& w) { return w.runtime->state_schema_version(); })
      .def("__repr__", [](const PythonWorkflow& w) {
        return "PythonWorkflow(" + std::string(pyb::repr(w.runtime->workflow())) + ")";
      });

  // dynamic_attr: mako_engine.Engine records itself on its processes (process.history() reads through it).
  pyb::class_<PyProcess>(m, "Process", kProcessDoc, pyb::dynamic_attr())
      .def(
          "execute", [](PyProcess& p, const pyb::object& cmd) { return p.run(cmd, {}, std::nullopt); }, "command"_a,
          "Executes a command and returns the stamped events it appended (an empty list when the workflow "
          "decided on none). A refusal raises the matching WorkflowError subclass; nothing is written then.")
      .def(
          "execute_with",
          [](PyProcess& p, const pyb::object& cmd, const CommandContext& ctx) { return p.run(cmd, ctx, std::nullopt); },
          "command"_a, "context"_a, "Like execute(), stamping the events with the given CommandContext.")
      .def(
          "execute_with_retry",
          [](PyProcess& p, const pyb::object& cmd, unsigned max_attempts, std::optional<CommandContext> ctx) {
            return p.run(cmd, ctx.value_or(CommandContext{}), max_attempts);
          },
          "command"_a, "max_attempts"_a = 3, "context"_a = pyb::none(),
          "Like execute(), retrying version conflicts (and only those) up to max_attempts attempts in total, with "
          "a reload and a short jittered pause; every attempt uses the same correlation id.")
      .def("state", &PyProcess::state,
           "The current state: the workflow's state object (a deep copy) for a Python workflow, the state JSON as a "
           "dict for a built-in C++ workflow.")
      .def("status", &PyProcess::status,
           "The process's status as its workflow names it (e.g. 'confirmed', 'awaiting answer'): the workflow's "
           "status(state) of the current state; None when the workflow defines no status.")
      .def("replay", &PyProcess::replay, "The state from a full replay of the stream (no cache, no snapshot).")
      .def("state_with_snapshot", &PyProcess::state_with_snapshot,
           "The state folded from the engine's snapshot of this stream (when its state schema version matches) "
           "plus the events after it.")
      .def("take_snapshot", &PyProcess::take_snapshot, "interval"_a,
           "Saves a snapshot in the engine's snapshot store when interval > 0 and at least `interval` events were "
           "appended since the last one. Returns whether it saved.")
      .def("event_count", &PyProcess::event_count, "The number of events in the stream.")
      .def(
          "identity", [](const PyProcess& p) { return p.core->identity(); },
          "The ProcessIdentity; persist identity().to_json() to resume after a restart.")
      .def_property_readonly("stream_id", [](const PyProcess& p) { return p.core->identity().stream_id.str(); })
      .def_property_readonly("process_id", [](const PyProcess& p) { return p.core->identity().process_id; })
      .def_property_readonly("tenant_id", [](const PyProcess& p) { return p.core->identity().tenant_id; })
      .def_property_readonly("workflow_id", [](const PyProcess& p) { return p.core->identity().workflow_id; })
      .def_property_readonly(
          "workflow", [](const PyProcess& p) { return p.workflow; },
          "The Python workflow object, or the name of the built-in workflow.")
      .def_property_readonly(
          "is_builtin", [](const PyProcess& p) { return !p.python; },
          "Whether the workflow is a built-in C++ workflow.")
      .def(
          "invalidate", [](PyProcess& p) { p.core->invalidate(); },
          "Drops the cached state; the next call folds again from the snapshot store or the first event.")
      .def("__repr__", [](PyProcess& p) {
        return "<Process " + workflow_label(p) + " stream_id='" + p.core->identity().stream_id.str() +
               "' events=" + std::to_string(p.event_count()) + ">";
      });

  pyb::class_<PyWorkUnit>(m, "WorkUnit",
                          "A unit of work begun by Engine.begin_work_unit(): everything this thread writes until "
                          "commit() is one transaction (SQLite). Use mako_engine.Engine.unit_of_work() instead.")
      .def("commit", &PyWorkUnit::commit, "Makes the unit's writes permanent.")
      .def("rollback", &PyWorkUnit::rollback, "Discards the unit's writes (SQLite; in memory they stay).")
      .def_property_readonly("open", [](const PyWorkUnit& u) { return static_cast<bool>(u.unit); });

  pyb::class_<PyEngine>(m, "Engine",
                        "The engine: an event store, a snapshot store and a clock. Use Engine.open(path) for a SQLite "
                        "file (the default), Engine.open('postgresql://...') for a PostgreSQL database or "
                        "Engine.in_memory().")
      .def_static("in_memory", &in_memory_engine, "An engine keeping events and snapshots in process memory.")
      .def_static("open", &open_engine, "location"_a, "durability"_a = "durable", pyb::kw_only(),
                  "busy_timeout"_a = 5.0, "read_only"_a = false, "schema"_a = pyb::none(),
                  "Opens (creating if needed) the store at location: a PostgreSQL connection string "
                  "(postgresql://..., postgres://... or libpq's 'host=... dbname=...') or else the path of a SQLite "
                  "file; snapshots live in the same file or schema. SQLite: durability 'durable' (fsync on commit), "
                  "'relaxed' (WAL, no fsync per commit; survives process crashes, not power loss) or 'memory'; "
                  "read_only. PostgreSQL: schema (default 'mako'). busy_timeout in seconds: how long a write waits "
                  "for another writer's lock.")
      .def(
          "spawn",
          [](const PyEngine& e, const pyb::object& workflow, const TenantId& tenant, const WorkflowId& workflow_id) {
            return make_process(e, workflow, nullptr, &tenant, &workflow_id);
          },
          "workflow"_a, "tenant"_a, "workflow_id"_a,
          "Starts a new process (fresh ProcessId) of `workflow`: a built-in's name, a PythonWorkflow or a workflow "
          "object. (mako_engine.Engine.spawn fills in defaults.)")
      .def(
          "resume",
          [](const PyEngine& e, const pyb::object& workflow, const ProcessIdentity& identity) {
            return make_process(e, workflow, &identity);
          },
          "workflow"_a, "identity"_a,
          "Re-attaches to an existing process; raises NotFound when the store has no event of it (spawn starts a "
          "process).")
      .def(
          "begin_work_unit",
          [](const PyEngine& e) {
            auto unit = std::make_unique<PyWorkUnit>();
            pyb::gil_scoped_release release;  // BEGIN IMMEDIATE may wait for another writer
            unit->unit = e.open_context().begin_work_unit();
            return unit;
          },
          "Begins a unit of work for this thread (see WorkUnit).")
      .def_property_readonly(
          "location", [](const PyEngine& e) { return e.location; },
          "The database path, the PostgreSQL connection string (password masked), or ':memory:'.")
      .def_property_readonly(
          "backend", [](const PyEngine& e) { return e.backend; }, "'sqlite', 'postgresql' or 'memory'.")
      .def_property_readonly("durability", [](const PyEngine& e) { return e.durability; })
      .def(
          "load_stream",
          [](const PyEngine& e, const std::string& stream, std::uint64_t after) {
            StreamId id(stream);
            pyb::gil_scoped_release release;
            return e.open_context().event_store().load_from(id, after);
          },
          "stream_id"_a, "after_sequence"_a = 0, "The stream's events with sequence_number > after_sequence.")
      .def(
          "stream_version",
          [](const PyEngine& e, const std::string& stream) {
            StreamId id(stream);
            pyb::gil_scoped_release release;
            return e.open_context().event_store().stream_version(id);
          },
          "stream_id"_a, "The number of events in the stream (0 when it does not exist).")
      .def(
          "read_all",
          [](const PyEngine& e, std::uint64_t after, std::size_t limit) {
            pyb::gil_scoped_release release;
            return e.open_context().event_store().read_all(after, limit);
          },
          "after_position"_a = 0, "limit"_a = 1000, "Events of all streams after a global position, in commit order.")
      .def(
          "list_streams",
          [](const PyEngine& e, const std::string& prefix, std::optional<std::string> after, std::size_t limit) {
            StreamPage page;
            {
              pyb::gil_scoped_release release;
              page = e.open_context().event_store().list_streams(prefix, after, limit);
            }
            std::vector<std::string> ids;
            for (const auto& s : page.streams) ids.push_back(s.str());
            return std::make_pair(ids, page.next_cursor);
          },
          "prefix"_a = "", "after"_a = pyb::none(), "limit"_a = 1000,
          "One page of stream ids starting with prefix: (stream_ids, next_cursor or None).")
      .def(
          "head_position",
          [](const PyEngine& e) {
            pyb::gil_scoped_release release;
            return e.open_context().event_store().head_position();
          },
          "The highest global position committed so far.")
      .def(
          "runtime_counts",
          [](const PyEngine& e) {
            const EngineContext& context = e.open_context();
            std::size_t pending = 0, dead_messages = 0, dead_letters = 0;
            {
              pyb::gil_scoped_release release;
              if (const auto& outbox = context.outbox()) {
                pending = outbox->pending_count();
                dead_messages = outbox->dead_letters().size();
              }
              if (const auto& sink = context.dead_letters()) dead_letters = sink->count();
            }
            pyb::dict out;
            out["outbox_pending"] = pending;
            out["outbox_dead"] = dead_messages;
            out["dead_letters"] = dead_letters;
            return out;
          },
          "What waits and what was given up: outbox messages not yet delivered (outbox_pending), outbox messages "
          "given up after too many attempts (outbox_dead), dead letters of unroutable or refused input (dead_letters).")
      .def(
          "runtime_stores",
          [](const PyEngine& e) {
            const RuntimeStores& r = e.open_context().runtime_stores();
            std::vector<std::string> names;
            if (r.outbox) names.emplace_back("outbox");
            if (r.deadlines) names.emplace_back("deadlines");
            if (r.registry) names.emplace_back("registry");
            if (r.inbox) names.emplace_back("inbox");
            if (r.dead_letters) names.emplace_back("dead_letters");
            if (r.checkpoints) names.emplace_back("checkpoints");
            return names;
          },
          "The runtime stores the engine holds, of outbox, deadlines, registry, inbox, dead_letters, checkpoints: "
          "those its store provides (the market participants need the first five).")
      .def(
          "registry_keys",
          [](const PyEngine& e, const std::string& stream) {
            const auto& registry = e.context.registry();
            std::vector<std::pair<std::string, std::string>> out;
            if (!registry) return out;
            StreamId id(stream);
            pyb::gil_scoped_release release;
            for (auto& entry : registry->keys_of(id)) out.emplace_back(std::move(entry.kind), std::move(entry.key));
            return out;
          },
          "stream_id"_a,
          "The (kind, key) pairs the stream's process registered (e.g. ('malo', <MaLo-ID>)), in registration order.")
      .def(
          "list_deadlines",
          [](const PyEngine& e, const std::vector<std::string>& tenants, const std::vector<std::string>& workflows,
             const std::vector<std::string>& processes, const std::vector<std::string>& names,
             std::optional<std::int64_t> since_ns, std::optional<std::int64_t> until_ns) {
            pyb::list rows;
            const auto& store = e.open_context().deadlines();
            if (!store) return rows;
            DeadlineQuery query;
            if (!parse_ids(tenants, query.tenants) || !parse_ids(processes, query.processes)) return rows;
            query.workflows = workflows;
            query.names = names;
            if (since_ns) query.due_since = Timestamp(std::chrono::nanoseconds(*since_ns));
            if (until_ns) query.due_until = Timestamp(std::chrono::nanoseconds(*until_ns));
            std::vector<DeadlineItem> items;
            {
              pyb::gil_scoped_release release;
              items = store->list(query);
            }
            const auto ns = nanos;
            const pyb::object null = pyb::none();
            for (const auto& d : items) {
              const auto& p = d.process;
              rows.append(pyb::make_tuple(
                  d.stream_id.str(), p ? pyb::cast(p->process_id.to_string()) : null,
                  p ? pyb::cast(p->tenant_id.to_string()) : null, p ? pyb::cast(p->workflow_id.name()) : null, d.name,
                  ns(d.due), deadline_status_name(d.status), d.fired_at ? pyb::cast(ns(*d.fired_at)) : null,
                  ns(d.created_at), d.outcome.empty() ? null : pyb::cast(d.outcome), d.command.dump()));
            }
            return rows;
          },
          "tenants"_a = std::vector<std::string>{}, "workflows"_a = std::vector<std::string>{},
          "processes"_a = std::vector<std::string>{}, "names"_a = std::vector<std::string>{},
          "since_ns"_a = pyb::none(), "until_ns"_a = pyb::none(),
          "Every deadline of the engine's deadline store in any status (pending, claimed, fired, moot, failed, "
          "cancelled), by due time: one tuple (stream_id, process_id, tenant_id, workflow, name, due_ns, status, "
          "fired_at_ns, created_at_ns, outcome, command_json) each; process_id, tenant_id and workflow are None for "
          "a stream without events, fired_at_ns and outcome None when unset. Filters: tenant ids, workflow names, "
          "process ids, deadline names (empty lists: all; ids that are not UUIDs match nothing) and [since_ns, "
          "until_ns) on the due time (ns since the Unix epoch, UTC). Empty for an engine without a deadline store.")
      .def(
          "list_registry",
          [](const PyEngine& e, const std::vector<std::string>& tenants, const std::vector<std::string>& processes) {
            pyb::list rows;
            const auto& registry = e.open_context().registry();
            if (!registry) return rows;
            RegistryQuery query;
            if (!parse_ids(tenants, query.tenants) || !parse_ids(processes, query.processes)) return rows;
            std::vector<RegisteredKey> entries;
            {
              pyb::gil_scoped_release release;
              entries = registry->list(query);
            }
            const pyb::object null = pyb::none();
            for (const auto& r : entries) {
              const auto& p = r.process;
              rows.append(pyb::make_tuple(r.stream_id.str(), p ? pyb::cast(p->process_id.to_string()) : null,
                                          p ? pyb::cast(p->tenant_id.to_string()) : null,
                                          p ? pyb::cast(p->workflow_id.name()) : null, r.entry.kind, r.entry.key,
                                          nanos(r.created_at)));
            }
            return rows;
          },
          "tenants"_a = std::vector<std::string>{}, "processes"_a = std::vector<std::string>{},
          "Every entry of the engine's process registry, by registration time: one tuple (stream_id, process_id, "
          "tenant_id, workflow, kind, key, created_at_ns) each. Filters: tenant ids and process ids (empty lists: all; "
          "ids that are not UUIDs match nothing). Empty for an engine without a registry.")
      .def("close", &PyEngine::close,
           "Closes the engine: a SQLite file gets its WAL written back and truncated (the .sqlite file alone then "
           "holds everything) and its connections closed. Idempotent; afterwards every use of the engine, and of "
           "its processes' store, raises InvalidInput.")
      .def_property_readonly(
          "closed", [](const PyEngine& e) { return e.closed; }, "Whether close() was called.")
      .def("__repr__", [](const PyEngine& e) {
        return "<Engine location='" + e.location + "' durability='" + e.durability + "'" + (e.closed ? " closed" : "") +
               ">";
      });

  m.def("is_postgres_location", &stores::is_postgres_location, "location"_a,
        "Whether Engine.open takes location as a PostgreSQL connection string (postgresql://..., postgres://... or "
        "libpq's key=value form starting with a libpq keyword) rather than a SQLite path.");
  m.def("postgres_supported", &stores::postgres_supported,
        "Whether this build holds the PostgreSQL store (libpq was found when it was built).");
  m.def("redacted_location", &stores::redacted, "location"_a,
        "The location with a PostgreSQL password masked (***), for messages.");

  m.def("_close_open_stores", &close_open_stores,
        "Closes (checkpoints) every SQLite store opened by Engine.open that is still open; registered with atexit.");
  pyb::module_::import("atexit").attr("register")(m.attr("_close_open_stores"));

  m.def(
      "_execute_from_native_threads",
      [](PyProcess& p, const pyb::object& command, unsigned threads, unsigned per_thread) {
        // Test hook: C++ threads (no Python thread state) drive the process, each calling into the
        // Python workflow per_thread times with retries. Returns the number of events appended.
        std::atomic<std::uint64_t> appended{0};
        std::vector<std::exception_ptr> errors(threads);
        const PyWorkflowRuntime* rt = p.python.get();
        const WorkflowRuntime* any = &p.core->runtime();
        Json json_command = rt ? Json() : to_json(command, "command");
        PyObject* cmd = command.ptr();
        {
          pyb::gil_scoped_release release;
          std::vector<std::thread> pool;
          for (unsigned t = 0; t < threads; ++t)
            pool.emplace_back([&, t] {
              try {
                for (unsigned i = 0; i < per_thread; ++i) {
                  auto events = p.core->execute_with_retry(
                      [&](const StateBox& s) { return rt ? rt->handle_py(s, cmd) : any->handle_json(s, json_command); },
                      {}, 1000);
                  appended += events.size();
                }
              } catch (...) {
                errors[t] = std::current_exception();
              }
            });
          for (auto& th : pool) th.join();
        }
        for (auto& e : errors)
          if (e) std::rethrow_exception(e);
        return appended.load();
      },
      "process"_a, "command"_a, "threads"_a, "per_thread"_a);
  m.def("_foreign_thread_states_created", &foreign_thread_states_created,
        "Test hook: persistent Python thread states created for C++ threads so far.");
}

}  // namespace mako::py
