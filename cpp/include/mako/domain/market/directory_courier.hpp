#pragma once
// The network between DirectoryTransports in a simulation (or a test): moves every file from
// <engine A>/<partner P>/outbox/ to <engine hosting P>/<sender>/inbox/, reading sender and receiver
// from the file name (file_name.hpp). A tamper hook lets the simulation duplicate or corrupt a file
// in transit (inbox dedup and CONTRL 4 scenarios). Counts the traffic by kind.
#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "mako/domain/market/directory_transport.hpp"
#include "mako/domain/market/file_name.hpp"

namespace mako::market {

enum class CourierAction { Deliver, Duplicate, Corrupt, Drop };
using CourierTamper = std::function<CourierAction(const FileNameParts& parts, const std::string& bytes)>;

// Breaks the UNT segment count of an interchange, so the receiver's parser refuses it.
std::string corrupt_segment_count(std::string bytes);

class DirectoryCourier {
 public:
  // Every MP-ID in `mp_ids` is reached through `transport`.
  void host(std::shared_ptr<DirectoryTransport> transport, const std::vector<std::string>& mp_ids);
  void set_tamper(CourierTamper tamper) { tamper_ = std::move(tamper); }

  // Moves all waiting files; returns how many were delivered (duplicates count twice).
  std::size_t deliver();

  const std::map<std::string, std::size_t>& traffic_by_kind() const { return traffic_; }
  std::size_t duplicated() const { return duplicated_; }
  std::size_t corrupted() const { return corrupted_; }
  std::size_t undeliverable() const { return undeliverable_; }

 private:
  std::vector<std::shared_ptr<DirectoryTransport>> transports_;
  std::map<std::string, std::shared_ptr<DirectoryTransport>> hosts_;
  CourierTamper tamper_;
  std::map<std::string, std::size_t> traffic_;
  std::size_t duplicated_ = 0, corrupted_ = 0, undeliverable_ = 0;
};

}  // namespace mako::market
