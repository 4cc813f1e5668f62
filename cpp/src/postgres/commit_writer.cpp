#include "commit_writer.hpp"

#include <algorithm>
#include <limits>
#include <unordered_map>

#include "mako/core/errors.hpp"
#include "mako/core/json_text.hpp"
#include "mako/core/timestamp.hpp"
#include "service_rows.hpp"

namespace mako::postgres::detail {

namespace {

constexpr const char* kStreamVersion = "SELECT version FROM streams WHERE stream_id = $1";
// The stream as it is (its identity may still be NULL), its row locked until the commit: a
// concurrent commit to it waits here, then reads the version that commit left.
constexpr const char* kStreamLocked =
    "SELECT stream_key, version, tenant_id, process_id, workflow_name, format_version FROM streams "
    "WHERE stream_id = $1 FOR UPDATE";
// No row when a concurrent commit created the stream meanwhile (after waiting for it to end).
constexpr const char* kInsertStream =
    "INSERT INTO streams (stream_id, version, tenant_id, process_id, workflow_name, format_version, created_at_ns, updated_at_ns) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $7) ON CONFLICT (stream_id) DO NOTHING RETURNING stream_key";
// `count` consecutive positions; returns the last (schema.cpp, version 4). It also sets the
// session's currval('event_positions'), from which the event rows and outbox rows take theirs.
constexpr const char* kReserve = "SELECT reserve_positions($1::bigint, $2::bigint)";
constexpr const char* kSetVersion = "UPDATE streams SET version = $2, updated_at_ns = $3 WHERE stream_key = $1";
// A stream that so far carried only messages takes its first event's identity.
constexpr const char* kSetVersionAndIdentity =
    "UPDATE streams SET version = $2, updated_at_ns = $3, tenant_id = $4, process_id = $5, workflow_name = $6, "
    "format_version = $7 WHERE stream_key = $1";
constexpr const char* kInsertEvents =
    "INSERT INTO events (stream_key, sequence, event_id, event_type, schema_version, timestamp_ns, correlation_id, "
    "causation_id, conversation_id, tenant_id, process_id, workflow_name, format_version, payload, position) VALUES ";
constexpr int kPositionColumn = 14;  // its parameter: the distance below the reservation's last position
constexpr int kEventColumns = 15;
constexpr std::size_t kRowsPerInsert = 1000;  // 15,000 parameters of PostgreSQL's 65,535
// A message already enqueued under its idempotency key (a retried command) is not enqueued again.
// Its position is the commit's last event's (the reservation's last), NULL for a commit without events.
constexpr const char* kInsertOutbox =
    "INSERT INTO outbox (idempotency_key, stream_key, position, step, recipient, message_type, payload, created_at_ns) "
    "VALUES ($1, $2, NULL, $3, $4, $5, $6::json, $7) ON CONFLICT (idempotency_key) DO NOTHING";
constexpr const char* kInsertOutboxAfterEvents =
    "INSERT INTO outbox (idempotency_key, stream_key, position, step, recipient, message_type, payload, created_at_ns) "
    "VALUES ($1, $2, currval('event_positions'), $3, $4, $5, $6::json, $7) ON CONFLICT (idempotency_key) DO NOTHING";
// Scheduling a name again re-arms the deadline (same row, same id): a new due time and command, pending.
constexpr const char* kUpsertDeadline =
    "INSERT INTO deadlines (stream_key, name, due_ns, command, created_at_ns) VALUES ($1, $2, $3, $4::json, $5) "
    "ON CONFLICT (stream_key, name) DO UPDATE SET due_ns = excluded.due_ns, command = excluded.command, "
    "status = 'pending', fired_at_ns = NULL, outcome = NULL";
// Before a re-arm: a deadline row another transaction holds locked is being claimed or fired (a
// scheduler's unit of work, which appends the fired command's events next and so waits for the
// stream row this transaction holds locked). Waiting for the row would close a deadlock; failing at once
// (55P03 -> Busy, transient) lets the fire finish, and a retried command re-arms after it.
constexpr const char* kLockDeadline = "SELECT 1 FROM deadlines WHERE stream_key = $1 AND name = $2 FOR UPDATE NOWAIT";
constexpr const char* kInsertRegistry =
    "INSERT INTO registry (tenant_id, kind, key, stream_key, process_id, created_at_ns) VALUES ($1, $2, $3, $4, $5, $6) "
    "ON CONFLICT DO NOTHING";

// append_many (write_many): every existing stream of the call in one read, their rows locked in
// stream id order (two calls locking overlapping streams lock them in the same order).
constexpr const char* kStreamsLocked =
    "SELECT stream_id, stream_key, version FROM streams WHERE stream_id = ANY($1::text[]) ORDER BY stream_id "
    "FOR UPDATE";
// The same without locks, for a call that writes nothing (it only checks expected versions).
constexpr const char* kStreams = "SELECT stream_id, stream_key, version FROM streams WHERE stream_id = ANY($1::text[])";
constexpr const char* kInsertStreams =
    "INSERT INTO streams (stream_id, version, tenant_id, process_id, workflow_name, format_version, created_at_ns, "
    "updated_at_ns) SELECT u.*, $7::bigint, $7::bigint "
    "FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::uuid[], $5::text[], $6::text[]) AS u "
    "ON CONFLICT (stream_id) DO NOTHING RETURNING stream_id, stream_key";
// A stream that so far carried only messages takes its first event's identity (coalesce).
constexpr const char* kUpdateStreams =
    "UPDATE streams s SET version = u.version, updated_at_ns = $7::bigint, tenant_id = coalesce(s.tenant_id, "
    "u.tenant_id), process_id = coalesce(s.process_id, u.process_id), workflow_name = coalesce(s.workflow_name, "
    "u.workflow_name), format_version = coalesce(s.format_version, u.format_version) "
    "FROM unnest($1::bigint[], $2::bigint[], $3::uuid[], $4::uuid[], $5::text[], $6::text[]) "
    "AS u(stream_key, version, tenant_id, process_id, workflow_name, format_version) WHERE s.stream_key = u.stream_key";

std::string insert_sql(std::size_t rows) {
  std::string sql = kInsertEvents;
  int p = 1;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r ? ",(" : "(";
    for (int col = 0; col < kEventColumns; ++col) {
      if (col) sql += ',';
      if (col == kPositionColumn) sql += "currval('event_positions') - ";
      sql += '$' + std::to_string(p++);
      if (col == 13) sql += "::json";
    }
    sql += ')';
  }
  return sql;
}

void render(std::string& out, const Json& value, const std::string& what) {
  out.clear();
  try {
    append_json(value, out);
  } catch (const Json::exception& e) {
    throw EngineError(EngineError::Kind::Serialization, what + " cannot be stored as JSON: " + e.what());
  }
}

// PostgreSQL's text cannot hold a NUL byte: refused before the batch's first write, not halfway.
void no_nul(std::string_view value, const std::string& what) {
  if (value.find('\0') != std::string_view::npos)
    throw EngineError::invalid_input(what + " holds a NUL byte, which PostgreSQL cannot store; nothing was written");
}

}  // namespace

// The stream's row as read (and locked); key 0: no row yet.
struct CommitWriter::Stream {
  std::int64_t key = 0;
  std::uint64_t version = 0;
  std::optional<TenantId> tenant;
  std::optional<ProcessId> process;
  std::optional<WorkflowId> workflow;
};

void CommitWriter::reserve(std::size_t count, std::function<void(std::int64_t)> assign) {
  params_.clear();
  params_.int64(lock_key_).int64(static_cast<std::int64_t>(count));
  c_.queue(kReserve, std::move(params_),
           [assign = std::move(assign), &c = c_](const Result& r) { assign(r.int64(0, 0, c.label())); });
}

CommitWriter::Stream CommitWriter::read_stream(const std::string& sid) {
  params_.clear();
  params_.text(sid);
  const auto r = c_.exec(kStreamLocked, params_);
  Stream s;
  if (r.rows() == 0) return s;
  s.key = r.int64(0, 0, c_.label());
  s.version = static_cast<std::uint64_t>(r.int64(0, 1, c_.label()));
  if (r.null(0, 2) || r.null(0, 3) || r.null(0, 4) || r.null(0, 5)) return s;
  try {
    s.tenant = TenantId(Uuid::parse(r.text(0, 2)));
    s.process = ProcessId(Uuid::parse(r.text(0, 3)));
    s.workflow = WorkflowId(std::string(r.text(0, 4)), FormatVersion::parse(r.text(0, 5)));
  } catch (const EngineError& e) {
    throw EngineError(EngineError::Kind::Corrupt,
                      c_.label() + ": unreadable identity of stream '" + sid + "': " + e.what());
  }
  return s;
}

// Everything that can refuse the batch by its content is checked, and every text rendered, before
// its first write: a refused batch leaves nothing behind.
void CommitWriter::check_and_render(const CommitBatch& batch) {
  const std::string& sid = batch.stream_id.str();
  const std::size_t n = batch.events.size() + batch.messages.size() + batch.deadlines.size();
  if (texts_.size() < n) texts_.resize(n);
  std::size_t t = 0;
  for (std::size_t i = 0; i < batch.events.size(); ++i, ++t) {
    const EventEnvelope& e = batch.events[i];
    if (e.event_type.empty()) throw empty_event_type(batch.stream_id, i);
    if (e.schema_version > static_cast<std::uint32_t>(std::numeric_limits<std::int32_t>::max()))
      throw EngineError::invalid_input("event " + std::to_string(i + 1) + " of the batch for stream '" + sid +
                                       "' has schema version " + std::to_string(e.schema_version) +
                                       ", more than PostgreSQL's integer column holds; nothing was written");
    if (e.event_type.find('\0') != std::string::npos || e.workflow_id.name().find('\0') != std::string::npos)
      throw EngineError::invalid_input(
          "event " + std::to_string(i + 1) + " of the batch for stream '" + sid +
          "' has a NUL byte in its type or workflow name, which PostgreSQL cannot store; nothing was written");
    texts_[t].clear();
    try {
      e.payload.append_json_text(texts_[t]);
    } catch (const Json::exception& ex) {
      throw EngineError(EngineError::Kind::Serialization, "payload of event " + std::to_string(i + 1) +
                                                              " of the batch cannot be stored as JSON: " + ex.what());
    }
  }
  for (const auto& m : batch.messages) {
    no_nul(m.step + m.recipient + m.message_type + m.idempotency_key, "outbound message '" + m.step + "'");
    render(texts_[t++], m.payload, "payload of outbound message '" + m.step + "'");
  }
  for (const auto& d : batch.deadlines) {
    if (d.name.empty()) throw EngineError::invalid_input("a deadline needs a name (unique per process)");
    no_nul(d.name, "a deadline name");
    render(texts_[t++], d.command, "command of deadline '" + d.name + "'");
  }
  for (const auto& r : batch.registrations) {
    if (r.kind.empty() || r.key.empty()) throw EngineError::invalid_input("a registry entry needs a kind and a key");
    no_nul(r.kind + r.key, "registry entry '" + r.kind + "'");
  }
}

std::uint64_t CommitWriter::write(CommitBatch& batch) {
  started_ = false;
  const std::string& sid = batch.stream_id.str();
  check_and_render(batch);

  if (batch.events.empty() && batch.messages.empty() && batch.deadlines.empty() && batch.registrations.empty()) {
    // Nothing to write: the expected version is checked against the last commit.
    params_.clear();
    params_.text(sid);
    const auto r = c_.exec(kStreamVersion, params_);
    const std::uint64_t actual = r.rows() ? static_cast<std::uint64_t>(r.int64(0, 0, c_.label())) : 0;
    if (!batch.expected.matches(actual)) throw EngineError::version_conflict(sid, batch.expected.to_string(), actual);
    return actual;
  }

  // The stream's row, locked until the commit; a new stream's row is inserted with the version and
  // identity this batch gives it. A concurrent commit that created the stream first wins: then the
  // batch is checked again, against the stream as that commit left it.
  Stream stream = read_stream(sid);
  const EventEnvelope* first = batch.events.empty() ? nullptr : &batch.events.front();
  const TenantId* tenant = nullptr;
  const ProcessId* process = nullptr;
  const WorkflowId* workflow = nullptr;
  std::uint64_t actual = 0;
  std::uint64_t version = 0;
  bool created = false;
  const std::int64_t now = to_nanos(system_now());
  for (;;) {
    actual = stream.version;
    if (!batch.expected.matches(actual)) throw EngineError::version_conflict(sid, batch.expected.to_string(), actual);
    version = actual + batch.events.size();
    // The identity the stream has after this batch: its own, or (first events) the first event's.
    tenant = stream.tenant ? &*stream.tenant : (first ? &first->tenant_id : nullptr);
    process = stream.process ? &*stream.process : (first ? &first->process_id : nullptr);
    workflow = stream.workflow ? &*stream.workflow : (first ? &first->workflow_id : nullptr);
    if (!batch.registrations.empty() && !tenant)
      throw EngineError::invalid_input("registry entries of stream '" + sid +
                                       "' need an event first: the tenant scopes them");
    keys_.resize(batch.messages.size());
    for (std::size_t i = 0; i < batch.messages.size(); ++i) {
      const auto& m = batch.messages[i];
      keys_[i] = m.idempotency_key;
      if (!keys_[i].empty()) continue;
      if (!process) throw EngineError::invalid_input("outbound message '" + m.step + "' has no idempotency_key");
      keys_[i] = outbox_idempotency_key(*process, m.step, m.recipient, workflow->format_version()).to_string();
    }
    if (stream.key != 0) break;
    params_.clear();
    params_.text(sid).int64(static_cast<std::int64_t>(version));
    if (first)
      params_.uuid(first->tenant_id.uuid())
          .uuid(first->process_id.uuid())
          .text(first->workflow_id.name(), "the workflow name")
          .text(first->workflow_id.format_version().to_string());
    else params_.null().null().null().null();
    params_.int64(now);
    const auto r = c_.exec(kInsertStream, params_);
    if (r.rows() == 1) {
      stream.key = r.int64(0, 0, c_.label());
      created = true;
      break;
    }
    stream = read_stream(sid);
  }

  started_ = true;
  const std::int64_t key = stream.key;
  if (!created && first && !stream.tenant) {
    // A stream that so far carried only messages takes its first event's identity.
    params_.clear();
    params_.int64(key)
        .int64(static_cast<std::int64_t>(version))
        .int64(now)
        .uuid(first->tenant_id.uuid())
        .uuid(first->process_id.uuid())
        .text(first->workflow_id.name(), "the workflow name")
        .text(first->workflow_id.format_version().to_string());
    c_.queue(kSetVersionAndIdentity, std::move(params_));
  } else if (!created && first) {
    params_.clear();
    params_.int64(key).int64(static_cast<std::int64_t>(version)).int64(now);
    c_.queue(kSetVersion, std::move(params_));
  }

  if (first) {
    // The positions are known once the reservation's result arrives, before the write returns.
    const std::size_t n = batch.events.size();
    reserve(n, [&batch, n](std::int64_t last) {
      for (std::size_t i = 0; i < n; ++i)
        batch.events[i].global_position = static_cast<std::uint64_t>(last - static_cast<std::int64_t>(n - 1 - i));
    });
  }
  insert_events(batch, key, actual);
  insert_outbox(batch, key, now);
  upsert_deadlines(batch, key, created, now);
  if (!batch.registrations.empty()) insert_registrations(batch, key, tenant->uuid(), process->uuid(), now);

  // Only now, with every statement done, does the batch count.
  for (std::size_t i = 0; i < batch.events.size(); ++i) {
    EventEnvelope& e = batch.events[i];
    e.stream_id = batch.stream_id;
    e.sequence_number = actual + i + 1;
  }
  return version;
}

void CommitWriter::add_event_row(const EventEnvelope& e, std::int64_t key, std::uint64_t sequence,
                                 const std::string& payload, std::int64_t below_last) {
  // Numbers and ids in binary (the columns fix their types): the server parses only the texts.
  params_.binary_int64(key)
      .binary_int64(static_cast<std::int64_t>(sequence))
      .binary_uuid(e.event_id.uuid())
      .text(e.event_type, "the event type")
      .binary_int32(static_cast<std::int32_t>(e.schema_version))
      .binary_int64(to_nanos(e.timestamp))
      .binary_optional_id(e.correlation_id)
      .binary_optional_id(e.causation_id)
      .binary_uuid(e.conversation_id.uuid())
      .binary_uuid(e.tenant_id.uuid())
      .binary_uuid(e.process_id.uuid())
      .text(e.workflow_id.name(), "the workflow name")
      .text(e.workflow_id.format_version().to_string())
      .text(payload)
      .binary_int64(below_last);
}

void CommitWriter::insert_events(const CommitBatch& batch, std::int64_t key, std::uint64_t actual) {
  const std::size_t n = batch.events.size();
  for (std::size_t begin = 0; begin < batch.events.size(); begin += kRowsPerInsert) {
    const std::size_t end = std::min(batch.events.size(), begin + kRowsPerInsert);
    params_.clear();
    for (std::size_t i = begin; i < end; ++i)
      add_event_row(batch.events[i], key, actual + i + 1, texts_[i], static_cast<std::int64_t>(n - 1 - i));
    c_.queue(insert_sql(end - begin), std::move(params_));
  }
}

bool CommitWriter::events_only(const std::vector<CommitBatch>& batches) {
  return std::all_of(batches.begin(), batches.end(), [](const CommitBatch& b) {
    return b.messages.empty() && b.deadlines.empty() && b.registrations.empty();
  });
}

void CommitWriter::write_many(std::vector<CommitBatch>& batches, std::vector<std::optional<EngineError>>& results) {
  started_ = false;
  // 1. Each batch's content, and its texts rendered (payloads of all batches, in order).
  std::vector<std::string> payloads;
  std::vector<std::size_t> first_payload(batches.size());
  std::vector<bool> accepted(batches.size(), false);
  bool any_events = false;
  std::string ids = "{";
  for (std::size_t i = 0; i < batches.size(); ++i) {
    const CommitBatch& b = batches[i];
    try {
      no_nul(b.stream_id.str(), "stream id '" + b.stream_id.str() + "'");
      check_and_render(b);
    } catch (const EngineError& e) {
      results[i] = e;
      continue;
    }
    accepted[i] = true;
    first_payload[i] = payloads.size();
    for (std::size_t j = 0; j < b.events.size(); ++j) payloads.push_back(std::move(texts_[j]));
    any_events = any_events || !b.events.empty();
    array_element(ids, b.stream_id.str());
  }
  ids += '}';

  // 2. The streams as they are, their rows locked until the commit (when anything is written), in
  // one round trip.
  params_.clear();
  params_.text(ids);
  const auto r = c_.exec(any_events ? kStreamsLocked : kStreams, params_);
  struct State {
    std::int64_t key = 0;  // 0: a new stream
    std::uint64_t version = 0;
    const std::string* id = nullptr;
    const EventEnvelope* identity = nullptr;  // the first event written to it by this call
  };
  std::unordered_map<std::string, State> streams;
  for (int row = 0; row < r.rows(); ++row) {
    State& s = streams[std::string(r.text(row, 0))];
    s.key = r.int64(row, 1, c_.label());
    s.version = static_cast<std::uint64_t>(r.int64(row, 2, c_.label()));
  }

  // 3. Each batch against its stream as the batches before it leave it.
  std::vector<State*> touched;  // in the order of their first events
  std::vector<std::uint64_t> first_sequence(batches.size());
  std::vector<std::size_t> first_event(batches.size());  // its first event's place among the call's
  std::size_t events = 0;
  for (std::size_t i = 0; i < batches.size(); ++i) {
    if (!accepted[i]) continue;
    const CommitBatch& b = batches[i];
    const auto [it, fresh] = streams.try_emplace(b.stream_id.str());
    State& s = it->second;
    if (!b.expected.matches(s.version)) {
      results[i] = EngineError::version_conflict(b.stream_id.str(), b.expected.to_string(), s.version);
      accepted[i] = false;
      continue;
    }
    if (b.events.empty()) continue;
    if (!s.identity) {
      s.id = &it->first;
      s.identity = &b.events.front();
      touched.push_back(&s);
    }
    first_sequence[i] = s.version;
    first_event[i] = events;
    s.version += b.events.size();
    events += b.events.size();
  }
  if (touched.empty()) return;

  // 4. The writes: new streams (their keys come back), the others' versions, then all events.
  started_ = true;
  const std::int64_t now = to_nanos(system_now());
  std::string columns[6];
  const auto identity_columns = [&](bool with_key) {
    for (auto& column : columns) column.assign(1, '{');
    for (const State* s : touched) {
      if ((s->key != 0) != with_key) continue;
      if (with_key) array_element(columns[0], std::to_string(s->key));
      else array_element(columns[0], *s->id);
      array_element(columns[1], std::to_string(s->version));
      array_element(columns[2], s->identity->tenant_id.uuid().to_string());
      array_element(columns[3], s->identity->process_id.uuid().to_string());
      array_element(columns[4], s->identity->workflow_id.name());
      array_element(columns[5], s->identity->workflow_id.format_version().to_string());
    }
    params_.clear();
    for (auto& column : columns) params_.text(column += '}');
    params_.int64(now);
    return columns[1].size() > 2;
  };
  if (identity_columns(false)) {
    const auto created = c_.exec(kInsertStreams, params_);
    for (int row = 0; row < created.rows(); ++row)
      streams[std::string(created.text(row, 0))].key = created.int64(row, 1, c_.label());
    // A concurrent commit created one of them first: the caller redoes the call batch by batch,
    // which checks each against the stream as that commit left it.
    for (const State* s : touched)
      if (s->key == 0)
        throw EngineError(EngineError::Kind::Busy,
                          c_.label() + ": stream '" + *s->id + "' was created by a concurrent commit");
  }
  if (identity_columns(true)) c_.queue(kUpdateStreams, std::move(params_));

  // The positions: `events` consecutive ones, known once the reservation's result arrives.
  // It runs after this returns (at the flush): it keeps its own copies of this call's bookkeeping.
  reserve(events, [&batches, accepted, first_event, events](std::int64_t last) {
    const std::int64_t first = last - static_cast<std::int64_t>(events) + 1;
    for (std::size_t i = 0; i < batches.size(); ++i) {
      if (!accepted[i]) continue;
      auto& evs = batches[i].events;
      for (std::size_t j = 0; j < evs.size(); ++j)
        evs[j].global_position = static_cast<std::uint64_t>(first + static_cast<std::int64_t>(first_event[i] + j));
    }
  });
  params_.clear();
  std::size_t rows = 0;
  for (std::size_t i = 0; i < batches.size(); ++i) {
    if (!accepted[i]) continue;
    const CommitBatch& b = batches[i];
    const std::int64_t key = streams.at(b.stream_id.str()).key;
    for (std::size_t j = 0; j < b.events.size(); ++j) {
      add_event_row(b.events[j], key, first_sequence[i] + j + 1, payloads[first_payload[i] + j],
                    static_cast<std::int64_t>(events - 1 - (first_event[i] + j)));
      if (++rows == kRowsPerInsert) {
        c_.queue(insert_sql(rows), std::move(params_));
        params_.clear();
        rows = 0;
      }
    }
  }
  if (rows) c_.queue(insert_sql(rows), std::move(params_));

  for (std::size_t i = 0; i < batches.size(); ++i) {
    if (!accepted[i]) continue;
    CommitBatch& b = batches[i];
    for (std::size_t j = 0; j < b.events.size(); ++j) {
      EventEnvelope& e = b.events[j];
      e.stream_id = b.stream_id;
      e.sequence_number = first_sequence[i] + j + 1;
    }
  }
}

void CommitWriter::insert_outbox(const CommitBatch& batch, std::int64_t key, std::int64_t now) {
  const std::size_t texts_before = batch.events.size();
  for (std::size_t i = 0; i < batch.messages.size(); ++i) {
    const auto& m = batch.messages[i];
    params_.clear();
    params_.text(keys_[i], "the idempotency key")
        .int64(key)
        .text(m.step, "the step")
        .text(m.recipient, "the recipient")
        .text(m.message_type, "the message type")
        .text(texts_[texts_before + i])
        .int64(now);
    c_.queue(batch.events.empty() ? kInsertOutbox : kInsertOutboxAfterEvents, std::move(params_));
  }
}

void CommitWriter::upsert_deadlines(const CommitBatch& batch, std::int64_t key, bool new_stream, std::int64_t now) {
  const std::size_t texts_before = batch.events.size() + batch.messages.size();
  for (std::size_t i = 0; i < batch.deadlines.size(); ++i) {
    const auto& d = batch.deadlines[i];
    if (!new_stream) {
      params_.clear();
      params_.int64(key).text(d.name, "the deadline name");
      c_.queue(kLockDeadline, std::move(params_));
    }
    params_.clear();
    params_.int64(key)
        .text(d.name, "the deadline name")
        .int64(to_nanos(d.due))
        .text(texts_[texts_before + i])
        .int64(now);
    c_.queue(kUpsertDeadline, std::move(params_));
  }
}

void CommitWriter::insert_registrations(const CommitBatch& batch, std::int64_t key, const Uuid& tenant,
                                        const Uuid& process, std::int64_t now) {
  for (const auto& r : batch.registrations) {
    params_.clear();
    params_.uuid(tenant)
        .text(r.kind, "the registry kind")
        .text(r.key, "the registry key")
        .int64(key)
        .uuid(process)
        .int64(now);
    c_.queue(kInsertRegistry, std::move(params_));
  }
}

}  // namespace mako::postgres::detail
