#include "mako/sqlite/event_columns.hpp"

#include <filesystem>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "connection.hpp"
#include "mako/core/errors.hpp"
#include "mako/core/json_reader.hpp"
#include "schema.hpp"
#include "transaction.hpp"

namespace mako::sqlite {

using detail::Connection;
using detail::Statement;
using detail::StatementScope;

const Column* ColumnTable::find(std::string_view name) const {
  for (const auto& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

namespace {

struct TransparentHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
using StringSet = std::unordered_set<std::string, TransparentHash, std::equal_to<>>;

// Dictionary encoding: the code of a string is its index in order of first appearance.
class Dictionary {
 public:
  std::int32_t code(std::string_view s) {
    if (auto it = index_.find(s); it != index_.end()) return it->second;
    const auto c = static_cast<std::int32_t>(values_.size());
    index_.emplace(std::string(s), c);
    values_.emplace_back(s);
    return c;
  }
  std::vector<std::string> take() { return std::move(values_); }

 private:
  std::unordered_map<std::string, std::int32_t, TransparentHash, std::equal_to<>> index_;
  std::vector<std::string> values_;
};

// A 16-byte UUID BLOB as lowercase hyphenated text ("" when it is not 16 bytes).
std::string uuid_text(std::string_view blob) {
  static constexpr char kHex[] = "0123456789abcdef";
  if (blob.size() != 16) return {};
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    const auto b = static_cast<unsigned char>(blob[i]);
    out += kHex[b >> 4];
    out += kHex[b & 0xF];
  }
  return out;
}

std::string optional_uuid(const Statement& s, int column) {
  return s.is_null(column) ? std::string() : uuid_text(s.blob(column));
}
std::string optional_text(const Statement& s, int column) {
  return s.is_null(column) ? std::string() : std::string(s.text(column));
}

StringSet to_set(const std::vector<std::string>& values) { return StringSet(values.begin(), values.end()); }
bool admits(const StringSet& allowed, std::string_view value) { return allowed.empty() || allowed.contains(value); }

// The stream-level part of a HistoryFilter, as hash sets.
struct StreamFilter {
  StringSet tenants, workflows, streams, processes;
  explicit StreamFilter(const HistoryFilter& f)
      : tenants(to_set(f.tenants)),
        workflows(to_set(f.workflows)),
        streams(to_set(f.streams)),
        processes(to_set(f.processes)) {}
  bool narrows() const { return !tenants.empty() || !workflows.empty() || !streams.empty() || !processes.empty(); }
  bool admits_stream(std::string_view stream_id, std::string_view tenant, std::string_view process,
                     std::string_view workflow) const {
    return admits(streams, stream_id) && admits(tenants, tenant) && admits(processes, process) &&
           admits(workflows, workflow);
  }
};

// Columns 0-3 of a processes/deadlines row: stream_id, tenant_id, process_id, workflow_name.
struct StreamColumns {
  std::string_view stream;
  std::string tenant, process, workflow;
  explicit StreamColumns(const Statement& s)
      : stream(s.text(0)), tenant(optional_uuid(s, 1)), process(optional_uuid(s, 2)), workflow(optional_text(s, 3)) {}
  bool admitted_by(const StreamFilter& sf) const { return sf.admits_stream(stream, tenant, process, workflow); }
};

// Whether a row spanning [first_ns, last_ns] overlaps the filter's [since_ns, until_ns) window.
bool in_window(const HistoryFilter& f, std::int64_t first_ns, std::int64_t last_ns) {
  return !(f.since_ns && last_ns < *f.since_ns) && !(f.until_ns && first_ns >= *f.until_ns);
}

// A row of `streams`, as the readers need it.
struct StreamInfo {
  std::int64_t key = 0;
  std::string stream_id, tenant, process, workflow, format_version;
  std::int64_t version = 0;
};

std::vector<StreamInfo> read_streams(Connection& c) {
  std::vector<StreamInfo> out;
  Statement s(
      c.handle(),
      "SELECT stream_key, stream_id, tenant_id, process_id, workflow_name, format_version, version FROM streams ORDER BY stream_key",
      c.path());
  while (s.step()) {
    StreamInfo row;
    row.key = s.int64(0);
    row.stream_id = std::string(s.text(1));
    row.tenant = optional_uuid(s, 2);
    row.process = optional_uuid(s, 3);
    row.workflow = optional_text(s, 4);
    row.format_version = optional_text(s, 5);
    row.version = s.int64(6);
    out.push_back(std::move(row));
  }
  return out;
}

// Builders that append one value per row, then turn into a Column.
struct Int64Builder {
  Int64Column col;
  bool has_null = false;
  void reserve(std::size_t n) { col.values.reserve(n); }
  void push(std::int64_t v) {
    col.values.push_back(v);
    if (has_null) col.valid.push_back(1);
  }
  void push_null() {
    if (!has_null) {
      has_null = true;
      col.valid.assign(col.values.size(), 1);
    }
    col.values.push_back(0);
    col.valid.push_back(0);
  }
  void push(const Statement& s, int column) { s.is_null(column) ? push_null() : push(s.int64(column)); }
  Column done(std::string name) { return Column{std::move(name), std::move(col)}; }
};

struct CategoryBuilder {
  std::vector<std::int32_t> codes;
  Dictionary dict;
  void reserve(std::size_t n) { codes.reserve(n); }
  void push(std::string_view v) { codes.push_back(dict.code(v)); }
  // Empty text counts as null.
  void push_or_null(std::string_view v) { codes.push_back(v.empty() ? -1 : dict.code(v)); }
  Column done(std::string name) { return Column{std::move(name), CategoryColumn{std::move(codes), dict.take()}}; }
};

struct TextBuilder {
  TextColumn col;
  bool has_null = false;
  void reserve(std::size_t rows, std::size_t bytes) {
    col.offsets.reserve(rows + 1);
    col.data.reserve(bytes);
  }
  void push(std::string_view v) {
    col.data.append(v);
    col.offsets.push_back(static_cast<std::int64_t>(col.data.size()));
    if (has_null) col.valid.push_back(1);
  }
  void push_null() {
    if (!has_null) {
      has_null = true;
      col.valid.assign(col.offsets.size() - 1, 1);
    }
    col.offsets.push_back(static_cast<std::int64_t>(col.data.size()));
    col.valid.push_back(0);
  }
  Column done(std::string name) { return Column{std::move(name), std::move(col)}; }
};

[[noreturn]] void not_mako(const std::string& path, const std::string& why) {
  throw EngineError::invalid_input("'" + path + "' is not a mako-engine database: " + why);
}

}  // namespace

HistoryReader::HistoryReader(const std::string& path) : path_(path) {
  std::error_code ec;
  if (path == ":memory:" || path.empty())
    throw EngineError::invalid_input("HistoryReader needs a database file, not '" + path + "'");
  if (!std::filesystem::exists(path, ec))
    throw EngineError(EngineError::Kind::NotFound, "no such database file: '" + path + "'");
  if (std::filesystem::is_directory(path, ec)) not_mako(path, "it is a directory");
  SqliteOptions options;
  options.read_only = true;
  connection_ = std::make_unique<Connection>(path, options, Connection::Role::Reader);
  const auto app = connection_->query_int("PRAGMA application_id");  // NOTADB -> Corrupt
  const auto version = connection_->query_int("PRAGMA user_version");
  if (app != detail::kApplicationId) {
    if (app != 0)
      not_mako(path, "the SQLite file belongs to another application (application_id " + std::to_string(app) + ")");
    if (const auto why = detail::missing_wal_explanation(path); version == 0 && !why.empty()) not_mako(path, why);
    not_mako(path, "a SQLite file without the mako-engine schema");
  }
  if (version > detail::kCurrentSchemaVersion)
    throw EngineError(EngineError::Kind::SchemaTooNew,
                      "'" + path + "' has schema version " + std::to_string(version) +
                          ", but this mako-engine reads schema versions up to " +
                          std::to_string(detail::kCurrentSchemaVersion) +
                          "; it was written by a newer mako-engine — upgrade to read it");
  if (version < 1) not_mako(path, "no schema (user_version 0)");
  schema_version_ = static_cast<int>(version);
}

HistoryReader::~HistoryReader() = default;

namespace {

// The streams events() reads, indexed by stream key, each with its category codes once it has a row.
struct EventStreams {
  struct Slot {
    const StreamInfo* info = nullptr;
    std::int32_t stream = -1, process = -1, tenant = -1, workflow = -1, format_version = -1;
  };
  std::vector<Slot> slots;
  std::vector<std::int64_t> selected;  // keys of the admitted streams
  std::int64_t max_key = 0;
  std::int64_t expected_rows = 0;  // their events (before time and type filters)

  EventStreams(const std::vector<StreamInfo>& streams, const StreamFilter& sf) {
    for (const auto& s : streams) max_key = std::max(max_key, s.key);
    slots.resize(static_cast<std::size_t>(max_key) + 1);
    for (const auto& s : streams)
      if (sf.admits_stream(s.stream_id, s.tenant, s.process, s.workflow)) {
        slots[static_cast<std::size_t>(s.key)].info = &s;
        selected.push_back(s.key);
        expected_rows += s.version;
      }
  }
  // The stream of a row; null when it is not selected.
  Slot* find(std::int64_t key) {
    if (key < 0 || key > max_key)
      return nullptr;  // a stream created after our snapshot of `streams` cannot be: same transaction
    Slot& slot = slots[static_cast<std::size_t>(key)];
    return slot.info ? &slot : nullptr;
  }
};

// The query of events(): the selected streams (when few enough to list), the time window and the
// event types; parameters numbered in that order (bind_events_query binds them).
std::string events_query(const HistoryFilter& filter, const std::vector<std::int64_t>& selected, bool by_stream) {
  std::string sql =
      "SELECT position, stream_key, sequence, event_type, schema_version, timestamp_ns, tenant_id, process_id, workflow_name, "
      "format_version";
  if (filter.payload) sql += ", payload";
  sql += " FROM events";
  std::vector<std::string> where;
  if (by_stream) {
    std::string in = "stream_key IN (";
    for (std::size_t i = 0; i < selected.size(); ++i) {
      if (i) in += ',';
      in += std::to_string(selected[i]);
    }
    where.push_back(in + ")");
  }
  int param = 0;
  if (filter.since_ns) where.push_back("timestamp_ns >= ?" + std::to_string(++param));
  if (filter.until_ns) where.push_back("timestamp_ns < ?" + std::to_string(++param));
  if (!filter.event_types.empty()) {
    std::string in = "event_type IN (";
    for (std::size_t i = 0; i < filter.event_types.size(); ++i) {
      if (i) in += ',';
      in += '?';
      in += std::to_string(++param);
    }
    where.push_back(in + ")");
  }
  for (std::size_t i = 0; i < where.size(); ++i) sql += (i ? " AND " : " WHERE ") + where[i];
  return sql + " ORDER BY position";
}

void bind_events_query(Statement& s, const HistoryFilter& filter) {
  int param = 0;
  if (filter.since_ns) s.bind(++param, *filter.since_ns);
  if (filter.until_ns) s.bind(++param, *filter.until_ns);
  for (const auto& type : filter.event_types) s.bind(++param, type);
}

// The columns of events(), one row at a time.
struct EventColumnsBuilder {
  Int64Builder position, sequence, schema_version, timestamp;
  CategoryBuilder stream_id, process_id, tenant_id, workflow, format_version, event_type;
  TextBuilder payload;
  bool with_payload;
  std::size_t reserve_rows;
  bool payload_reserved = false;
  std::size_t rows = 0;

  EventColumnsBuilder(bool with_payload, std::size_t reserve_rows)
      : with_payload(with_payload), reserve_rows(reserve_rows) {
    for (auto* b : {&position, &sequence, &schema_version, &timestamp}) b->reserve(reserve_rows);
    for (auto* b : {&stream_id, &process_id, &tenant_id, &workflow, &format_version, &event_type})
      b->reserve(reserve_rows);
  }

  void add(const Statement& s, EventStreams::Slot& slot) {
    if (slot.stream < 0) {
      slot.stream = stream_id.dict.code(slot.info->stream_id);
      slot.process = slot.info->process.empty() ? -1 : process_id.dict.code(slot.info->process);
      slot.tenant = slot.info->tenant.empty() ? -1 : tenant_id.dict.code(slot.info->tenant);
      slot.workflow = slot.info->workflow.empty() ? -1 : workflow.dict.code(slot.info->workflow);
      slot.format_version =
          slot.info->format_version.empty() ? -1 : format_version.dict.code(slot.info->format_version);
    }
    position.push(s.int64(0));
    stream_id.codes.push_back(slot.stream);
    sequence.push(s.int64(2));
    event_type.push(s.text(3));
    schema_version.push(s.int64(4));
    timestamp.push(s.int64(5));
    // The event's own tenant/process/workflow when it differs from its stream's (rare).
    tenant_id.codes.push_back(s.is_null(6) ? slot.tenant : tenant_id.dict.code(uuid_text(s.blob(6))));
    process_id.codes.push_back(s.is_null(7) ? slot.process : process_id.dict.code(uuid_text(s.blob(7))));
    workflow.codes.push_back(s.is_null(8) ? slot.workflow : workflow.dict.code(s.text(8)));
    format_version.codes.push_back(s.is_null(9) ? slot.format_version : format_version.dict.code(s.text(9)));
    if (with_payload) {
      const auto text = s.text(10);
      if (!payload_reserved) {  // a guess from the first payload, so the buffer rarely moves
        payload.reserve(reserve_rows, reserve_rows * (text.size() + 16));
        payload_reserved = true;
      }
      payload.push(text);
    }
    ++rows;
  }

  ColumnTable take() {
    ColumnTable table;
    table.rows = rows;
    table.columns.push_back(position.done("position"));
    table.columns.push_back(stream_id.done("stream_id"));
    table.columns.push_back(process_id.done("process_id"));
    table.columns.push_back(tenant_id.done("tenant_id"));
    table.columns.push_back(workflow.done("workflow"));
    table.columns.push_back(format_version.done("format_version"));
    table.columns.push_back(sequence.done("sequence"));
    table.columns.push_back(event_type.done("event_type"));
    table.columns.push_back(schema_version.done("schema_version"));
    table.columns.push_back(timestamp.done("timestamp_ns"));
    if (with_payload) table.columns.push_back(payload.done("payload"));
    return table;
  }
};

}  // namespace

ColumnTable HistoryReader::events(const HistoryFilter& filter) {
  std::lock_guard lock(mutex_);
  Connection& c = *connection_;
  detail::ReadTransaction snapshot(c);
  const StreamFilter sf(filter);
  const auto streams = read_streams(c);
  EventStreams selected(streams, sf);

  const bool unfiltered_rows = !filter.since_ns && !filter.until_ns && filter.event_types.empty();
  const auto reserve = static_cast<std::size_t>(
      unfiltered_rows ? selected.expected_rows : std::min<std::int64_t>(selected.expected_rows, 1 << 16));
  EventColumnsBuilder columns(filter.payload, reserve);
  if (!selected.selected.empty()) {
    const bool by_stream = sf.narrows() && selected.selected.size() <= 512;
    Statement s(c.handle(), events_query(filter, selected.selected, by_stream), c.path());
    bind_events_query(s, filter);
    while (s.step())
      if (auto* slot = selected.find(s.int64(1))) columns.add(s, *slot);
  }
  return columns.take();
}

ColumnTable HistoryReader::processes(const HistoryFilter& filter, const WorkflowLookup& workflows) {
  std::lock_guard lock(mutex_);
  Connection& c = *connection_;
  detail::ReadTransaction snapshot(c);
  const StreamFilter sf(filter);
  const StringSet statuses = to_set(filter.event_types);
  Statement s(
      c.handle(),
      "SELECT s.stream_id, s.tenant_id, s.process_id, s.workflow_name, s.format_version, s.version, f.timestamp_ns, "
      "l.timestamp_ns, s.stream_key, l.event_type FROM streams s "
      "JOIN events f ON f.stream_key = s.stream_key AND f.sequence = 1 "
      "JOIN events l ON l.stream_key = s.stream_key AND l.sequence = s.version "
      "WHERE s.version > 0 ORDER BY s.stream_key",
      c.path());
  // The status: one fold of the stream's events with its workflow's runtime (looked up once per
  // workflow name), payloads parsed into one reused Json tree.
  Statement fold(c.handle(),
                 "SELECT event_type, schema_version, payload FROM events WHERE stream_key = ?1 ORDER BY sequence",
                 c.path());
  std::unordered_map<std::string, std::shared_ptr<const WorkflowRuntime>> runtimes;
  Json payload;
  auto status_of = [&](std::int64_t stream_key, std::string_view stream_id,
                       const std::string& workflow_name) -> std::string {
    if (!workflows) return kUnknownStatus;
    auto [it, added] = runtimes.try_emplace(workflow_name);
    if (added) it->second = workflows(workflow_name);
    const WorkflowRuntime* runtime = it->second.get();
    if (!runtime) return kUnknownStatus;
    auto state = runtime->initial_state();
    EventEnvelope event;
    StatementScope scope(fold);
    fold.bind(1, stream_key);
    try {
      while (fold.step()) {
        event.event_type = std::string(fold.text(0));
        event.schema_version = static_cast<std::uint32_t>(fold.int64(1));
        const auto text = fold.text(2);
        if (!parse_json_into(text, payload)) payload = Json::parse(text);
        event.payload = EventPayload(std::move(payload));
        runtime->apply(*state, event);
        payload = std::move(event.payload.mutable_json());  // its nodes serve the next parse
      }
      return runtime->status(*state).value_or(kUnknownStatus);
    } catch (const EngineError& e) {  // e.g. an event this workflow cannot decode: say which process
      throw EngineError(e.kind(),
                        "status of " + std::string(stream_id) + " (workflow '" + workflow_name + "'): " + e.what());
    }
  };
  TextBuilder stream_id, process_id;
  CategoryBuilder tenant_id, workflow, format_version, status, last_type;
  Int64Builder events, first, last;
  std::size_t rows = 0;
  while (s.step()) {
    const StreamColumns row(s);
    if (!row.admitted_by(sf)) continue;
    const auto first_ns = s.int64(6), last_ns = s.int64(7);
    if (!in_window(filter, first_ns, last_ns)) continue;
    const std::string status_text = status_of(s.int64(8), row.stream, row.workflow);
    if (!admits(statuses, status_text)) continue;
    stream_id.push(row.stream);
    row.process.empty() ? process_id.push_null() : process_id.push(row.process);
    tenant_id.push_or_null(row.tenant);
    workflow.push_or_null(row.workflow);
    format_version.push_or_null(optional_text(s, 4));
    events.push(s.int64(5));
    first.push(first_ns);
    last.push(last_ns);
    status.push(status_text);
    last_type.push(s.text(9));
    ++rows;
  }
  ColumnTable table;
  table.rows = rows;
  table.columns.push_back(stream_id.done("stream_id"));
  table.columns.push_back(process_id.done("process_id"));
  table.columns.push_back(tenant_id.done("tenant_id"));
  table.columns.push_back(workflow.done("workflow"));
  table.columns.push_back(format_version.done("format_version"));
  table.columns.push_back(status.done("status"));
  table.columns.push_back(last_type.done("last_event_type"));
  table.columns.push_back(events.done("events"));
  table.columns.push_back(first.done("first_event_ns"));
  table.columns.push_back(last.done("last_event_ns"));
  return table;
}

ColumnTable HistoryReader::deadlines(const HistoryFilter& filter) {
  std::lock_guard lock(mutex_);
  Connection& c = *connection_;
  detail::ReadTransaction snapshot(c);
  const StreamFilter sf(filter);
  const StringSet names = to_set(filter.event_types);
  const std::string sql =
      std::string(
          "SELECT s.stream_id, s.tenant_id, s.process_id, s.workflow_name, d.name, d.due_ns, d.status, d.fired_at_ns, "
          "d.created_at_ns, ") +
      (schema_version_ >= 2 ? "d.outcome" : "NULL") +
      ", d.command FROM deadlines d JOIN streams s ON s.stream_key = d.stream_key ORDER BY d.due_ns, d.deadline_key";
  Statement s(c.handle(), sql, c.path());
  CategoryBuilder stream_id, process_id, tenant_id, workflow, name, status;
  Int64Builder due, fired_at, created_at;
  TextBuilder outcome, command;
  std::size_t rows = 0;
  while (s.step()) {
    const StreamColumns row(s);
    if (!row.admitted_by(sf)) continue;
    const auto deadline_name = s.text(4);
    if (!admits(names, deadline_name)) continue;
    const auto due_ns = s.int64(5);
    if (!in_window(filter, due_ns, due_ns)) continue;
    stream_id.push(row.stream);
    process_id.push_or_null(row.process);
    tenant_id.push_or_null(row.tenant);
    workflow.push_or_null(row.workflow);
    name.push(deadline_name);
    due.push(due_ns);
    status.push(s.text(6));
    fired_at.push(s, 7);
    created_at.push(s.int64(8));
    if (s.is_null(9) || s.text(9).empty()) outcome.push_null();
    else outcome.push(s.text(9));
    command.push(s.text(10));
    ++rows;
  }
  ColumnTable table;
  table.rows = rows;
  table.columns.push_back(stream_id.done("stream_id"));
  table.columns.push_back(process_id.done("process_id"));
  table.columns.push_back(tenant_id.done("tenant_id"));
  table.columns.push_back(workflow.done("workflow"));
  table.columns.push_back(name.done("name"));
  table.columns.push_back(due.done("due_ns"));
  table.columns.push_back(status.done("status"));
  table.columns.push_back(fired_at.done("fired_at_ns"));
  table.columns.push_back(created_at.done("created_at_ns"));
  table.columns.push_back(outcome.done("outcome"));
  table.columns.push_back(command.done("command"));
  return table;
}

ColumnTable HistoryReader::registry(const HistoryFilter& filter, const std::vector<KeyMatch>& matches) {
  std::lock_guard lock(mutex_);
  Connection& c = *connection_;
  detail::ReadTransaction snapshot(c);
  const StreamFilter sf(filter);
  std::string sql =
      "SELECT s.stream_id, s.tenant_id, s.process_id, s.workflow_name, r.kind, r.key, r.created_at_ns FROM registry r "
      "JOIN streams s ON s.stream_key = r.stream_key";
  std::vector<std::string> alternatives;
  int param = 0;
  for (const auto& m : matches) {
    std::string alt;
    if (!m.kind.empty()) alt = "r.kind = ?" + std::to_string(++param) + " AND ";
    const std::string key = "?" + std::to_string(++param);
    alt += m.suffix ? "substr(r.key, -length(" + key + ")) = " + key : "r.key = " + key;
    alternatives.push_back("(" + alt + ")");
  }
  for (std::size_t i = 0; i < alternatives.size(); ++i) sql += (i ? " OR " : " WHERE ") + alternatives[i];
  sql += " ORDER BY r.created_at_ns, r.stream_key, r.kind, r.key";
  Statement s(c.handle(), sql, c.path());
  param = 0;
  for (const auto& m : matches) {
    if (!m.kind.empty()) s.bind(++param, m.kind);
    s.bind(++param, m.key);
  }
  CategoryBuilder stream_id, process_id, tenant_id, workflow, kind;
  TextBuilder key;
  Int64Builder created_at;
  std::size_t rows = 0;
  while (s.step()) {
    const StreamColumns row(s);
    if (!row.admitted_by(sf)) continue;
    stream_id.push(row.stream);
    process_id.push_or_null(row.process);
    tenant_id.push_or_null(row.tenant);
    workflow.push_or_null(row.workflow);
    kind.push(s.text(4));
    key.push(s.text(5));
    created_at.push(s.int64(6));
    ++rows;
  }
  ColumnTable table;
  table.rows = rows;
  table.columns.push_back(stream_id.done("stream_id"));
  table.columns.push_back(process_id.done("process_id"));
  table.columns.push_back(tenant_id.done("tenant_id"));
  table.columns.push_back(workflow.done("workflow"));
  table.columns.push_back(kind.done("kind"));
  table.columns.push_back(key.done("key"));
  table.columns.push_back(created_at.done("created_at_ns"));
  return table;
}

}  // namespace mako::sqlite
