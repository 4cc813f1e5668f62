#pragma once
// Column-wise reads of a mako SQLite file for analysis (pandas, Arrow, CSV): the event log, one row
// per process, and the deadlines table, each as a handful of column vectors instead of one object
// per row. Strings from small sets (event types, workflows, tenants, stream ids ...) come
// dictionary-encoded (int32 codes + the list of distinct values); free text (payload JSON) as one
// contiguous buffer plus offsets; times as int64 nanoseconds since the Unix epoch (UTC).
//
// HistoryReader opens its **own read-only connection** (SQLITE_OPEN_READONLY) on the file: in WAL
// mode it reads a consistent snapshot while writers go on committing, and it never takes a write
// lock, so it can run next to a live engine (or several) on the same file. It never migrates: a file
// of an older schema is read as it is, a newer one is refused.
//
// Generic on purpose: it knows streams, events, deadlines and registry keys, nothing of MaKo. A
// process's status comes from its workflow (WorkflowRuntime::status), folded here when the caller
// names the workflows it knows. The Python package (mako_engine.history / mako_engine.deadlines)
// adds the domain interpretation on top.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "mako/core/workflow_runtime.hpp"

namespace mako::sqlite {

namespace detail {
class Connection;
}

// int64 values; `valid` is empty when no value is null, else one byte per row (1 = present).
struct Int64Column {
  std::vector<std::int64_t> values;
  std::vector<std::uint8_t> valid;
};

// Strings from a small set: row i is categories[codes[i]], or null when codes[i] == -1.
struct CategoryColumn {
  std::vector<std::int32_t> codes;
  std::vector<std::string> categories;
};

// Arbitrary strings in one buffer: row i is data[offsets[i], offsets[i + 1]) (offsets has rows + 1
// entries, the Arrow "large string" layout); `valid` as in Int64Column.
struct TextColumn {
  std::string data;
  std::vector<std::int64_t> offsets{0};
  std::vector<std::uint8_t> valid;
};

struct Column {
  std::string name;
  std::variant<Int64Column, CategoryColumn, TextColumn> values;
};

struct ColumnTable {
  std::size_t rows = 0;
  std::vector<Column> columns;
  // The column named `name`, or nullptr.
  const Column* find(std::string_view name) const;
};

// Which rows to read. Empty lists match everything; several values in one list are alternatives
// (OR), different fields must all match (AND). Times are [since_ns, until_ns).
struct HistoryFilter {
  std::vector<std::string> tenants;      // tenant ids, lowercase hyphenated UUID text
  std::vector<std::string> workflows;    // workflow names
  std::vector<std::string> streams;      // stream ids
  std::vector<std::string> processes;    // process ids (UUID text)
  std::vector<std::string> event_types;  // events(): event types; deadlines(): deadline names
  std::optional<std::int64_t> since_ns;  // events: timestamp; processes: last event; deadlines: due
  std::optional<std::int64_t> until_ns;  // events: timestamp; processes: first event; deadlines: due
  bool payload = true;                   // events(): read the payload JSON column
};

// One alternative of a registry() query: entries of `kind` (any kind when empty) whose key equals
// `key`, or with `suffix` ends with it (e.g. "/VG1" finds "<sender>/VG1").
struct KeyMatch {
  std::string kind;
  std::string key;
  bool suffix = false;
};

// The runtime of a workflow by name, or nullptr when the caller does not know that workflow.
using WorkflowLookup = std::function<std::shared_ptr<const WorkflowRuntime>(const std::string& workflow_name)>;

// The status of a process whose workflow is unknown or defines no status: never a guess.
inline constexpr const char* kUnknownStatus = "unknown";

class HistoryReader {
 public:
  // Opens `path` read-only. Throws EngineError: NotFound (no such file), InvalidInput (a SQLite file
  // of another application, or not a mako-engine database), SchemaTooNew (written by a newer
  // mako-engine), Corrupt (not a SQLite file), Storage (cannot be read).
  explicit HistoryReader(const std::string& path);
  ~HistoryReader();
  HistoryReader(const HistoryReader&) = delete;
  HistoryReader& operator=(const HistoryReader&) = delete;

  const std::string& path() const { return path_; }
  int schema_version() const { return schema_version_; }

  // One row per event, in commit order. Columns: position, stream_id*, process_id*, tenant_id*,
  // workflow*, format_version*, sequence, event_type*, schema_version, timestamp_ns [, payload]
  // (* = CategoryColumn; payload a TextColumn). Tenant, process and workflow are the event's own
  // when it differs from its stream's; the tenant/workflow/stream/process filters use the stream's.
  ColumnTable events(const HistoryFilter& filter);

  // One row per stream. Columns: stream_id (text), process_id (text), tenant_id*, workflow*,
  // format_version*, status*, last_event_type*, events (the stream version), first_event_ns,
  // last_event_ns. The status is what the stream's workflow (found through `workflows`) says of
  // the state folded from all its events, once per process; kUnknownStatus when `workflows` does
  // not know the workflow or the workflow defines no status. since/until keep processes active in
  // the window: last event >= since and first event < until. event_types filters on the status.
  ColumnTable processes(const HistoryFilter& filter, const WorkflowLookup& workflows = {});

  // One row per registered deadline (the `deadlines` table joined with its stream). Columns:
  // stream_id*, process_id*, tenant_id*, workflow*, name*, due_ns, status*, fired_at_ns (null until
  // claimed), created_at_ns, outcome (text, null when empty), command (text). since/until on due;
  // event_types filters on the name.
  ColumnTable deadlines(const HistoryFilter& filter);

  // One row per registry entry (the routing keys and correlation tags processes registered, e.g.
  // kind "malo" + a MaLo-ID) matching any of `matches` (all entries when empty) and the filter's
  // tenants/workflows/streams/processes, in registration order. Columns: stream_id*, process_id*,
  // tenant_id*, workflow*, kind*, key (text), created_at_ns. Finds the processes behind a key a
  // person knows; registry keys are not indexed without the tenant, so this reads the table once.
  ColumnTable registry(const HistoryFilter& filter, const std::vector<KeyMatch>& matches);

 private:
  std::string path_;
  int schema_version_ = 0;
  std::mutex mutex_;  // one connection, one reading thread at a time
  std::unique_ptr<detail::Connection> connection_;
};

}  // namespace mako::sqlite
