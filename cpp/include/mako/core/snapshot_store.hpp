#pragma once
// Snapshots: one per stream, the folded state at a sequence number.
#include <cstdint>
#include <optional>
#include <string>

#include "mako/core/ids.hpp"
#include "mako/core/json.hpp"

namespace mako {

struct Snapshot {
  StreamId stream_id;
  std::uint64_t sequence_number = 0;
  std::uint32_t state_schema_version = 1;
  Json state;
};

// The JSON text a store keeps of the snapshot's state; EngineError(Serialization) naming the
// stream when the state cannot be written (e.g. a string that is not UTF-8).
std::string snapshot_state_text(const Snapshot& snapshot);

class SnapshotStore {
 public:
  virtual ~SnapshotStore() = default;
  virtual void save(const Snapshot& snapshot) = 0;  // replaces the stream's previous snapshot
  virtual std::optional<Snapshot> load(const StreamId& stream) const = 0;
  virtual void remove(const StreamId& stream) = 0;
};

}  // namespace mako
