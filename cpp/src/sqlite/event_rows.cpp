#include "event_rows.hpp"

#include <array>
#include <cstring>

#include <sqlite3.h>

#include "mako/core/errors.hpp"
#include "mako/core/json_reader.hpp"

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
  if (blob.size() != 16)
    corrupt(path,
            std::string("column ") + column + " holds " + std::to_string(blob.size()) + " bytes, not a 16-byte UUID");
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
  if (&stream == stream_) return;
  stream_ = &stream;
  envelope_.stream_id = *stream.stream_id;
  workflow_is_stream_ = false;
}

namespace {
// A column read through its sqlite3_value (see Statement::value).
struct Value {
  sqlite3_value* v;
  bool null() const { return sqlite3_value_type(v) == SQLITE_NULL; }
  std::string_view text() const {
    auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));  // before bytes(), as SQLite asks
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_value_bytes(v))) : std::string_view();
  }
  std::string_view blob() const {
    auto* p = static_cast<const char*>(sqlite3_value_blob(v));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_value_bytes(v))) : std::string_view();
  }
};

template <class Id>
void read_optional_id(Value v, std::optional<Id>& out, const std::string& path, const char* name) {
  if (v.null()) out.reset();
  else out = Id(uuid_from_blob(v.blob(), path, name));
}
}  // namespace

const EventEnvelope& EventDecoder::decode(const Statement& s) {
  EventEnvelope& e = envelope_;
  const auto col = [&](int i) { return Value{s.value(i)}; };
  // Integers straight from the statement (one call either way); the other columns through their value.
  e.global_position = static_cast<std::uint64_t>(s.int64(0));
  e.sequence_number = static_cast<std::uint64_t>(s.int64(1));
  e.event_id = EventId(uuid_from_blob(col(2).blob(), path_, "events.event_id"));
  const auto type = col(3).text();
  if (e.event_type != type) e.event_type.assign(type.data(), type.size());  // a stream repeats its types
  e.schema_version = static_cast<std::uint32_t>(s.int64(4));
  e.timestamp = Timestamp(std::chrono::nanoseconds(s.int64(5)));
  read_optional_id(col(6), e.correlation_id, path_, "events.correlation_id");
  read_optional_id(col(7), e.causation_id, path_, "events.causation_id");
  e.conversation_id = ConversationId(uuid_from_blob(col(8).blob(), path_, "events.conversation_id"));

  // NULL (the usual case): the stream's value.
  if (const Value tenant = col(9); !tenant.null()) {
    e.tenant_id = TenantId(uuid_from_blob(tenant.blob(), path_, "events.tenant_id"));
  } else {
    if (!stream_->tenant) corrupt(path_, "event at position " + std::to_string(e.global_position) + " has no tenant");
    e.tenant_id = *stream_->tenant;
  }
  if (const Value process = col(10); !process.null()) {
    e.process_id = ProcessId(uuid_from_blob(process.blob(), path_, "events.process_id"));
  } else {
    if (!stream_->process) corrupt(path_, "event at position " + std::to_string(e.global_position) + " has no process");
    e.process_id = *stream_->process;
  }
  if (col(11).null()) {
    if (!stream_->workflow)
      corrupt(path_, "event at position " + std::to_string(e.global_position) + " has no workflow id");
    if (!workflow_is_stream_) e.workflow_id = *stream_->workflow;  // copied once per stream, not per row
    workflow_is_stream_ = true;
  } else {
    e.workflow_id = *optional_workflow(s, 11, path_);
    workflow_is_stream_ = false;
  }

  const auto payload = col(13).text();
  if (lazy_) {
    if (!shared_path_) shared_path_ = std::make_shared<const std::string>(path_);
    e.payload = EventPayload(std::make_shared<StoredPayload>(std::string(payload), shared_path_, e.global_position));
    return e;
  }
  // Parsed into the previous row's payload tree, which usually has the same shape (no allocation).
  parse_payload(payload, e.payload.mutable_json(), path_, e.global_position);
  return e;
}

void parse_payload(std::string_view text, Json& out, const std::string& path, std::uint64_t position) {
  if (parse_json_into(text, out)) return;
  // Json::parse handles what the fast reader leaves to it, and reports malformed text.
  try {
    out = Json::parse(text.begin(), text.end());
  } catch (const Json::exception& ex) {
    corrupt(path, "event at position " + std::to_string(position) + " has an unreadable payload: " + ex.what());
  }
}

namespace {
const char kStoredPayloadTag = 0;
}

StoredPayload::StoredPayload(std::string text, std::shared_ptr<const std::string> path, std::uint64_t position)
    : NativeEvent(&kStoredPayloadTag), text_(std::move(text)), path_(std::move(path)), position_(position) {}

const StoredPayload* StoredPayload::of(const EventPayload& payload) {
  const NativeEvent* native = payload.native();
  return native && native->tag() == &kStoredPayloadTag ? static_cast<const StoredPayload*>(native) : nullptr;
}

Json StoredPayload::render() const {
  Json out;
  parse_payload(text_, out, *path_, position_);
  return out;
}

}  // namespace mako::sqlite::detail
