#pragma once
// A thread-safe event store in process memory, for tests, simulations and short-lived engines.
#include <map>
#include <memory>
#include <shared_mutex>
#include <vector>

#include "mako/core/event_store.hpp"

namespace mako {

class InMemoryEventStore : public EventStore {
 public:
  std::uint64_t append(CommitBatch& batch) override;
  std::vector<EventEnvelope> load_from(const StreamId& stream, std::uint64_t after_sequence) const override;
  std::uint64_t fold_stream(const StreamId& stream, std::uint64_t after_sequence, const EventVisitor& visit) const override;
  std::uint64_t stream_version(const StreamId& stream) const override;
  StreamPage list_streams(const std::string& prefix, const std::optional<std::string>& after, std::size_t limit) const override;
  std::vector<EventEnvelope> read_all(std::uint64_t after_position, std::size_t limit) const override;
  std::uint64_t head_position() const override;

  // What commits carried besides events; the outbox and deadline stores of later layers consume these.
  std::vector<OutboundMessage> outbound_messages() const;
  std::vector<DeadlineRequest> deadlines() const;
  std::vector<RegistryEntry> registrations() const;

 private:
  using Stored = std::shared_ptr<const EventEnvelope>;
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::vector<Stored>, std::less<>> streams_;
  std::vector<Stored> log_;  // global order; position = index + 1
  std::vector<OutboundMessage> messages_;
  std::vector<DeadlineRequest> deadlines_;
  std::vector<RegistryEntry> registrations_;
};

}  // namespace mako
