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
  bool contains(const std::string& name) const;
  std::vector<std::string> names() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const WorkflowRuntime>> runtimes_;
};

}  // namespace mako
