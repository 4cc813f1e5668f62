#pragma once
// A MarketTransport in memory: sent files are kept for whoever plays the network (a test, the
// benchmark), inbound files are queued by drop_inbound. Same contract as DirectoryTransport,
// without the file system -- so a benchmark can tell engine cost from disk cost.
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "mako/domain/market/market_transport.hpp"

namespace mako::market {

struct SentFile {
  std::string recipient;
  std::string name;
  std::string bytes;
};

class InMemoryTransport : public MarketTransport {
 public:
  void send(const std::string& recipient, const std::string& bytes, const std::string& filename) override;
  std::vector<InboundFile> poll() override;
  std::vector<InboundFile> poll_except(const std::set<std::string>& in_flight) override;
  std::vector<InboundFile> poll_except(const std::set<std::string>& in_flight,
                                       const std::set<std::string>& held) override;
  void settle(const InboundFile& file, Disposition disposition) override;

  void drop_inbound(const std::string& partner, const std::string& filename, std::string bytes);
  // Removes and returns everything sent so far, in sending order.
  std::vector<SentFile> take_sent();
  std::size_t processed_count() const;
  std::size_t rejected_count() const;

 private:
  mutable std::mutex mutex_;
  std::vector<SentFile> sent_;
  // Waiting files by (name, arrival): poll order without sorting, and settle without a scan.
  // Those poll_except has handed out are kept apart: while the caller's in-flight set counts
  // exactly them, a poll looks at the new files only, however many a long unit keeps in flight.
  using Key = std::pair<std::string, std::size_t>;
  std::map<Key, InboundFile> fresh_, handed_out_;
  std::size_t processed_ = 0, rejected_ = 0, next_handle_ = 0;
};

}  // namespace mako::market
