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
  fresh_.emplace(Key(filename, seq), InboundFile{partner, filename, std::move(bytes), std::to_string(seq)});
}

std::vector<InboundFile> InMemoryTransport::poll() {
  std::lock_guard lock(mutex_);
  std::map<Key, const InboundFile*> all;
  for (const auto& [key, file] : fresh_) all.emplace(key, &file);
  for (const auto& [key, file] : handed_out_) all.emplace(key, &file);
  std::vector<InboundFile> out;
  out.reserve(all.size());
  for (const auto& [key, file] : all) out.push_back(*file);
  return out;
}

std::vector<InboundFile> InMemoryTransport::poll_except(const std::set<std::string>& in_flight) {
  static const std::set<std::string> none;
  return poll_except(in_flight, none);
}

std::vector<InboundFile> InMemoryTransport::poll_except(const std::set<std::string>& in_flight,
                                                        const std::set<std::string>& held) {
  std::lock_guard lock(mutex_);
  std::map<Key, const InboundFile*> due;
  for (const auto& [key, file] : fresh_) due.emplace(key, &file);
  // Handed out before and neither in flight nor held (received, then released by a rollback):
  // due again.
  if (in_flight.size() + held.size() != handed_out_.size())
    for (const auto& [key, file] : handed_out_)
      if (!in_flight.count(file.handle) && !held.count(file.handle)) due.emplace(key, &file);
  std::vector<InboundFile> out;
  out.reserve(due.size());
  for (const auto& [key, file] : due) out.push_back(*file);
  handed_out_.merge(fresh_);
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
  const Key key(file.name, seq);
  if (handed_out_.erase(key) == 0 && fresh_.erase(key) == 0) return;
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
