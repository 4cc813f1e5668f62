#pragma once
// How EDIFACT files reach and leave a market partner: a file-level transport (AS4 gateway, SFTP
// drop, a directory, a test double). Distinct from mako::Transport, which delivers one *outbox item*:
// EdifactOutboxTransport (edifact_outbox_transport.hpp) renders an outbox item into bytes and hands
// them to a MarketTransport.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "mako/domain/calendar/berlin_time.hpp"

namespace mako::market {

// One received file, as polled.
struct InboundFile {
  std::string partner;  // the remote market partner it came from (the folder it was found in)
  std::string name;     // file name, e.g. "20260316T0800_000001_9904590000002_9900467000000_UTILMD55001_ABC.edi"
  std::string bytes;    // raw EDIFACT (UNOC = Latin-1, not necessarily UTF-8)
  std::string handle;   // transport-specific locator, passed back to settle()
  // When the file reached us, if known and earlier than its processing (a backlog): then that is
  // the Übertragungszeitpunkt the deadlines count from, and the processing instant is the
  // decision's (decided_at). Unset: received when processed.
  std::optional<calendar::Instant> arrived_at;
};

// What became of a received file: processed (accepted or an inbox duplicate that was acknowledged)
// or rejected (syntax error: counts as never received).
enum class Disposition { Processed, Rejected };

class MarketTransport {
 public:
  virtual ~MarketTransport() = default;
  // Hands `bytes` to `recipient` (an MP-ID) under `filename`; throws when it could not.
  virtual void send(const std::string& recipient, const std::string& bytes, const std::string& filename) = 0;
  // The files waiting to be received, oldest (by name) first. A file stays waiting until settled.
  virtual std::vector<InboundFile> poll() = 0;
  // The same without the files whose handle is in `in_flight` (received, not yet settled). The
  // default filters poll(); a transport that reads files from disk skips reading those.
  virtual std::vector<InboundFile> poll_except(const std::set<std::string>& in_flight);
  // The same, also without the files whose handle is in `held` (polled and kept back by a
  // wrapper, e.g. a backlog), without merging the two sets. The default merges them.
  virtual std::vector<InboundFile> poll_except(const std::set<std::string>& in_flight,
                                               const std::set<std::string>& held);
  // Takes a polled file out of the waiting set.
  virtual void settle(const InboundFile& file, Disposition disposition) = 0;
};

inline std::vector<InboundFile> MarketTransport::poll_except(const std::set<std::string>& in_flight) {
  auto files = poll();
  if (in_flight.empty()) return files;
  std::erase_if(files, [&](const InboundFile& f) { return in_flight.count(f.handle) > 0; });
  return files;
}

inline std::vector<InboundFile> MarketTransport::poll_except(const std::set<std::string>& in_flight,
                                                             const std::set<std::string>& held) {
  if (held.empty()) return poll_except(in_flight);
  std::set<std::string> skip = in_flight;
  skip.insert(held.begin(), held.end());
  return poll_except(skip);
}

}  // namespace mako::market
