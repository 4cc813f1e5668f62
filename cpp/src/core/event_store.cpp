#include "mako/core/event_store.hpp"

namespace mako {

std::vector<std::optional<EngineError>> EventStore::append_many(std::vector<CommitBatch>& batches) {
  std::vector<std::optional<EngineError>> results(batches.size());
  for (std::size_t i = 0; i < batches.size(); ++i) {
    try {
      append(batches[i]);
    } catch (const EngineError& e) {
      results[i] = e;
    }
  }
  return results;
}

}  // namespace mako
