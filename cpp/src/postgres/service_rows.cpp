#include "service_rows.hpp"

#include "mako/core/errors.hpp"

namespace mako::postgres::detail {

namespace {
[[noreturn]] void corrupt(const std::string& label, const std::string& what) {
  throw EngineError(EngineError::Kind::Corrupt, label + ": " + what);
}
}  // namespace

StreamId read_stream_id(const Result& r, int row, int column, const std::string& label) {
  try {
    return StreamId(std::string(r.text(row, column)));
  } catch (const EngineError& e) {
    corrupt(label, std::string("unreadable stream id: ") + e.what());
  }
}

std::optional<ProcessIdentity> read_identity(const Result& r, int row, int column, const std::string& label) {
  const StreamId stream = read_stream_id(r, row, column, label);
  if (r.null(row, column + 1) || r.null(row, column + 2) || r.null(row, column + 3) || r.null(row, column + 4))
    return std::nullopt;
  try {
    return ProcessIdentity{
        stream, ProcessId(Uuid::parse(r.text(row, column + 2))), TenantId(Uuid::parse(r.text(row, column + 1))),
        WorkflowId(std::string(r.text(row, column + 3)), FormatVersion::parse(r.text(row, column + 4)))};
  } catch (const EngineError& e) {
    corrupt(label, "unreadable identity of stream '" + stream.str() + "': " + e.what());
  }
}

Json parse_stored_json(std::string_view text, const std::string& label, std::string_view what, std::string_view name) {
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    corrupt(label, std::string(what) + " '" + std::string(name) + "' is not valid JSON: " + e.what());
  }
}

std::string dump_json_for_storage(const Json& value, const std::string& what) {
  try {
    return value.dump();
  } catch (const Json::exception& e) {
    throw EngineError(EngineError::Kind::Serialization, what + " cannot be stored as JSON: " + e.what());
  }
}

}  // namespace mako::postgres::detail
