#include "mako/domain/market/directory_courier.hpp"

#include <algorithm>
#include <filesystem>

namespace fs = std::filesystem;

namespace mako::market {

std::string corrupt_segment_count(std::string bytes) {
  const auto pos = bytes.find("UNT+");
  if (pos != std::string::npos) bytes.insert(pos + 4, "9");
  return bytes;
}

void DirectoryCourier::host(std::shared_ptr<DirectoryTransport> transport, const std::vector<std::string>& mp_ids) {
  transports_.push_back(transport);
  for (const auto& id : mp_ids) hosts_[id] = transport;
}

std::size_t DirectoryCourier::deliver() {
  std::size_t delivered = 0;
  for (const auto& from : transports_) {
    std::vector<fs::path> files;
    for (const auto& partner : fs::directory_iterator(from->root())) {
      const fs::path out = partner.path() / "outbox";
      if (!fs::is_directory(out)) continue;
      for (const auto& f : fs::directory_iterator(out))
        if (f.is_regular_file() && f.path().extension() == ".edi") files.push_back(f.path());
    }
    std::sort(files.begin(), files.end(),
              [](const fs::path& a, const fs::path& b) { return a.filename() < b.filename(); });
    for (const auto& path : files) {
      const std::string name = path.filename().string();
      const auto parts = parse_market_file_name(name);
      auto host = parts ? hosts_.find(parts->receiver) : hosts_.end();
      if (host == hosts_.end()) {  // nobody to deliver to: leave it for an operator
        fs::create_directories(path.parent_path().parent_path() / "undeliverable");
        fs::rename(path, path.parent_path().parent_path() / "undeliverable" / name);
        ++undeliverable_;
        continue;
      }
      std::string bytes = read_file_bytes(path);
      const CourierAction action = tamper_ ? tamper_(*parts, bytes) : CourierAction::Deliver;
      fs::remove(path);
      if (action == CourierAction::Drop) continue;
      ++traffic_[parts->kind];
      if (action == CourierAction::Corrupt) {
        bytes = corrupt_segment_count(std::move(bytes));
        ++corrupted_;
      }
      host->second->drop_inbound(parts->sender, name, bytes);
      ++delivered;
      if (action == CourierAction::Duplicate) {
        // Same content (same interchange reference) under another name: a resent file.
        host->second->drop_inbound(parts->sender, name.substr(0, name.size() - 4) + "_resent.edi", bytes);
        ++traffic_[parts->kind];
        ++duplicated_;
        ++delivered;
      }
    }
  }
  return delivered;
}

}  // namespace mako::market
