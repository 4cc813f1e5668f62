#include "mako/core/in_memory_event_store.hpp"

#include <bit>
#include <mutex>

#include "mako/core/errors.hpp"

namespace mako {

namespace {
std::optional<ProcessIdentity> identity_of(const EventEnvelope& e) {
  return ProcessIdentity{e.stream_id, e.process_id, e.tenant_id, e.workflow_id};
}
}  // namespace

namespace {
// Chunk c < kGrowing holds 32 << c events and starts at index 32 * (2^c - 1); later chunks hold
// kMaxChunk events each, so a large log reserves at most one chunk it does not use yet.
constexpr std::size_t kGrowing = 8;
constexpr std::size_t kMaxChunk = std::size_t{32} << kGrowing;
constexpr std::size_t kGrowingEnd = 32 * ((std::size_t{1} << kGrowing) - 1);

std::size_t chunk_start(std::size_t c) {
  return c < kGrowing ? 32 * ((std::size_t{1} << c) - 1) : kGrowingEnd + (c - kGrowing) * kMaxChunk;
}
std::size_t chunk_capacity(std::size_t c) { return c < kGrowing ? std::size_t{32} << c : kMaxChunk; }
}  // namespace

std::size_t InMemoryEventStore::EventLog::chunk_of(std::size_t i) {
  if (i >= kGrowingEnd) return kGrowing + (i - kGrowingEnd) / kMaxChunk;
  return static_cast<std::size_t>(std::bit_width((i >> 5) + 1) - 1);
}

const EventEnvelope& InMemoryEventStore::EventLog::operator[](std::size_t i) const {
  const std::size_t c = chunk_of(i);
  return chunks_[c][i - chunk_start(c)];
}

const EventEnvelope& InMemoryEventStore::EventLog::push_back(const EventEnvelope& e) {
  const std::size_t c = chunk_of(size_);
  if (c == chunks_.size()) {
    std::vector<EventEnvelope> chunk;
    chunk.reserve(chunk_capacity(c));
    chunks_.push_back(std::move(chunk));
  }
  auto& chunk = chunks_[c];
  chunk.push_back(e);  // within the reserved capacity: no reallocation, nothing moves
  ++size_;
  return chunk.back();
}

void InMemoryEventStore::EventLog::truncate(std::size_t n) {
  for (; size_ > n; --size_) chunks_[chunk_of(size_ - 1)].pop_back();
}

void InMemoryEventStore::StreamEvents::push_back(const EventEnvelope* e) {
  if (!first_) first_ = e;
  else rest_.push_back(e);
}

void InMemoryEventStore::StreamEvents::truncate(std::size_t n) {
  if (n == 0) {
    first_ = nullptr;
    rest_.clear();
  } else if (n <= rest_.size()) {
    rest_.resize(n - 1);
  }
}

std::size_t InMemoryEventStore::StreamTable::index_of(const StreamId& id, std::size_t hash) const {
  const std::size_t mask = slots_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.hash == 0 || (slot.hash == hash && slot.id == id)) return i;
  }
}

InMemoryEventStore::StreamEvents* InMemoryEventStore::StreamTable::find(const StreamId& id) {
  if (used_ == 0) return nullptr;
  Slot& slot = slots_[index_of(id, id.hash())];
  return slot.hash == 0 ? nullptr : &slot.events;
}

InMemoryEventStore::StreamEvents& InMemoryEventStore::StreamTable::insert(const StreamId& id) {
  if ((used_ + 1) * 4 > slots_.size() * 3) grow();
  const std::size_t hash = id.hash();
  Slot& slot = slots_[index_of(id, hash)];
  slot.hash = hash;
  slot.id = id;
  ++used_;
  return slot.events;
}

void InMemoryEventStore::StreamTable::grow() {
  std::vector<Slot> old(std::max<std::size_t>(16, slots_.size() * 2));
  old.swap(slots_);
  for (Slot& s : old) {
    if (s.hash == 0) continue;
    Slot& to = slots_[index_of(s.id, s.hash)];
    to.hash = s.hash;
    to.id = std::move(s.id);
    to.events = std::move(s.events);
  }
}

void InMemoryEventStore::StreamTable::erase(const StreamId& id) {
  if (used_ == 0) return;
  const std::size_t mask = slots_.size() - 1;
  std::size_t hole = index_of(id, id.hash());
  if (slots_[hole].hash == 0) return;
  // Backward-shift deletion: pull later members of the probe run into the hole, so every lookup's
  // run stays unbroken (no tombstones).
  for (std::size_t i = (hole + 1) & mask; slots_[i].hash != 0; i = (i + 1) & mask) {
    const std::size_t home = slots_[i].hash & mask;
    if (((i - home) & mask) >= ((i - hole) & mask)) {  // its home is at or before the hole
      slots_[hole] = std::move(slots_[i]);
      hole = i;
    }
  }
  slots_[hole] = Slot{};
  --used_;
}

InMemoryEventStore::InMemoryEventStore()
    : outbox_(std::make_shared<InMemoryOutboxStore>()),
      deadlines_store_(std::make_shared<InMemoryDeadlineStore>()),
      registry_(std::make_shared<InMemoryProcessRegistry>()),
      inbox_(std::make_shared<InMemoryInboxStore>()),
      dead_letters_(std::make_shared<InMemoryDeadLetterSink>()),
      checkpoints_(std::make_shared<InMemoryCheckpointStore>()) {}

RuntimeStores InMemoryEventStore::runtime_stores() {
  return RuntimeStores{outbox_, deadlines_store_, registry_, inbox_, dead_letters_, checkpoints_};
}

std::uint64_t InMemoryEventStore::append(CommitBatch& batch) {
  std::unique_lock lock(mutex_);
  StreamEvents* existing = streams_.find(batch.stream_id);
  const std::uint64_t actual = existing ? existing->size() : 0;
  if (!batch.expected.matches(actual))
    throw EngineError::version_conflict(batch.stream_id.str(), batch.expected.to_string(), actual);
  const bool side_effects = !batch.messages.empty() || !batch.deadlines.empty() || !batch.registrations.empty();
  if (batch.events.empty() && !side_effects) return actual;
  for (std::size_t i = 0; i < batch.events.size(); ++i)
    if (batch.events[i].event_type.empty()) throw empty_event_type(batch.stream_id, i);
  // The stream's process (from its first event) scopes registry entries and names the process
  // that owns messages and deadlines. Checked before anything is written, as the SQLite store does.
  std::optional<ProcessIdentity> identity;
  if (side_effects) {
    if (actual > 0) identity = identity_of((*existing)[0]);
    else if (!batch.events.empty()) {
      identity = identity_of(batch.events.front());
      identity->stream_id = batch.stream_id;
    }
    for (const auto& m : batch.messages)
      if (m.idempotency_key.empty())
        throw EngineError::invalid_input("outbound message '" + m.step + "' has no idempotency_key");
    for (const auto& d : batch.deadlines)
      if (d.name.empty()) throw EngineError::invalid_input("a deadline needs a name (unique per process)");
    if (!batch.registrations.empty() && !identity)
      throw EngineError::invalid_input("registry entries of stream '" + batch.stream_id.str() +
                                       "' need an event first: the tenant scopes them");
    for (const auto& r : batch.registrations)
      if (r.kind.empty() || r.key.empty()) throw EngineError::invalid_input("a registry entry needs a kind and a key");
  }
  const bool created = existing == nullptr;
  StreamEvents& stream = created ? streams_.insert(batch.stream_id) : *existing;
  // Only allocation can fail below; undo on failure so the commit stays all-or-nothing. (Growth is
  // left to push_back: reserving the exact size per append would make appends quadratic.)
  const std::size_t log_before = log_.size();
  try {
    for (auto& e : batch.events) {
      e.stream_id = batch.stream_id;
      e.sequence_number = stream.size() + 1;
      e.global_position = log_.size() + 1;
      stream.push_back(&log_.push_back(e));  // a cheap copy: ids shared, payload native or JSON
    }
    if (created) unindexed_.push_back(batch.stream_id);
  } catch (...) {
    stream.truncate(actual);
    log_.truncate(log_before);
    if (created) streams_.erase(batch.stream_id);
    throw;
  }
  if (!side_effects) return stream.size();
  messages_.insert(messages_.end(), batch.messages.begin(), batch.messages.end());
  deadlines_.insert(deadlines_.end(), batch.deadlines.begin(), batch.deadlines.end());
  registrations_.insert(registrations_.end(), batch.registrations.begin(), batch.registrations.end());
  // Enqueued at the commit's time on the engine clock (its events' timestamp), so outbox ages
  // follow an injected clock.
  const Timestamp committed_at = batch.events.empty() ? system_now() : batch.events.back().timestamp;
  for (const auto& m : batch.messages) {
    OutboxItem item(m.idempotency_key, batch.stream_id);
    item.process = identity;
    item.step = m.step;
    item.recipient = m.recipient;
    item.message_type = m.message_type;
    item.payload = m.payload;
    item.enqueued_at = committed_at;
    outbox_->enqueue(std::move(item));
  }
  // created_at on the wall clock, one instant per commit, as the SQLite and PostgreSQL stores stamp it.
  const Timestamp now = batch.deadlines.empty() && batch.registrations.empty() ? Timestamp{} : system_now();
  for (const auto& d : batch.deadlines) deadlines_store_->schedule(batch.stream_id, identity, d, now);
  for (const auto& r : batch.registrations) registry_->register_key(*identity, r, now);
  return stream.size();
}

std::vector<EventEnvelope> InMemoryEventStore::load_from(const StreamId& stream, std::uint64_t after) const {
  std::vector<EventEnvelope> out;
  fold_stream(stream, after, [&](const EventEnvelope& e) { out.push_back(e); });
  return out;
}

std::uint64_t InMemoryEventStore::fold_stream(const StreamId& stream, std::uint64_t after,
                                              const EventVisitor& visit) const {
  std::shared_lock lock(mutex_);
  const StreamEvents* events = streams_.find(stream);
  if (!events || after >= events->size()) return 0;
  for (std::size_t i = after; i < events->size(); ++i) visit((*events)[i]);
  return events->size() - after;
}

std::uint64_t InMemoryEventStore::stream_version(const StreamId& stream) const {
  std::shared_lock lock(mutex_);
  const StreamEvents* events = streams_.find(stream);
  return events ? events->size() : 0;
}

StreamPage InMemoryEventStore::list_streams(const std::string& prefix, const std::optional<std::string>& after,
                                            std::size_t limit) const {
  std::shared_lock lock(mutex_);
  std::lock_guard index_lock(index_mutex_);
  index_.insert(unindexed_.begin(), unindexed_.end());
  unindexed_.clear();
  StreamPageBuilder page(prefix, after, limit);
  auto it = page.from_cursor() ? index_.upper_bound(std::string_view(page.start()))
                               : index_.lower_bound(std::string_view(page.start()));
  for (; it != index_.end() && page.add(it->str()); ++it) {}
  return page.take();
}

std::vector<EventEnvelope> InMemoryEventStore::read_all(std::uint64_t after_position, std::size_t limit) const {
  std::shared_lock lock(mutex_);
  std::vector<EventEnvelope> out;
  for (std::size_t i = after_position; i < log_.size() && out.size() < limit; ++i) out.push_back(log_[i]);
  return out;
}

std::uint64_t InMemoryEventStore::head_position() const {
  std::shared_lock lock(mutex_);
  return log_.size();
}

std::vector<OutboundMessage> InMemoryEventStore::outbound_messages() const {
  std::shared_lock lock(mutex_);
  return messages_;
}

std::vector<RegistryEntry> InMemoryEventStore::registrations() const {
  std::shared_lock lock(mutex_);
  return registrations_;
}

std::vector<DeadlineRequest> InMemoryEventStore::deadlines() const {
  std::shared_lock lock(mutex_);
  return deadlines_;
}

}  // namespace mako
