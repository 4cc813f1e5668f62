#include "mako/domain/market/in_memory_transport.hpp"

#include <algorithm>

namespace mako::market {

void InMemoryTransport::send(const std::string& recipient, const std::string& bytes, const std::string& filename) {
    std::lock_guard lock(mutex_);
    sent_.push_back(SentFile{recipient, filename, bytes});
}

void InMemoryTransport::drop_inbound(const std::string& partner, const std::string& filename, std::string bytes) {
    std::lock_guard lock(mutex_);
    waiting_.push_back(InboundFile{partner, filename, std::move(bytes), std::to_string(next_handle_++)});
}

std::vector<InboundFile> InMemoryTransport::poll() {
    std::lock_guard lock(mutex_);
    std::vector<InboundFile> out(waiting_.begin(), waiting_.end());
    std::stable_sort(out.begin(), out.end(), [](const InboundFile& a, const InboundFile& b) { return a.name < b.name; });
    return out;
}

void InMemoryTransport::settle(const InboundFile& file, Disposition disposition) {
    std::lock_guard lock(mutex_);
    auto it = std::find_if(waiting_.begin(), waiting_.end(), [&](const InboundFile& f) { return f.handle == file.handle; });
    if (it == waiting_.end()) return;
    waiting_.erase(it);
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
