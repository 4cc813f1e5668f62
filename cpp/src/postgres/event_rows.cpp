#include "event_rows.hpp"

#include <chrono>

#include "mako/core/errors.hpp"

namespace mako::postgres::detail {

EventEnvelope decode_event(const Result& r, int row, const std::string& label) {
  EventEnvelope e;
  e.global_position = static_cast<std::uint64_t>(r.int64(row, 0, label));
  const auto corrupt = [&](const std::string& what) {
    return EngineError(EngineError::Kind::Corrupt,
                       label + ": event at position " + std::to_string(e.global_position) + " " + what);
  };
  try {
    e.sequence_number = static_cast<std::uint64_t>(r.int64(row, 1, label));
    e.event_id = EventId(Uuid::parse(r.text(row, 2)));
    e.event_type = std::string(r.text(row, 3));
    e.schema_version = static_cast<std::uint32_t>(r.int64(row, 4, label));
    e.timestamp = Timestamp(std::chrono::nanoseconds(r.int64(row, 5, label)));
    if (!r.null(row, 6)) e.correlation_id = CorrelationId(Uuid::parse(r.text(row, 6)));
    if (!r.null(row, 7)) e.causation_id = CausationId(Uuid::parse(r.text(row, 7)));
    e.conversation_id = ConversationId(Uuid::parse(r.text(row, 8)));
    e.tenant_id = TenantId(Uuid::parse(r.text(row, 9)));
    e.process_id = ProcessId(Uuid::parse(r.text(row, 10)));
    e.workflow_id = WorkflowId(std::string(r.text(row, 11)), FormatVersion::parse(r.text(row, 12)));
    e.stream_id = StreamId(std::string(r.text(row, 14)));
  } catch (const EngineError& error) {
    if (error.kind() == EngineError::Kind::Corrupt) throw;
    throw corrupt(std::string("is unreadable: ") + error.what());
  }
  const auto payload = r.text(row, 13);
  try {
    e.payload = Json::parse(payload.begin(), payload.end());
  } catch (const Json::exception& error) {
    throw corrupt(std::string("has an unreadable payload: ") + error.what());
  }
  return e;
}

}  // namespace mako::postgres::detail
