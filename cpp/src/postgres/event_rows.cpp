#include "event_rows.hpp"

#include <chrono>

#include "mako/core/errors.hpp"
#include "mako/core/json_reader.hpp"

namespace mako::postgres::detail {

const EventEnvelope& EventDecoder::decode(const Result& r, int row) {
  EventEnvelope& e = envelope_;
  e.global_position = static_cast<std::uint64_t>(r.binary_int64(row, 0, label_));
  const auto corrupt = [&](const std::string& what) {
    return EngineError(EngineError::Kind::Corrupt,
                       label_ + ": event at position " + std::to_string(e.global_position) + " " + what);
  };
  try {
    e.sequence_number = static_cast<std::uint64_t>(r.binary_int64(row, 1, label_));
    e.event_id = EventId(r.binary_uuid(row, 2, label_));
    if (const auto type = r.text(row, 3); e.event_type != type) e.event_type.assign(type);
    e.schema_version = static_cast<std::uint32_t>(r.binary_int32(row, 4, label_));
    e.timestamp = Timestamp(std::chrono::nanoseconds(r.binary_int64(row, 5, label_)));
    if (r.null(row, 6)) e.correlation_id.reset();
    else e.correlation_id = CorrelationId(r.binary_uuid(row, 6, label_));
    if (r.null(row, 7)) e.causation_id.reset();
    else e.causation_id = CausationId(r.binary_uuid(row, 7, label_));
    e.conversation_id = ConversationId(r.binary_uuid(row, 8, label_));
    e.tenant_id = TenantId(r.binary_uuid(row, 9, label_));
    e.process_id = ProcessId(r.binary_uuid(row, 10, label_));
    const auto name = r.text(row, 11);
    const auto format = r.text(row, 12);
    if (workflow_name_ != name || format_version_ != format) {
      workflow_name_.clear();  // made again below; empty meanwhile, so a failure leaves no stale match
      e.workflow_id = WorkflowId(std::string(name), FormatVersion::parse(format));
      workflow_name_.assign(name);
      format_version_.assign(format);
    }
    if (const auto stream = r.text(row, 14); e.stream_id.str() != stream) e.stream_id = StreamId(std::string(stream));
  } catch (const EngineError& error) {
    if (error.kind() == EngineError::Kind::Corrupt) throw;
    throw corrupt(std::string("is unreadable: ") + error.what());
  }
  const auto payload = r.text(row, 13);  // json: its text in binary format too
  // Parsed into the previous row's payload tree, which usually has the same shape (no allocation);
  // Json::parse takes what the fast reader leaves to it and reports malformed text.
  if (parse_json_into(payload, e.payload.mutable_json())) return e;
  try {
    e.payload = Json::parse(payload.begin(), payload.end());
  } catch (const Json::exception& error) {
    throw corrupt(std::string("has an unreadable payload: ") + error.what());
  }
  return e;
}

}  // namespace mako::postgres::detail
