// History for analysts: mako::sqlite::HistoryReader's column tables as numpy arrays (zero-copy: each
// array owns its C++ vector through a capsule), turned into pandas DataFrames by
// mako_engine.history. Also a bulk importer of synthetic histories (tests, benchmarks, demo data).
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <chrono>
#include <map>

#include <mako/core/deadline_store.hpp>
#include <mako/core/errors.hpp>
#include <mako/core/event_store.hpp>
#include <mako/core/runtime_stores.hpp>
#include <mako/core/workflow_registry.hpp>
#include <mako/sqlite/event_columns.hpp>
#include <mako/sqlite/sqlite_store.hpp>
#include <mako/stores/open_store.hpp>

#include "bindings.hpp"

namespace mako::py {

namespace pyb = pybind11;
using namespace pybind11::literals;

namespace {

// A numpy array over the vector's memory; the capsule deletes the vector with the array.
template <class T>
pyb::array_t<T> to_numpy(std::vector<T>&& values) {
  auto* holder = new std::vector<T>(std::move(values));
  pyb::capsule owner(holder, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return pyb::array_t<T>({static_cast<pyb::ssize_t>(holder->size())}, {static_cast<pyb::ssize_t>(sizeof(T))},
                         holder->data(), owner);
}

pyb::array_t<std::uint8_t> bytes_to_numpy(std::string&& bytes) {
  auto* holder = new std::string(std::move(bytes));
  pyb::capsule owner(holder, [](void* p) { delete static_cast<std::string*>(p); });
  return pyb::array_t<std::uint8_t>({static_cast<pyb::ssize_t>(holder->size())}, {pyb::ssize_t{1}},
                                    reinterpret_cast<const std::uint8_t*>(holder->data()), owner);
}

pyb::object validity(std::vector<std::uint8_t>&& valid) {
  if (valid.empty()) return pyb::none();
  return to_numpy(std::move(valid));
}

// {"rows": n, "columns": [(name, "int64", values, valid|None) | (name, "category", codes, categories)
//                         | (name, "text", data(uint8), offsets(int64, rows+1), valid|None)]}
pyb::dict to_python(sqlite::ColumnTable&& table) {
  pyb::list columns;
  for (auto& column : table.columns) {
    std::visit(
        [&](auto& c) {
          using C = std::decay_t<decltype(c)>;
          if constexpr (std::is_same_v<C, sqlite::Int64Column>) {
            columns.append(
                pyb::make_tuple(column.name, "int64", to_numpy(std::move(c.values)), validity(std::move(c.valid))));
          } else if constexpr (std::is_same_v<C, sqlite::CategoryColumn>) {
            pyb::list categories;
            for (const auto& s : c.categories) categories.append(pyb::str(s));
            columns.append(pyb::make_tuple(column.name, "category", to_numpy(std::move(c.codes)), categories));
          } else {
            columns.append(pyb::make_tuple(column.name, "text", bytes_to_numpy(std::move(c.data)),
                                           to_numpy(std::move(c.offsets)), validity(std::move(c.valid))));
          }
        },
        column.values);
  }
  pyb::dict out;
  out["rows"] = table.rows;
  out["columns"] = columns;
  return out;
}

sqlite::HistoryFilter make_filter(std::vector<std::string> tenants, std::vector<std::string> workflows,
                                  std::vector<std::string> streams, std::vector<std::string> processes,
                                  std::vector<std::string> types, std::optional<std::int64_t> since,
                                  std::optional<std::int64_t> until, bool payload) {
  sqlite::HistoryFilter f;
  f.tenants = std::move(tenants);
  f.workflows = std::move(workflows);
  f.streams = std::move(streams);
  f.processes = std::move(processes);
  f.event_types = std::move(types);
  f.since_ns = since;
  f.until_ns = until;
  f.payload = payload;
  return f;
}

using Reader = sqlite::HistoryReader;
using Query = sqlite::ColumnTable (Reader::*)(const sqlite::HistoryFilter&);

template <Query query>
pyb::dict run(Reader& r, std::vector<std::string> tenants, std::vector<std::string> workflows,
              std::vector<std::string> streams, std::vector<std::string> processes, std::vector<std::string> types,
              std::optional<std::int64_t> since, std::optional<std::int64_t> until, bool payload) {
  auto filter = make_filter(std::move(tenants), std::move(workflows), std::move(streams), std::move(processes),
                            std::move(types), since, until, payload);
  sqlite::ColumnTable table;
  {
    pyb::gil_scoped_release release;
    table = (r.*query)(filter);
  }
  return to_python(std::move(table));
}

// (kind, key, suffix) alternatives, see sqlite::KeyMatch.
using KeyMatchRow = std::tuple<std::string, std::string, bool>;

pyb::dict registry(Reader& r, const std::vector<KeyMatchRow>& matches, std::vector<std::string> tenants,
                   std::vector<std::string> workflows, std::vector<std::string> streams,
                   std::vector<std::string> processes) {
  auto filter = make_filter(std::move(tenants), std::move(workflows), std::move(streams), std::move(processes), {},
                            std::nullopt, std::nullopt, false);
  std::vector<sqlite::KeyMatch> keys;
  for (const auto& [kind, key, suffix] : matches) {
    if (key.empty()) throw EngineError::invalid_input("a registry key to match must not be empty");
    keys.push_back(sqlite::KeyMatch{kind, key, suffix});
  }
  sqlite::ColumnTable table;
  {
    pyb::gil_scoped_release release;
    table = r.registry(filter, keys);
  }
  return to_python(std::move(table));
}

// processes(): the status from each stream's workflow -- the Python workflows given by name
// (PythonWorkflow objects), then, when `builtin`, the registered built-in C++ workflows.
pyb::dict processes(Reader& r, std::vector<std::string> tenants, std::vector<std::string> workflows,
                    std::vector<std::string> streams, std::vector<std::string> process_ids,
                    std::vector<std::string> statuses, std::optional<std::int64_t> since,
                    std::optional<std::int64_t> until, const pyb::dict& python_workflows, bool builtin) {
  auto filter = make_filter(std::move(tenants), std::move(workflows), std::move(streams), std::move(process_ids),
                            std::move(statuses), since, until, false);
  std::map<std::string, std::shared_ptr<const WorkflowRuntime>> python;
  for (const auto& [name, workflow] : python_workflows)
    python[name.cast<std::string>()] = python_workflow_runtime(workflow);
  sqlite::WorkflowLookup lookup = [python = std::move(python),
                                   builtin](const std::string& name) -> std::shared_ptr<const WorkflowRuntime> {
    if (auto it = python.find(name); it != python.end()) return it->second;
    if (builtin && WorkflowRegistry::global().contains(name)) return WorkflowRegistry::global().get(name);
    return nullptr;
  };
  sqlite::ColumnTable table;
  {
    pyb::gil_scoped_release release;  // a Python workflow's apply/status take the GIL themselves
    table = r.processes(filter, lookup);
  }
  return to_python(std::move(table));
}

DeadlineStatus parse_status(const std::string& s) {
  if (const auto st = deadline_status_from_name(s)) return *st;
  throw EngineError::invalid_input("unknown deadline status '" + s + "'");
}

Timestamp at_ns(std::int64_t ns) { return Timestamp(std::chrono::nanoseconds(ns)); }

// One deadline to import: (tenant, process, name, due_ns, status, fired_at_ns | None, outcome).
using DeadlineRow = std::tuple<std::string, std::string, std::string, std::int64_t, std::string,
                               std::optional<std::int64_t>, std::string>;

// Appends a synthetic history: events given column-wise, consecutive rows of one (tenant, process)
// form one commit; deadlines are committed with their process's last commit and then brought to
// their status through the deadline store (claim + mark_fired), as a scheduler would.
std::size_t import_history(const std::string& path, const std::string& workflow, const std::string& format_version,
                           const std::vector<std::string>& tenants, const std::vector<std::string>& processes,
                           const std::vector<std::string>& event_types, const std::vector<std::int64_t>& timestamps,
                           const std::vector<std::string>& payloads, const std::vector<DeadlineRow>& deadlines,
                           std::size_t commits_per_txn, const std::optional<std::string>& schema) {
  const std::size_t n = event_types.size();
  if (tenants.size() != n || processes.size() != n || timestamps.size() != n || payloads.size() != n)
    throw EngineError::invalid_input("_import_history: the event columns differ in length");
  pyb::gil_scoped_release release;
  stores::StoreOptions options;
  options.sqlite.durability = sqlite::Durability::Relaxed;
  if (schema) options.postgres.schema = *schema;
  const auto store = stores::open_store(path, options).events;
  const WorkflowId wf(workflow, FormatVersion::parse(format_version));

  std::map<std::pair<std::string, std::string>, std::vector<DeadlineRequest>> pending_deadlines;
  for (const auto& [tenant, process, name, due, status, fired, outcome] : deadlines)
    pending_deadlines[{tenant, process}].push_back(
        DeadlineRequest{name, at_ns(due), Json{{"type", "DeadlineReached"}, {"data", {{"name", name}}}}});
  std::map<std::pair<std::string, std::string>, std::size_t> last_row;  // where each process's deadlines go
  for (std::size_t i = 0; i < n; ++i) last_row[{tenants[i], processes[i]}] = i;

  std::vector<CommitBatch> batches;
  std::size_t written = 0;
  auto flush = [&] {
    for (auto& e : store->append_many(batches))
      if (e) throw *e;
    batches.clear();
  };
  for (std::size_t i = 0; i < n;) {
    const TenantId tenant = TenantId::parse(tenants[i]);
    const ProcessId process = ProcessId::parse(processes[i]);
    CommitBatch batch;
    batch.stream_id = StreamId::for_process(tenant, process);
    const auto conversation = ConversationId::generate();
    std::size_t j = i;
    for (; j < n && tenants[j] == tenants[i] && processes[j] == processes[i]; ++j) {
      EventEnvelope e;
      e.event_id = EventId::generate();
      e.stream_id = batch.stream_id;
      e.timestamp = at_ns(timestamps[j]);
      e.conversation_id = conversation;
      e.process_id = process;
      e.tenant_id = tenant;
      e.workflow_id = wf;
      e.event_type = event_types[j];
      e.payload = Json::parse(payloads[j]);
      batch.events.push_back(std::move(e));
    }
    if (last_row[{tenants[i], processes[i]}] == j - 1)
      if (auto it = pending_deadlines.find({tenants[i], processes[i]}); it != pending_deadlines.end())
        batch.deadlines = std::move(it->second);
    written += j - i;
    batches.push_back(std::move(batch));
    if (batches.size() >= commits_per_txn) flush();
    i = j;
  }
  if (!batches.empty()) flush();

  auto* provider = dynamic_cast<RuntimeStoresProvider*>(store.get());
  const auto deadline_store = provider ? provider->runtime_stores().deadlines : nullptr;
  if (!deadline_store && !deadlines.empty())
    throw EngineError::invalid_input("_import_history: the store at '" + stores::redacted(path) +
                                     "' keeps no deadlines");
  for (const auto& [tenant, process, name, due, status, fired, outcome] : deadlines) {
    const auto st = parse_status(status);
    if (st == DeadlineStatus::Pending) continue;
    const auto stream = StreamId::for_process(TenantId::parse(tenant), ProcessId::parse(process));
    auto item = deadline_store->find(stream, name);
    if (!item)
      throw EngineError(EngineError::Kind::NotFound,
                        "_import_history: deadline '" + name + "' of a process without events");
    if (st == DeadlineStatus::Cancelled) {
      deadline_store->cancel(stream, name);
      continue;
    }
    deadline_store->claim(item->id, at_ns(fired.value_or(due)));
    if (st != DeadlineStatus::Claimed) deadline_store->mark_fired(item->id, st, outcome);
  }
  return written;
}

}  // namespace

void bind_history(pyb::module_& m) {
  pyb::class_<Reader>(
      m, "HistoryReader",
      "Column-wise reads of a mako SQLite file over its own read-only connection (never blocks a writer). "
      "Each query returns {'rows': n, 'columns': [...]} of numpy arrays; use mako_engine.history for DataFrames.")
      .def(pyb::init([](const std::string& path) {
             pyb::gil_scoped_release release;
             return std::make_unique<Reader>(path);
           }),
           "path"_a)
      .def_property_readonly("path", &Reader::path)
      .def_property_readonly("schema_version", &Reader::schema_version)
      .def("events", &run<&Reader::events>, "tenants"_a = std::vector<std::string>{},
           "workflows"_a = std::vector<std::string>{}, "streams"_a = std::vector<std::string>{},
           "processes"_a = std::vector<std::string>{}, "event_types"_a = std::vector<std::string>{},
           "since_ns"_a = pyb::none(), "until_ns"_a = pyb::none(), "payload"_a = true,
           "One row per event in commit order (see mako/sqlite/event_columns.hpp).")
      .def(
          "processes", &processes, "tenants"_a = std::vector<std::string>{}, "workflows"_a = std::vector<std::string>{},
          "streams"_a = std::vector<std::string>{}, "processes"_a = std::vector<std::string>{},
          "statuses"_a = std::vector<std::string>{}, "since_ns"_a = pyb::none(), "until_ns"_a = pyb::none(),
          "python_workflows"_a = pyb::dict(), "builtin"_a = true,
          "One row per stream: identity, status (the workflow's status of the folded state, 'unknown' when the workflow "
          "is not known: python_workflows maps names to PythonWorkflow objects; builtin adds the registered C++ "
          "workflows), last event type, event count, first/last event time.")
      .def("deadlines", &run<&Reader::deadlines>, "tenants"_a = std::vector<std::string>{},
           "workflows"_a = std::vector<std::string>{}, "streams"_a = std::vector<std::string>{},
           "processes"_a = std::vector<std::string>{}, "names"_a = std::vector<std::string>{},
           "since_ns"_a = pyb::none(), "until_ns"_a = pyb::none(), "payload"_a = false,
           "One row per registered deadline: stream identity, name, due, status, fired_at, outcome, command.")
      .def("registry", &registry, "matches"_a = std::vector<KeyMatchRow>{}, "tenants"_a = std::vector<std::string>{},
           "workflows"_a = std::vector<std::string>{}, "streams"_a = std::vector<std::string>{},
           "processes"_a = std::vector<std::string>{},
           "One row per registry entry matching any of `matches` ((kind, key, suffix) tuples: kind '' = any kind; "
           "suffix=True matches keys ending in key; none = all entries): stream identity, kind, key, created_at.");

  m.def("_import_history", &import_history, "path"_a, "workflow"_a, "format_version"_a, "tenants"_a, "processes"_a,
        "event_types"_a, "timestamps_ns"_a, "payloads"_a, "deadlines"_a = std::vector<DeadlineRow>{},
        "commits_per_transaction"_a = 1000, "schema"_a = pyb::none(),
        "Test/demo hook: appends a synthetic history given column-wise (consecutive rows of one tenant+process are one "
        "commit, timestamps as given) plus deadlines brought to a status, into the SQLite file or PostgreSQL store "
        "(its schema, default 'mako') at path. Returns the number of events written.");
}

}  // namespace mako::py
