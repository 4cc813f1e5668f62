#include "event_rows.hpp"

#include <array>
#include <cstring>

#include "json_reader.hpp"
#include "mako/core/errors.hpp"

namespace mako::sqlite::detail {

namespace {
[[noreturn]] void corrupt(const std::string& path, const std::string& what) {
  throw EngineError(EngineError::Kind::Corrupt, "sqlite store '" + path + "': " + what);
}

template <class Id>
std::optional<Id> optional_id(const Statement& s, int column, const std::string& path, const char* name) {
  if (s.is_null(column)) return std::nullopt;
  return Id(uuid_from_blob(s.blob(column), path, name));
}

std::optional<WorkflowId> optional_workflow(const Statement& s, int name_column, const std::string& path) {
  if (s.is_null(name_column)) return std::nullopt;
  try {
    return WorkflowId(std::string(s.text(name_column)), FormatVersion::parse(s.text(name_column + 1)));
  } catch (const EngineError& e) {
    corrupt(path, std::string("unreadable workflow id: ") + e.what());
  }
}
}  // namespace

Uuid uuid_from_blob(std::string_view blob, const std::string& path, const char* column) {
  if (blob.size() != 16) corrupt(path, std::string("column ") + column + " holds " + std::to_string(blob.size()) + " bytes, not a 16-byte UUID");
  std::array<std::uint8_t, 16> bytes;
  std::memcpy(bytes.data(), blob.data(), 16);
  return Uuid(bytes);
}

StreamRow StreamRow::read(const Statement& s, const std::string& path) {
  StreamRow row;
  row.key = s.int64(0);
  row.version = static_cast<std::uint64_t>(s.int64(1));
  row.tenant = optional_id<TenantId>(s, 2, path, "streams.tenant_id");
  row.process = optional_id<ProcessId>(s, 3, path, "streams.process_id");
  row.workflow = optional_workflow(s, 4, path);
  try {
    row.stream_id = StreamId(std::string(s.text(6)));
  } catch (const EngineError& e) {
    corrupt(path, std::string("unreadable stream id: ") + e.what());
  }
  return row;
}

void EventDecoder::set_stream(const StreamRow& stream) {
  stream_ = &stream;
  envelope_.stream_id = *stream.stream_id;
}

const EventEnvelope& EventDecoder::decode(const Statement& s) {
  EventEnvelope& e = envelope_;
  e.global_position = static_cast<std::uint64_t>(s.int64(0));
  e.sequence_number = static_cast<std::uint64_t>(s.int64(1));
  e.event_id = EventId(uuid_from_blob(s.blob(2), path_, "events.event_id"));
  const auto type = s.text(3);
  e.event_type.assign(type.data(), type.size());
  e.schema_version = static_cast<std::uint32_t>(s.int64(4));
  e.timestamp = Timestamp(std::chrono::nanoseconds(s.int64(5)));
  e.correlation_id = optional_id<CorrelationId>(s, 6, path_, "events.correlation_id");
  e.causation_id = optional_id<CausationId>(s, 7, path_, "events.causation_id");
  e.conversation_id = ConversationId(uuid_from_blob(s.blob(8), path_, "events.conversation_id"));

  auto own_tenant = optional_id<TenantId>(s, 9, path_, "events.tenant_id");
  auto own_process = optional_id<ProcessId>(s, 10, path_, "events.process_id");
  if (!own_tenant && !stream_->tenant) corrupt(path_, "event at position " + std::to_string(e.global_position) + " has no tenant");
  if (!own_process && !stream_->process) corrupt(path_, "event at position " + std::to_string(e.global_position) + " has no process");
  e.tenant_id = own_tenant ? *own_tenant : *stream_->tenant;
  e.process_id = own_process ? *own_process : *stream_->process;
  if (s.is_null(11)) {
    if (!stream_->workflow) corrupt(path_, "event at position " + std::to_string(e.global_position) + " has no workflow id");
    if (e.workflow_id.name() != stream_->workflow->name() || e.workflow_id.format_version() != stream_->workflow->format_version())
      e.workflow_id = *stream_->workflow;
  } else {
    e.workflow_id = *optional_workflow(s, 11, path_);
  }

  // Parsed into the previous row's payload tree, which usually has the same shape (no allocation);
  // Json::parse handles what the fast reader leaves to it, and reports malformed text.
  const auto payload = s.text(13);
  if (parse_json_into(payload, e.payload)) return e;
  try {
    e.payload = Json::parse(payload.begin(), payload.end());
  } catch (const Json::exception& ex) {
    corrupt(path_, "event at position " + std::to_string(e.global_position) + " has an unreadable payload: " + ex.what());
  }
  return e;
}

}  // namespace mako::sqlite::detail
