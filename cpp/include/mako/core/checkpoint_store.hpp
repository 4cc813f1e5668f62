#pragma once
// How far a projection (a reader of EventStore::read_all) has got, so it resumes there after a restart.
#include <cstdint>
#include <string>

namespace mako {

class CheckpointStore {
 public:
  virtual ~CheckpointStore() = default;
  // The global position last saved under `name`; 0 when none was saved.
  virtual std::uint64_t load(const std::string& name) const = 0;
  virtual void save(const std::string& name, std::uint64_t position) = 0;
};

}  // namespace mako
