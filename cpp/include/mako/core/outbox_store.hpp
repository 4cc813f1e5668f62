#pragma once
// The outbox as the delivering side sees it: messages committed together with their events, each to
// be sent at least once. Messages are keyed by their idempotency key, so a retried command that
// produces the same message again does not send it twice (the second enqueue is ignored).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mako/core/ids.hpp"
#include "mako/core/json.hpp"
#include "mako/core/process_identity.hpp"
#include "mako/core/timestamp.hpp"

namespace mako {

enum class OutboxStatus { Pending, Delivered, DeadLettered };

struct OutboxItem {
  OutboxItem(std::string key, StreamId stream) : idempotency_key(std::move(key)), stream_id(std::move(stream)) {}

  std::string idempotency_key;
  StreamId stream_id;
  std::optional<ProcessIdentity> process;  // absent only for a stream that has no events yet
  std::string step;
  std::string recipient;
  std::string message_type;
  Json payload;
  std::uint32_t attempts = 0;                // delivery attempts recorded so far
  Timestamp enqueued_at{};                   // the time of the commit that produced it (engine clock)
  std::optional<Timestamp> next_attempt_at;  // absent: due at once (never tried, never claimed)
  OutboxStatus status = OutboxStatus::Pending;
  std::string last_error;                // the last failure, or why it was dead-lettered
  std::optional<Timestamp> finished_at;  // delivered or dead-lettered at
};

class OutboxStore {
 public:
  // How long a claimed message stays invisible to other workers. A worker that dies mid-send
  // leaves the message to be claimed again after the lease: at least once, never lost.
  static constexpr std::chrono::nanoseconds kDefaultClaimLease = std::chrono::seconds(60);

  virtual ~OutboxStore() = default;

  // Pending messages with next_attempt_at <= now (or none yet), oldest enqueue first, at most
  // `limit`. Claiming pushes their next_attempt_at to now + lease, so concurrent workers do not
  // pick the same message up; `attempts` in the result counts the attempts made before this one.
  virtual std::vector<OutboxItem> claim_due(Timestamp now, std::size_t limit,
                                            std::chrono::nanoseconds lease = kDefaultClaimLease) = 0;
  // Each returns false (and changes nothing) when `key` is unknown or no longer pending.
  virtual bool mark_delivered(const std::string& key, Timestamp at) = 0;
  // Records a failed attempt (attempts + 1) and when to try again.
  virtual bool mark_failed(const std::string& key, const std::string& error, Timestamp next_attempt_at) = 0;
  // Gives up on the message; it stays inspectable in dead_letters() with `reason`.
  virtual bool dead_letter(const std::string& key, const std::string& reason, Timestamp at) = 0;

  virtual std::vector<OutboxItem> dead_letters() const = 0;
  virtual std::size_t pending_count() const = 0;
  virtual std::optional<OutboxItem> find(const std::string& key) const = 0;
};

}  // namespace mako
