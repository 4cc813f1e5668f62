#include "service_rows.hpp"

#include "event_rows.hpp"
#include "mako/core/errors.hpp"
#include "mako/core/json_reader.hpp"

namespace mako::sqlite::detail {

namespace {
[[noreturn]] void corrupt(const std::string& path, const std::string& what) {
  throw EngineError(EngineError::Kind::Corrupt, "sqlite store '" + path + "': " + what);
}
}  // namespace

StreamId read_stream_id(const Statement& s, int column, const std::string& path) {
  try {
    return StreamId(std::string(s.text(column)));
  } catch (const EngineError& e) {
    corrupt(path, std::string("unreadable stream id: ") + e.what());
  }
}

std::optional<ProcessIdentity> read_identity(const Statement& s, int column, const std::string& path) {
  if (s.is_null(column + 1) || s.is_null(column + 2) || s.is_null(column + 3)) return std::nullopt;
  return read_identity(s, column, path, read_stream_id(s, column, path));
}

std::optional<ProcessIdentity> read_identity(const Statement& s, int column, const std::string& path,
                                             const StreamId& stream) {
  if (s.is_null(column + 1) || s.is_null(column + 2) || s.is_null(column + 3)) return std::nullopt;
  try {
    return ProcessIdentity{stream, ProcessId(uuid_from_blob(s.blob(column + 2), path, "streams.process_id")),
                           TenantId(uuid_from_blob(s.blob(column + 1), path, "streams.tenant_id")),
                           WorkflowId(std::string(s.text(column + 3)), FormatVersion::parse(s.text(column + 4)))};
  } catch (const EngineError& e) {
    if (e.kind() == EngineError::Kind::Corrupt) throw;
    corrupt(path, std::string("unreadable stream identity: ") + e.what());
  }
}

Json parse_stored_json(std::string_view text, const std::string& path, std::string_view what, std::string_view name) {
  // The fast reader (json_reader.hpp) gives what Json::parse gives, with far fewer allocations;
  // Json::parse takes what it leaves, and reports malformed text.
  // Service rows hold flat objects of up to a dozen or so members (an outbox payload has 11-13):
  // room for 16 at once spares growing past 8 for nearly all of them.
  Json out;
  if (parse_json_into(text, out, 16)) return out;
  try {
    return Json::parse(text.begin(), text.end());
  } catch (const Json::exception& e) {
    corrupt(path, std::string(what) + " '" + std::string(name) + "' is not valid JSON: " + e.what());
  }
}

std::string dump_json_for_storage(const Json& value, const std::string& what) {
  try {
    return value.dump();
  } catch (const Json::exception& e) {
    throw EngineError(EngineError::Kind::Serialization, what + " cannot be stored as JSON: " + e.what());
  }
}

void bind_id(Statement& s, int index, const Uuid& id) { s.bind_blob(index, id.bytes().data(), 16); }

}  // namespace mako::sqlite::detail
