#include "mako/core/process_cache.hpp"

#include <cstdint>

#include "mako/core/errors.hpp"
#include "mako/core/process_core.hpp"

namespace mako {

ProcessCache::ProcessCache(std::size_t capacity) : capacity_(capacity) {
  if (capacity_ == 0) throw EngineError::invalid_input("a process cache needs a capacity of at least 1");
}

std::string ProcessCache::key(const StreamId& stream, const WorkflowRuntime* runtime) {
  std::string k = stream.str();
  const auto p = reinterpret_cast<std::uintptr_t>(runtime);
  k.append(reinterpret_cast<const char*>(&p), sizeof p);
  return k;
}

void ProcessCache::put_locked(std::string k, std::shared_ptr<ProcessCore> process) {
  if (entries_.size() >= capacity_ && !entries_.count(k)) entries_.clear();  // start over: simple and bounded
  entries_[std::move(k)] = std::move(process);
}

std::shared_ptr<ProcessCore> ProcessCache::find_or_add(const ProcessIdentity& identity, const WorkflowRuntime* runtime,
                                                       const std::function<std::shared_ptr<ProcessCore>()>& make) {
  auto k = key(identity.stream_id, runtime);
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(k);
    if (it != entries_.end() && it->second->identity() == identity) return it->second;
  }
  auto process = make();  // outside the lock: constructing may read the store
  std::lock_guard lock(mutex_);
  put_locked(std::move(k), process);
  return process;
}

void ProcessCache::add(const std::shared_ptr<ProcessCore>& process) {
  std::lock_guard lock(mutex_);
  put_locked(key(process->identity().stream_id, &process->runtime()), process);
}

void ProcessCache::clear() {
  std::lock_guard lock(mutex_);
  entries_.clear();
}

std::size_t ProcessCache::size() const {
  std::lock_guard lock(mutex_);
  return entries_.size();
}

}  // namespace mako
