#include "mako/core/process_identity.hpp"

#include "json_fields.hpp"

namespace mako {

namespace {
constexpr const char* kWhat = "process identity";
}

ProcessIdentity ProcessIdentity::create(const TenantId& tenant, const ProcessId& process, WorkflowId workflow) {
  return ProcessIdentity{StreamId::for_process(tenant, process), process, tenant, std::move(workflow)};
}

Json ProcessIdentity::to_json() const {
  Json j = Json::object();
  j["stream_id"] = stream_id.str();
  j["process_id"] = process_id.to_string();
  j["tenant_id"] = tenant_id.to_string();
  j["workflow_id"] = detail::workflow_id_to_json(workflow_id);
  return j;
}

std::string ProcessIdentity::to_json_string() const { return to_json().dump(); }

ProcessIdentity ProcessIdentity::from_json(const Json& j) {
  using namespace detail;
  StreamId stream = with_field("stream_id", kWhat, [&] { return StreamId(require_string(j, "stream_id", kWhat)); });
  auto process =
      with_field("process_id", kWhat, [&] { return ProcessId::parse(require_string(j, "process_id", kWhat)); });
  TenantId tenant =
      with_field("tenant_id", kWhat, [&] { return TenantId::parse(require_string(j, "tenant_id", kWhat)); });
  ProcessIdentity identity{stream, process, tenant, workflow_id_from_json(j, kWhat)};
  if (!identity.stream_id.is_process_stream(tenant, process))
    throw EngineError::invalid_input("process identity: stream_id '" + stream.str() +
                                     "' does not match process/{tenant_id}/{process_id}");
  return identity;
}

ProcessIdentity ProcessIdentity::from_json_string(std::string_view text) {
  return from_json(detail::parse_json_text(text, kWhat));
}

}  // namespace mako
