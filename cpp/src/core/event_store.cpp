#include "mako/core/event_store.hpp"

namespace mako {

EngineError empty_event_type(const StreamId& stream, std::size_t index) {
  return EngineError::invalid_input("event " + std::to_string(index + 1) + " of the batch for stream '" + stream.str() +
                                    "' has an empty event type; every event needs a type. Nothing was written");
}

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
