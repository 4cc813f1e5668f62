#pragma once
// Named workflow runtimes, so that callers without the C++ types (Python, the CLI, an inbound
// router) can spawn and drive built-in C++ workflows by name at C++ speed.
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "mako/core/typed_workflow.hpp"

namespace mako {

class WorkflowRegistry {
 public:
  static WorkflowRegistry& global();

  void add(const std::string& name, std::shared_ptr<const WorkflowRuntime> runtime);
  template <Workflow W>
  void add(const std::string& name, W workflow = W{}) {
    add(name, std::make_shared<const TypedWorkflowRuntime<W>>(std::move(workflow)));
  }
  // Throws EngineError(NotFound) listing the registered names.
  std::shared_ptr<const WorkflowRuntime> get(const std::string& name) const;
  // The runtime registered as `name` as the C++ workflow W it runs; throws EngineError(InvalidInput)
  // naming both when `name` runs another workflow type (or a Python workflow).
  template <Workflow W>
  std::shared_ptr<const TypedWorkflowRuntime<W>> get_typed(const std::string& name) const {
    auto typed = std::dynamic_pointer_cast<const TypedWorkflowRuntime<W>>(get(name));
    if (!typed) throw_not_typed(name, typeid(W).name());
    return typed;
  }
  bool contains(const std::string& name) const;
  std::vector<std::string> names() const;

 private:
  [[noreturn]] static void throw_not_typed(const std::string& name, const char* type);
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const WorkflowRuntime>> runtimes_;
};

}  // namespace mako
