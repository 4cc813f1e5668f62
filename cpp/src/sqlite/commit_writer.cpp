#include "commit_writer.hpp"

#include <sqlite3.h>

#include "event_rows.hpp"
#include "mako/core/errors.hpp"
#include "mako/core/json_text.hpp"

namespace mako::sqlite::detail {

namespace {

constexpr const char* kSelectStream = "SELECT " MAKO_STREAM_COLUMNS " FROM streams WHERE stream_id = ?1";
// A new stream's row is written with the version it has after its first batch: no UPDATE follows.
constexpr const char* kInsertStream =
    "INSERT INTO streams (stream_id, version, tenant_id, process_id, workflow_name, format_version, created_at_ns, updated_at_ns) "
    "VALUES (?1, ?7, ?2, ?3, ?4, ?5, ?6, ?6)";
constexpr const char* kSetStreamIdentity =
    "UPDATE streams SET tenant_id = ?2, process_id = ?3, workflow_name = ?4, format_version = ?5 WHERE stream_key = ?1";
constexpr const char* kSetStreamVersion = "UPDATE streams SET version = ?2, updated_at_ns = ?3 WHERE stream_key = ?1";
constexpr const char* kInsertEvent =
    "INSERT INTO events (stream_key, sequence, event_id, event_type, schema_version, timestamp_ns, correlation_id, "
    "causation_id, conversation_id, tenant_id, process_id, workflow_name, format_version, payload, position) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
constexpr const char* kLastPosition = "SELECT coalesce(max(position), 0) FROM events";
constexpr const char* kDataVersion = "PRAGMA data_version";
// Streams the cache keeps between transactions at most (then it starts over).
constexpr std::size_t kMaxCachedStreams = 100000;
constexpr const char* kInsertOutbox =
    "INSERT INTO outbox (idempotency_key, stream_key, position, step, recipient, message_type, payload, created_at_ns) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (idempotency_key) DO NOTHING";
// Scheduling a name again replaces the pending deadline (a new due time or command).
constexpr const char* kUpsertDeadline =
    "INSERT INTO deadlines (stream_key, name, due_ns, command, created_at_ns) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (stream_key, name) DO UPDATE SET due_ns = excluded.due_ns, command = excluded.command, "
    "status = 'pending', fired_at_ns = NULL, outcome = NULL";
constexpr const char* kInsertRegistry =
    "INSERT INTO registry (tenant_id, kind, key, stream_key, process_id, created_at_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
    "ON CONFLICT DO NOTHING";

void bind_uuid(Statement& s, int index, const Uuid& id) { s.bind_blob(index, id.bytes().data(), 16); }
template <class Id>
void bind_optional(Statement& s, int index, const std::optional<Id>& id) {
  if (id) bind_uuid(s, index, id->uuid());
  else s.bind_null(index);
}

std::int64_t nanos(Timestamp t) { return t.time_since_epoch().count(); }

// The identity a new stream takes from its first event.
void bind_identity(Statement& s, const EventEnvelope& e, const std::string& fv) {
  bind_uuid(s, 2, e.tenant_id.uuid());
  bind_uuid(s, 3, e.process_id.uuid());
  s.bind(4, e.workflow_id.name());
  s.bind(5, fv);
}

}  // namespace

// Every text of a batch goes into one buffer (no allocation once it has grown), written by
// append_json: the same text as Json::dump(), at a fraction of nlohmann's per-byte cost.
template <class Value, class What>
void CommitWriter::dump_json(const Value& value, const What& what) {
  const std::size_t begin = text_buffer_.size();
  try {
    if constexpr (std::is_same_v<Value, EventPayload>)
      value.append_json_text(text_buffer_);  // native events: no Json built
    else append_json(value, text_buffer_);
  } catch (const Json::exception& e) {
    throw EngineError(EngineError::Kind::Serialization, what() + " cannot be stored as JSON: " + e.what());
  }
  texts_.push_back({begin, text_buffer_.size() - begin});
}

std::string_view CommitWriter::text(std::size_t i) const {
  return std::string_view(text_buffer_).substr(texts_[i].first, texts_[i].second);
}

std::int64_t check_commit_cache(Connection& c) {
  auto& units = c.units;
  if (units.depth() > 0 && units.cache_checked) return units.data_version;
  std::int64_t data_version;
  {
    StatementScope s(c.statement(kDataVersion));
    data_version = s->step() ? s->int64(0) : -1;
  }
  if (c.commit_cache && c.commit_cache->data_version != data_version) c.commit_cache.reset();
  if (units.depth() > 0) {
    units.cache_checked = true;
    units.data_version = data_version;
  }
  return data_version;
}

std::optional<std::uint64_t> cached_stream_version(Connection& c, const std::string& stream) {
  if (c.units.depth() == 0) return std::nullopt;  // outside a unit the check would cost a query anyway
  check_commit_cache(c);
  if (!c.commit_cache) return std::nullopt;
  const auto it = c.commit_cache->streams.find(stream);
  if (it == c.commit_cache->streams.end()) return std::nullopt;
  return it->second.row.version;
}

CommitWriter::CommitWriter(Connection& c) : c_(c) {
  const std::int64_t data_version = check_commit_cache(c_);
  auto cache = std::move(c_.commit_cache);  // a rollback leaves the connection without one
  if (cache) cache_ = std::move(*cache);
  cache_.data_version = data_version;
}

void CommitWriter::committed() {
  if (cache_.streams.size() > kMaxCachedStreams) cache_ = CommitCache{};
  c_.commit_cache = std::make_shared<CommitCache>(std::move(cache_));
}

CommitWriter::Stream CommitWriter::load_stream(const std::string& sid) {
  Stream stream;
  StatementScope s(c_.statement(kSelectStream));
  s->bind(1, sid);
  if (s->step()) {
    stream.row = StreamRow::read(*s, c_.path());
    stream.stored_version = stream.row.version;
  }
  return stream;
}

// Global positions are assigned here, inside the write transaction: SQLite admits one writer at a
// time (BEGIN IMMEDIATE holds the write lock from the first read to COMMIT, across threads and
// processes), so transactions get consecutive position ranges in exactly the order they commit,
// and a transaction's positions become visible all at once. A tailing reader that has seen
// position P can therefore never later find a commit below P — unlike sequence-based ids in
// databases with concurrent writers, where a slow transaction can commit a lower id late.
std::int64_t CommitWriter::next_position() {
  if (cache_.next_position == 0) {
    StatementScope s(c_.statement(kLastPosition));
    cache_.next_position = (s->step() ? s->int64(0) : 0) + 1;
  }
  return cache_.next_position;
}

std::uint64_t CommitWriter::write(CommitBatch& batch) {
  started_ = false;
  const std::string& sid = batch.stream_id.str();

  // The stream's cached state is only read here and updated at the end, once every statement of
  // the batch has run: a throw leaves it as it was, matching a rolled-back savepoint.
  auto cached = cache_.streams.find(sid);
  if (cached == cache_.streams.end())
    cached = cache_.streams.emplace(sid, load_stream(sid)).first;  // a read: true either way
  Stream& stream = cached->second;
  const StreamRow& row = stream.row;
  const std::uint64_t actual = row.version;
  if (!batch.expected.matches(actual)) throw EngineError::version_conflict(sid, batch.expected.to_string(), actual);
  if (batch.events.empty() && batch.messages.empty() && batch.deadlines.empty() && batch.registrations.empty())
    return actual;

  const EventEnvelope* first = batch.events.empty() ? nullptr : &batch.events.front();
  // The identity the stream has after this batch: its own, or (first events) the first event's.
  const Identity id{row.tenant ? &*row.tenant : (first ? &first->tenant_id : nullptr),
                    row.process ? &*row.process : (first ? &first->process_id : nullptr),
                    row.workflow ? &*row.workflow : (first ? &first->workflow_id : nullptr)};
  const bool takes_identity = first && !row.tenant;
  check_and_serialise(batch, id);

  // From here on only SQLite can fail (a full disk, a value too big): append_many then redoes the
  // transaction with savepoints.
  started_ = true;
  const bool exists = row.key != 0;
  // Wall-clock stamps are needed only by some batches.
  const bool needs_now = !exists || !batch.messages.empty() || !batch.deadlines.empty() || !batch.registrations.empty();
  const std::int64_t now = needs_now ? nanos(system_now()) : 0;
  const std::int64_t key = write_stream_row(batch, row, takes_identity, now);
  const std::int64_t position = batch.events.empty() ? 0 : next_position();
  insert_events(batch, key, actual, position, id);
  const std::uint64_t last_position =
      batch.events.empty() ? 0 : static_cast<std::uint64_t>(position) + batch.events.size() - 1;
  insert_outbox(batch, key, last_position, now);
  upsert_deadlines(batch, key, now);
  insert_registrations(batch, key, id, now);

  // Only now, with every statement done, does the batch count.
  const std::uint64_t version = actual + batch.events.size();
  for (std::size_t i = 0; i < batch.events.size(); ++i) {
    EventEnvelope& e = batch.events[i];
    e.stream_id = batch.stream_id;
    e.sequence_number = actual + i + 1;
    e.global_position = static_cast<std::uint64_t>(position) + i;
  }
  StreamRow& updated = stream.row;
  updated.key = key;
  if (takes_identity) {
    updated.tenant = first->tenant_id;
    updated.process = first->process_id;
    updated.workflow = first->workflow_id;
  }
  updated.version = version;
  if (!exists) stream.stored_version = version;  // inserted with it
  if (!stream.dirty && version != stream.stored_version) {
    stream.dirty = true;
    dirty_.push_back(&stream);  // unordered_map nodes stay put
  }
  if (!batch.events.empty()) cache_.next_position = position + static_cast<std::int64_t>(batch.events.size());
  return version;
}

// Everything that can refuse the batch is checked, and every JSON text produced, before its first
// write: a refused batch leaves nothing behind, so append_many needs no savepoint per batch.
// The error context is built only on a throw: the strings cost more than a small payload's dump.
// Texts: the events' payloads, then the messages', then the deadlines' commands (see text()).
void CommitWriter::check_and_serialise(const CommitBatch& batch, const Identity& id) {
  text_buffer_.clear();  // keeps its capacity: no allocation once the buffer has grown
  texts_.clear();
  for (std::size_t i = 0; i < batch.events.size(); ++i) {
    if (batch.events[i].event_type.empty()) throw empty_event_type(batch.stream_id, i);
    dump_json(batch.events[i].payload, [&] { return "payload of event " + std::to_string(i + 1) + " of the batch"; });
  }
  if (keys_.size() < batch.messages.size()) keys_.resize(batch.messages.size());
  for (std::size_t i = 0; i < batch.messages.size(); ++i) {
    const auto& m = batch.messages[i];
    keys_[i] = m.idempotency_key;
    if (keys_[i].empty()) {
      if (!id.process) throw EngineError::invalid_input("outbound message '" + m.step + "' has no idempotency_key");
      keys_[i] = outbox_idempotency_key(*id.process, m.step, m.recipient, id.workflow->format_version()).to_string();
    }
    dump_json(m.payload, [&] { return "payload of outbound message '" + m.step + "'"; });
  }
  for (const auto& d : batch.deadlines) {
    if (d.name.empty()) throw EngineError::invalid_input("a deadline needs a name (unique per process)");
    dump_json(d.command, [&] { return "command of deadline '" + d.name + "'"; });
  }
  if (!batch.registrations.empty()) {
    if (!id.tenant)
      throw EngineError::invalid_input("registry entries of stream '" + batch.stream_id.str() +
                                       "' need an event first: the tenant scopes them");
    for (const auto& r : batch.registrations)
      if (r.kind.empty() || r.key.empty()) throw EngineError::invalid_input("a registry entry needs a kind and a key");
  }
}

// The stream's row: inserted for a new stream (with its final version), given the first event's
// identity when the stream so far carried only messages. Returns its key.
std::int64_t CommitWriter::write_stream_row(const CommitBatch& batch, const StreamRow& row, bool takes_identity,
                                            std::int64_t now) {
  const EventEnvelope* first = batch.events.empty() ? nullptr : &batch.events.front();
  if (row.key != 0 && !takes_identity) return row.key;
  const std::string first_fv = first ? first->workflow_id.format_version().to_string() : std::string();
  if (row.key == 0) {
    StatementScope s(c_.statement(kInsertStream));
    s->bind(1, batch.stream_id.str());
    if (first) bind_identity(*s, *first, first_fv);
    s->bind(6, now);
    s->bind(7, static_cast<std::int64_t>(row.version + batch.events.size()));
    s->run();
    return sqlite3_last_insert_rowid(c_.handle());
  }
  StatementScope s(c_.statement(kSetStreamIdentity));
  s->bind(1, row.key);
  bind_identity(*s, *first, first_fv);
  s->run();
  return row.key;
}

void CommitWriter::insert_events(const CommitBatch& batch, std::int64_t key, std::uint64_t version,
                                 std::int64_t position, const Identity& id) {
  if (batch.events.empty()) return;
  StatementScope s(c_.statement(kInsertEvent));
  std::string fv;
  for (std::size_t i = 0; i < batch.events.size(); ++i) {
    const EventEnvelope& e = batch.events[i];
    s->bind(1, key);
    s->bind(2, static_cast<std::int64_t>(version + i + 1));
    bind_uuid(*s, 3, e.event_id.uuid());
    s->bind(4, e.event_type);
    s->bind(5, static_cast<std::int64_t>(e.schema_version));
    s->bind(6, nanos(e.timestamp));
    bind_optional(*s, 7, e.correlation_id);
    bind_optional(*s, 8, e.causation_id);
    bind_uuid(*s, 9, e.conversation_id.uuid());
    // NULL = the stream's value; only a deviating event stores its own.
    if (e.tenant_id != *id.tenant) bind_uuid(*s, 10, e.tenant_id.uuid());
    if (e.process_id != *id.process) bind_uuid(*s, 11, e.process_id.uuid());
    if (e.workflow_id != *id.workflow) {
      fv = e.workflow_id.format_version().to_string();
      s->bind(12, e.workflow_id.name());
      s->bind(13, fv);
    }
    s->bind(14, text(i));
    s->bind(15, position + static_cast<std::int64_t>(i));
    s->run();
    s->reset();
  }
}

void CommitWriter::insert_outbox(const CommitBatch& batch, std::int64_t key, std::uint64_t last_position,
                                 std::int64_t now) {
  if (batch.messages.empty()) return;
  StatementScope s(c_.statement(kInsertOutbox));
  const std::size_t texts_before = batch.events.size();
  for (std::size_t i = 0; i < batch.messages.size(); ++i) {
    const auto& m = batch.messages[i];
    s->bind(1, keys_[i]);
    s->bind(2, key);
    if (last_position) s->bind(3, static_cast<std::int64_t>(last_position));
    s->bind(4, m.step);
    s->bind(5, m.recipient);
    s->bind(6, m.message_type);
    s->bind(7, text(texts_before + i));
    s->bind(8, now);
    s->run();
    s->reset();
  }
}

void CommitWriter::upsert_deadlines(const CommitBatch& batch, std::int64_t key, std::int64_t now) {
  if (batch.deadlines.empty()) return;
  StatementScope s(c_.statement(kUpsertDeadline));
  const std::size_t texts_before = batch.events.size() + batch.messages.size();
  for (std::size_t i = 0; i < batch.deadlines.size(); ++i) {
    const auto& d = batch.deadlines[i];
    s->bind(1, key);
    s->bind(2, d.name);
    s->bind(3, nanos(d.due));
    s->bind(4, text(texts_before + i));
    s->bind(5, now);
    s->run();
    s->reset();
  }
}

void CommitWriter::insert_registrations(const CommitBatch& batch, std::int64_t key, const Identity& id,
                                        std::int64_t now) {
  if (batch.registrations.empty()) return;
  StatementScope s(c_.statement(kInsertRegistry));
  for (const auto& r : batch.registrations) {
    bind_uuid(*s, 1, id.tenant->uuid());
    s->bind(2, r.kind);
    s->bind(3, r.key);
    s->bind(4, key);
    bind_uuid(*s, 5, id.process->uuid());
    s->bind(6, now);
    s->run();
    s->reset();
  }
}

void CommitWriter::flush() {
  const std::int64_t now = nanos(system_now());
  StatementScope v(c_.statement(kSetStreamVersion));
  for (Stream* stream : dirty_) {
    stream->dirty = false;
    if (stream->row.version == stream->stored_version) continue;
    v->bind(1, stream->row.key);
    v->bind(2, static_cast<std::int64_t>(stream->row.version));
    v->bind(3, now);
    v->run();
    v->reset();
    stream->stored_version = stream->row.version;
  }
  dirty_.clear();
}

}  // namespace mako::sqlite::detail
