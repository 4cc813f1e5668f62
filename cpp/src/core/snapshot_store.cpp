#include "mako/core/snapshot_store.hpp"

#include "mako/core/errors.hpp"

namespace mako {

std::string snapshot_state_text(const Snapshot& snapshot) {
  try {
    return snapshot.state.dump();
  } catch (const Json::exception& e) {
    throw EngineError(EngineError::Kind::Serialization,
                      "snapshot state of '" + snapshot.stream_id.str() + "' cannot be stored: " + e.what());
  }
}

}  // namespace mako
