#include "mako/core/errors.hpp"

namespace mako {

namespace {
std::string workflow_what(WorkflowError::Kind kind, const std::string& message) {
  return std::string(WorkflowError::kind_name(kind)) + ": " + message;
}
}  // namespace

WorkflowError::WorkflowError(Kind kind, std::string message, std::string expected, std::string actual)
    : std::runtime_error(workflow_what(kind, message)),
      kind_(kind),
      message_(std::move(message)),
      expected_(std::move(expected)),
      actual_(std::move(actual)) {}

WorkflowError WorkflowError::rejected(std::string reason) { return {Kind::CommandRejected, std::move(reason)}; }
WorkflowError WorkflowError::invalid_state(std::string expected, std::string actual) {
  std::string message = "expected state " + expected + ", but the process is in state " + actual;
  return {Kind::InvalidState, std::move(message), std::move(expected), std::move(actual)};
}
WorkflowError WorkflowError::validation(std::string message) { return {Kind::ValidationFailed, std::move(message)}; }
WorkflowError WorkflowError::not_implemented(std::string what) { return {Kind::NotImplemented, std::move(what)}; }
WorkflowError WorkflowError::other(std::string message) { return {Kind::Other, std::move(message)}; }

const char* WorkflowError::kind_name(Kind kind) {
  switch (kind) {
    case Kind::CommandRejected: return "command rejected";
    case Kind::InvalidState: return "invalid state";
    case Kind::ValidationFailed: return "validation failed";
    case Kind::NotImplemented: return "not implemented";
    case Kind::Other: return "workflow error";
  }
  return "workflow error";
}

EngineError::EngineError(Kind kind, std::string message)
    : std::runtime_error(std::string(kind_name(kind)) + ": " + message), kind_(kind) {}

EngineError EngineError::version_conflict(const std::string& stream, std::string expected, std::uint64_t actual) {
  EngineError e(Kind::VersionConflict,
                "stream '" + stream + "' expected version " + expected + " but is at " + std::to_string(actual));
  e.expected_ = std::move(expected);
  e.actual_ = actual;
  return e;
}

EngineError EngineError::workflow(WorkflowError error) {
  EngineError e(Kind::Workflow, error.what());
  e.workflow_ = std::move(error);
  return e;
}

const char* EngineError::kind_name(Kind kind) {
  switch (kind) {
    case Kind::VersionConflict: return "version conflict";
    case Kind::Workflow: return "workflow error";
    case Kind::InvalidInput: return "invalid input";
    case Kind::Serialization: return "serialization error";
    case Kind::NotFound: return "not found";
    case Kind::Busy: return "store busy";
    case Kind::Storage: return "storage error";
    case Kind::Corrupt: return "corrupt store";
    case Kind::SchemaTooNew: return "schema too new";
    case Kind::Interrupted: return "interrupted";
  }
  return "engine error";
}

}  // namespace mako
