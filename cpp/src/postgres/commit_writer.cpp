#include "commit_writer.hpp"

#include <algorithm>

#include "mako/core/errors.hpp"
#include "mako/core/json_text.hpp"
#include "mako/core/timestamp.hpp"

namespace mako::postgres::detail {

namespace {

constexpr const char* kLock = "SELECT pg_advisory_xact_lock($1::bigint)";
constexpr const char* kStreamVersion = "SELECT version FROM streams WHERE stream_id = $1";
// Read under the append lock: the stream as it is and the last position of the log.
constexpr const char* kStreamAndHead =
    "SELECT s.stream_key, s.version, (SELECT coalesce(max(position), 0) FROM events) "
    "FROM (VALUES (1)) AS one LEFT JOIN streams s ON s.stream_id = $1";
constexpr const char* kInsertStream =
    "INSERT INTO streams (stream_id, version, tenant_id, process_id, workflow_name, format_version, created_at_ns, updated_at_ns) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING stream_key";
constexpr const char* kSetVersion = "UPDATE streams SET version = $2, updated_at_ns = $3 WHERE stream_key = $1";
constexpr const char* kInsertEvents =
    "INSERT INTO events (stream_key, sequence, event_id, event_type, schema_version, timestamp_ns, correlation_id, "
    "causation_id, conversation_id, tenant_id, process_id, workflow_name, format_version, payload, position) VALUES ";
constexpr int kEventColumns = 15;
constexpr std::size_t kRowsPerInsert = 1000;  // 15,000 parameters of PostgreSQL's 65,535

std::int64_t nanos(Timestamp t) { return t.time_since_epoch().count(); }

std::string insert_sql(std::size_t rows) {
  std::string sql = kInsertEvents;
  int p = 1;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r ? ",(" : "(";
    for (int col = 0; col < kEventColumns; ++col) {
      if (col) sql += ',';
      sql += '$' + std::to_string(p++);
      if (col == 13) sql += "::json";
    }
    sql += ')';
  }
  return sql;
}

}  // namespace

std::optional<EngineError> unsupported_parts(const CommitBatch& batch, const std::string& label) {
  std::string parts;
  const auto add = [&](bool present, const char* what) {
    if (!present) return;
    if (!parts.empty()) parts += ", ";
    parts += what;
  };
  add(!batch.messages.empty(), "outbox messages");
  add(!batch.deadlines.empty(), "deadlines");
  add(!batch.registrations.empty(), "registry entries");
  if (parts.empty()) return std::nullopt;
  return EngineError::invalid_input(
      label + ": the batch for stream '" + batch.stream_id.str() + "' carries " + parts +
      ", which the PostgreSQL store does not hold yet (docs/postgresql.md); nothing was written. "
      "Use the SQLite store for workflows that send messages, set deadlines or register keys");
}

void CommitWriter::lock() {
  if (locked_) return;
  params_.clear();
  params_.int64(lock_key_);
  c_.exec(kLock, params_);
  locked_ = true;
}

std::uint64_t CommitWriter::write(CommitBatch& batch) {
  started_ = false;
  const std::string& sid = batch.stream_id.str();
  if (auto refused = unsupported_parts(batch, c_.label())) throw *refused;

  // Everything that can refuse the batch is checked, and every payload rendered, before its first
  // write: a refused batch leaves nothing behind.
  payloads_.resize(batch.events.size());
  for (std::size_t i = 0; i < batch.events.size(); ++i) {
    const EventEnvelope& e = batch.events[i];
    if (e.event_type.empty()) throw empty_event_type(batch.stream_id, i);
    if (e.event_type.find('\0') != std::string::npos || e.workflow_id.name().find('\0') != std::string::npos)
      throw EngineError::invalid_input(
          "event " + std::to_string(i + 1) + " of the batch for stream '" + sid +
          "' has a NUL byte in its type or workflow name, which PostgreSQL cannot store; nothing was written");
    payloads_[i].clear();
    try {
      e.payload.append_json_text(payloads_[i]);
    } catch (const Json::exception& ex) {
      throw EngineError(EngineError::Kind::Serialization, "payload of event " + std::to_string(i + 1) +
                                                              " of the batch cannot be stored as JSON: " + ex.what());
    }
  }

  if (batch.events.empty()) {  // nothing to write: the expected version is checked against the last commit
    params_.clear();
    params_.text(sid);
    const auto r = c_.exec(kStreamVersion, params_);
    const std::uint64_t actual = r.rows() ? static_cast<std::uint64_t>(r.int64(0, 0, c_.label())) : 0;
    if (!batch.expected.matches(actual)) throw EngineError::version_conflict(sid, batch.expected.to_string(), actual);
    return actual;
  }

  lock();
  params_.clear();
  params_.text(sid);
  const auto head = c_.exec(kStreamAndHead, params_);
  const bool exists = !head.null(0, 0);
  std::int64_t key = exists ? head.int64(0, 0, c_.label()) : 0;
  const std::uint64_t actual = exists ? static_cast<std::uint64_t>(head.int64(0, 1, c_.label())) : 0;
  const std::int64_t first_position = head.int64(0, 2, c_.label()) + 1;
  if (!batch.expected.matches(actual)) throw EngineError::version_conflict(sid, batch.expected.to_string(), actual);

  started_ = true;
  const std::uint64_t version = actual + batch.events.size();
  const std::int64_t now = nanos(system_now());
  params_.clear();
  if (!exists) {
    const EventEnvelope& first = batch.events.front();
    params_.text(sid)
        .int64(static_cast<std::int64_t>(version))
        .uuid(first.tenant_id.uuid())
        .uuid(first.process_id.uuid())
        .text(first.workflow_id.name(), "the workflow name")
        .text(first.workflow_id.format_version().to_string())
        .int64(now);
    key = c_.exec(kInsertStream, params_).int64(0, 0, c_.label());
  } else {
    params_.int64(key).int64(static_cast<std::int64_t>(version)).int64(now);
    c_.exec(kSetVersion, params_);
  }

  for (std::size_t begin = 0; begin < batch.events.size(); begin += kRowsPerInsert) {
    const std::size_t end = std::min(batch.events.size(), begin + kRowsPerInsert);
    params_.clear();
    for (std::size_t i = begin; i < end; ++i) {
      const EventEnvelope& e = batch.events[i];
      params_.int64(key)
          .int64(static_cast<std::int64_t>(actual + i + 1))
          .uuid(e.event_id.uuid())
          .text(e.event_type, "the event type")
          .int64(static_cast<std::int64_t>(e.schema_version))
          .int64(nanos(e.timestamp))
          .optional_id(e.correlation_id)
          .optional_id(e.causation_id)
          .uuid(e.conversation_id.uuid())
          .uuid(e.tenant_id.uuid())
          .uuid(e.process_id.uuid())
          .text(e.workflow_id.name(), "the workflow name")
          .text(e.workflow_id.format_version().to_string())
          .text(payloads_[i])
          .int64(first_position + static_cast<std::int64_t>(i));
    }
    c_.exec(insert_sql(end - begin), params_);
  }

  // Only now, with every statement done, does the batch count.
  for (std::size_t i = 0; i < batch.events.size(); ++i) {
    EventEnvelope& e = batch.events[i];
    e.stream_id = batch.stream_id;
    e.sequence_number = actual + i + 1;
    e.global_position = static_cast<std::uint64_t>(first_position) + i;
  }
  return version;
}

}  // namespace mako::postgres::detail
