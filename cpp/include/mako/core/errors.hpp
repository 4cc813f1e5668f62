#pragma once
// Typed errors. A workflow signals a business refusal with WorkflowError; the engine reports every
// failure as EngineError, whose kind tells callers whether to retry, fix input or give up.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>

namespace mako {

class WorkflowError : public std::runtime_error {
 public:
  enum class Kind { CommandRejected, InvalidState, ValidationFailed, NotImplemented, Other };

  static WorkflowError rejected(std::string reason);
  static WorkflowError invalid_state(std::string expected, std::string actual);
  static WorkflowError validation(std::string message);
  static WorkflowError not_implemented(std::string what);
  static WorkflowError other(std::string message);

  Kind kind() const { return kind_; }
  const std::string& message() const { return message_; }
  // Only for InvalidState: the state the command needed and the state the process was in.
  const std::string& expected() const { return expected_; }
  const std::string& actual() const { return actual_; }

  bool is_rejected() const { return kind_ == Kind::CommandRejected; }
  bool is_invalid_state() const { return kind_ == Kind::InvalidState; }
  bool is_validation() const { return kind_ == Kind::ValidationFailed; }
  bool is_not_implemented() const { return kind_ == Kind::NotImplemented; }
  bool is_other() const { return kind_ == Kind::Other; }

  static const char* kind_name(Kind kind);

 private:
  WorkflowError(Kind kind, std::string message, std::string expected = {}, std::string actual = {});
  Kind kind_;
  std::string message_, expected_, actual_;
};

class EngineError : public std::runtime_error {
 public:
  enum class Kind {
    VersionConflict,  // the stream moved on; reload and retry
    Workflow,         // the workflow refused the command (see as_workflow_error)
    InvalidInput,     // a malformed id, stream id, format version, identity, payload ...
    Serialization,    // a value could not be converted to or from JSON
    NotFound,         // a named workflow, stream or item does not exist
    Busy,             // the store is locked by another writer past its timeout (transient)
    Storage,          // an I/O or database failure
    Corrupt,          // stored data is unreadable or inconsistent
    SchemaTooNew,     // the database was written by a newer version of mako-engine
    Interrupted,      // the caller asked to stop (e.g. Ctrl-C in Python)
  };

  EngineError(Kind kind, std::string message);
  static EngineError version_conflict(const std::string& stream, std::string expected, std::uint64_t actual);
  static EngineError workflow(WorkflowError error);
  static EngineError invalid_input(std::string message) { return {Kind::InvalidInput, std::move(message)}; }

  Kind kind() const { return kind_; }
  bool is_version_conflict() const { return kind_ == Kind::VersionConflict; }
  bool is_workflow_error() const { return kind_ == Kind::Workflow; }
  bool is_invalid_input() const { return kind_ == Kind::InvalidInput; }
  bool is_not_found() const { return kind_ == Kind::NotFound; }
  bool is_storage_error() const {
    return kind_ == Kind::Storage || kind_ == Kind::Busy || kind_ == Kind::Corrupt || kind_ == Kind::SchemaTooNew;
  }
  // The store failed or the caller interrupted; nothing is wrong with the input, so the operation as
  // a whole (a file, a deadline, a transaction) may be retried later rather than recorded as failed.
  bool is_store_failure() const { return is_storage_error() || kind_ == Kind::Interrupted; }
  // Transient: the same call may succeed if repeated (after a reload for a version conflict).
  bool is_transient() const { return kind_ == Kind::VersionConflict || kind_ == Kind::Busy; }

  const WorkflowError* as_workflow_error() const { return workflow_ ? &*workflow_ : nullptr; }
  bool is_invalid_state() const { return workflow_ && workflow_->is_invalid_state(); }
  bool is_rejected() const { return workflow_ && workflow_->is_rejected(); }

  // Only for VersionConflict.
  const std::string& expected_version() const { return expected_; }
  std::uint64_t actual_version() const { return actual_; }

  static const char* kind_name(Kind kind);

 private:
  Kind kind_;
  std::optional<WorkflowError> workflow_;
  std::string expected_;
  std::uint64_t actual_ = 0;
};

}  // namespace mako
