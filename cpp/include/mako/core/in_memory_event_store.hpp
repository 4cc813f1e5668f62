#pragma once
// A thread-safe event store in process memory, for tests, simulations and short-lived engines.
// Its commits feed in-memory runtime stores (outbox, deadlines, registry) under the same lock as
// the events, so what a commit sends, schedules and registers appears together with its events.
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <string_view>
#include <vector>

#include "mako/core/event_store.hpp"
#include "mako/core/in_memory_checkpoint_store.hpp"
#include "mako/core/in_memory_dead_letter_sink.hpp"
#include "mako/core/in_memory_deadline_store.hpp"
#include "mako/core/in_memory_inbox_store.hpp"
#include "mako/core/in_memory_outbox_store.hpp"
#include "mako/core/in_memory_process_registry.hpp"
#include "mako/core/runtime_stores.hpp"

namespace mako {

class InMemoryEventStore : public EventStore, public RuntimeStoresProvider {
 public:
  InMemoryEventStore();
  std::uint64_t append(CommitBatch& batch) override;
  std::vector<EventEnvelope> load_from(const StreamId& stream, std::uint64_t after_sequence) const override;
  std::uint64_t fold_stream(const StreamId& stream, std::uint64_t after_sequence,
                            const EventVisitor& visit) const override;
  std::uint64_t stream_version(const StreamId& stream) const override;
  StreamPage list_streams(const std::string& prefix, const std::optional<std::string>& after,
                          std::size_t limit) const override;
  std::vector<EventEnvelope> read_all(std::uint64_t after_position, std::size_t limit) const override;
  std::uint64_t head_position() const override;
  void close() override {}  // nothing outside the process to release
  // Each write is committed as it happens (there is nothing to roll back to).
  std::unique_ptr<WorkUnit> begin_work_unit(UnitNesting = UnitNesting::Savepoint) override {
    return std::make_unique<ImmediateWorkUnit>();
  }

  // The runtime stores this store's commits feed (and an inbox, dead-letter sink and checkpoint store).
  RuntimeStores runtime_stores() override;
  const std::shared_ptr<InMemoryOutboxStore>& outbox() const { return outbox_; }
  const std::shared_ptr<InMemoryDeadlineStore>& deadline_store() const { return deadlines_store_; }
  const std::shared_ptr<InMemoryProcessRegistry>& registry() const { return registry_; }

  // Everything commits carried besides events, as committed (not deduplicated).
  std::vector<OutboundMessage> outbound_messages() const;
  std::vector<DeadlineRequest> deadlines() const;
  std::vector<RegistryEntry> registrations() const;

 private:
  // Every event once, in commit order (position = index + 1), in chunks of 32, 64, 128, ... events
  // reserved up front: an append copies the envelope into place without an allocation of its own,
  // and no event ever moves, so streams can point at them.
  class EventLog {
   public:
    std::size_t size() const { return size_; }
    const EventEnvelope& operator[](std::size_t i) const;
    const EventEnvelope& push_back(const EventEnvelope& e);  // nothing changes if it throws
    void truncate(std::size_t n);

   private:
    static std::size_t chunk_of(std::size_t i);
    std::vector<std::vector<EventEnvelope>> chunks_;  // never grown past their reserved capacity
    std::size_t size_ = 0;
  };
  // One stream's events in order. The first sits in the map node itself: most processes are short.
  class StreamEvents {
   public:
    std::size_t size() const { return first_ ? rest_.size() + 1 : 0; }
    const EventEnvelope& operator[](std::size_t i) const { return i == 0 ? *first_ : *rest_[i - 1]; }
    void push_back(const EventEnvelope* e);
    void truncate(std::size_t n);

   private:
    const EventEnvelope* first_ = nullptr;
    std::vector<const EventEnvelope*> rest_;
  };
  // Streams by id: open addressing with linear probing over slots that carry the id's hash, so a
  // lookup or a resize touches one array, never other streams' ids (one cache miss, not three), and
  // a new stream needs no allocation of its own. Pointers into it stay valid until the next insert.
  class StreamTable {
   public:
    StreamEvents* find(const StreamId& id);
    const StreamEvents* find(const StreamId& id) const { return const_cast<StreamTable*>(this)->find(id); }
    StreamEvents& insert(const StreamId& id);  // `id` must be absent
    void erase(const StreamId& id);

   private:
    struct Slot {
      std::size_t hash = 0;  // 0: empty (StreamId hashes are odd)
      StreamId id;
      StreamEvents events;
    };
    std::size_t index_of(const StreamId& id, std::size_t hash) const;  // its slot, or the empty one ending its probe
    void grow();
    std::vector<Slot> slots_;  // size: 0 or a power of two, at most 3/4 used
    std::size_t used_ = 0;
  };
  struct IdLess {
    using is_transparent = void;
    static std::string_view view(const StreamId& id) { return id.str(); }
    static std::string_view view(std::string_view s) { return s; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return view(a) < view(b);
    }
  };
  mutable std::shared_mutex mutex_;
  StreamTable streams_;
  // Stream ids in byte order, for list_streams. A new stream waits in unindexed_ until the next
  // listing sorts it in, so creating a stream (every spawned process) costs a hash insert instead
  // of an ordered insert comparing long common prefixes. Guarded by index_mutex_ under a shared lock.
  mutable std::mutex index_mutex_;
  mutable std::set<StreamId, IdLess> index_;
  mutable std::vector<StreamId> unindexed_;
  EventLog log_;
  std::vector<OutboundMessage> messages_;
  std::vector<DeadlineRequest> deadlines_;
  std::vector<RegistryEntry> registrations_;
  std::shared_ptr<InMemoryOutboxStore> outbox_;
  std::shared_ptr<InMemoryDeadlineStore> deadlines_store_;
  std::shared_ptr<InMemoryProcessRegistry> registry_;
  std::shared_ptr<InMemoryInboxStore> inbox_;
  std::shared_ptr<InMemoryDeadLetterSink> dead_letters_;
  std::shared_ptr<InMemoryCheckpointStore> checkpoints_;
};

}  // namespace mako
