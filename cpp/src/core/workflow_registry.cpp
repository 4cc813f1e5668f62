#include "mako/core/workflow_registry.hpp"

#include <cxxabi.h>

#include <cstdlib>

#include "mako/core/errors.hpp"

namespace mako {

WorkflowRegistry& WorkflowRegistry::global() {
  static WorkflowRegistry registry;
  return registry;
}

void WorkflowRegistry::add(const std::string& name, std::shared_ptr<const WorkflowRuntime> runtime) {
  if (name.empty()) throw EngineError::invalid_input("a registered workflow needs a name");
  if (!runtime) throw EngineError::invalid_input("workflow '" + name + "' registered without a runtime");
  std::lock_guard lock(mutex_);
  runtimes_.insert_or_assign(name, std::move(runtime));
}

std::shared_ptr<const WorkflowRuntime> WorkflowRegistry::get(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto it = runtimes_.find(name);
  if (it != runtimes_.end()) return it->second;
  std::string known;
  for (const auto& [n, _] : runtimes_) known += (known.empty() ? "" : ", ") + n;
  throw EngineError(EngineError::Kind::NotFound,
                    "no workflow named '" + name + "' is registered (known: " + (known.empty() ? "none" : known) + ")");
}

void WorkflowRegistry::throw_not_typed(const std::string& name, const char* type) {
  int status = 0;
  char* readable = abi::__cxa_demangle(type, nullptr, nullptr, &status);
  const std::string wanted = status == 0 && readable ? readable : type;
  std::free(readable);
  throw EngineError::invalid_input("workflow '" + name + "' is registered, but does not run the C++ workflow " +
                                   wanted);
}

bool WorkflowRegistry::contains(const std::string& name) const {
  std::lock_guard lock(mutex_);
  return runtimes_.count(name) > 0;
}

std::vector<std::string> WorkflowRegistry::names() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [n, _] : runtimes_) out.push_back(n);
  return out;
}

}  // namespace mako
