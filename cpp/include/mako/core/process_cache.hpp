#pragma once
// Recently used processes with their folded state. Resuming a process through
// EngineContext::resume(runtime, identity) then folds only the events appended since it was last
// used instead of its whole stream -- on SQLite, no re-reading and re-decoding of every payload for
// each inbound message or fired deadline. Opt in with EngineBuilder::with_process_cache(capacity).
//
// Keyed by stream and runtime object (one WorkflowRegistry entry), so resumes through the same
// registry share one ProcessCore. A cached process stays correct when others append to its stream:
// it folds their events before deciding, and a stale append is a version conflict. Writes rolled
// back with a unit of work begun through EngineContext::begin_work_unit clear the cache (the cached
// folds may include them). Bounded: when full it starts over empty.
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "mako/core/process_identity.hpp"

namespace mako {

class ProcessCore;
class WorkflowRuntime;

class ProcessCache {
 public:
  explicit ProcessCache(std::size_t capacity);

  // The cached process of `identity` run by `runtime`, or the one `make` creates (then cached).
  std::shared_ptr<ProcessCore> find_or_add(const ProcessIdentity& identity, const WorkflowRuntime* runtime,
                                           const std::function<std::shared_ptr<ProcessCore>()>& make);
  // Caches a process that was just spawned.
  void add(const std::shared_ptr<ProcessCore>& process);
  void clear();
  std::size_t size() const;
  std::size_t capacity() const { return capacity_; }

 private:
  static std::string key(const StreamId& stream, const WorkflowRuntime* runtime);
  void put_locked(std::string key, std::shared_ptr<ProcessCore> process);

  const std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<ProcessCore>> entries_;
};

}  // namespace mako
