#pragma once
// A MarketTransport in memory: sent files are kept for whoever plays the network (a test, the
// benchmark), inbound files are queued by drop_inbound. Same contract as DirectoryTransport,
// without the file system -- so a benchmark can tell engine cost from disk cost.
#include <deque>
#include <mutex>
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
    void settle(const InboundFile& file, Disposition disposition) override;

    void drop_inbound(const std::string& partner, const std::string& filename, std::string bytes);
    // Removes and returns everything sent so far, in sending order.
    std::vector<SentFile> take_sent();
    std::size_t processed_count() const;
    std::size_t rejected_count() const;

private:
    mutable std::mutex mutex_;
    std::vector<SentFile> sent_;
    std::deque<InboundFile> waiting_;
    std::size_t processed_ = 0, rejected_ = 0, next_handle_ = 0;
};

}  // namespace mako::market
