#pragma once
// Everything needed to re-attach to a process after a restart; persist it as JSON.
#include <string>
#include <string_view>

#include "mako/core/format_version.hpp"
#include "mako/core/ids.hpp"
#include "mako/core/json.hpp"

namespace mako {

struct ProcessIdentity {
  StreamId stream_id;
  ProcessId process_id;
  TenantId tenant_id;
  WorkflowId workflow_id;

  static ProcessIdentity create(const TenantId& tenant, const ProcessId& process, WorkflowId workflow);

  // {"stream_id","process_id","tenant_id","workflow_id":{"name","format_version"}}
  Json to_json() const;
  std::string to_json_string() const;
  // Throws EngineError(InvalidInput) naming the missing or malformed field, and when stream_id does
  // not match process/{tenant_id}/{process_id}.
  static ProcessIdentity from_json(const Json& json);
  static ProcessIdentity from_json_string(std::string_view text);

  friend bool operator==(const ProcessIdentity&, const ProcessIdentity&) = default;
};

}  // namespace mako
