#include "mako/domain/market/in_memory_transport.hpp"

#include <stdexcept>

namespace mako::market {

void InMemoryTransport::send(const std::string& recipient, const std::string& bytes, const std::string& filename) {
    std::lock_guard lock(mutex_);
    sent_.push_back(SentFile{recipient, filename, bytes});
}

void InMemoryTransport::drop_inbound(const std::string& partner, const std::string& filename, std::string bytes) {
    std::lock_guard lock(mutex_);
    const auto seq = next_handle_++;
    waiting_.emplace(std::make_pair(filename, seq), InboundFile{partner, filename, std::move(bytes), std::to_string(seq)});
}

std::vector<InboundFile> InMemoryTransport::poll() { return poll_except({}); }

std::vector<InboundFile> InMemoryTransport::poll_except(const std::set<std::string>& in_flight) {
    std::lock_guard lock(mutex_);
    std::vector<InboundFile> out;
    for (const auto& [key, file] : waiting_)
        if (in_flight.empty() || !in_flight.count(file.handle)) out.push_back(file);
    return out;
}

void InMemoryTransport::settle(const InboundFile& file, Disposition disposition) {
    std::lock_guard lock(mutex_);
    std::size_t seq = 0;
    try {
        seq = std::stoull(file.handle);
    } catch (const std::exception&) {
        return;  // not one of ours
    }
    if (waiting_.erase(std::make_pair(file.name, seq)) == 0) return;
    (disposition == Disposition::Processed ? processed_ : rejected_)++;
}

std::vector<SentFile> InMemoryTransport::take_sent() {
    std::lock_guard lock(mutex_);
    std::vector<SentFile> out;
    out.swap(sent_);
    return out;
}

std::size_t InMemoryTransport::processed_count() const {
    std::lock_guard lock(mutex_);
    return processed_;
}

std::size_t InMemoryTransport::rejected_count() const {
    std::lock_guard lock(mutex_);
    return rejected_;
}

}  // namespace mako::market
