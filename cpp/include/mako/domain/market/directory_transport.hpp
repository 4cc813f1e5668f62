#pragma once
// The embedded default MarketTransport: plain folders, one set per remote market partner.
//
//   <root>/<partner MP-ID>/inbox/      drop .edi files from that partner here
//   <root>/<partner MP-ID>/outbox/     files for that partner appear here
//   <root>/<partner MP-ID>/processed/  received files, after processing
//   <root>/<partner MP-ID>/rejected/   received files rejected by CONTRL 4 or as inbox duplicates
//
// Writes go to a ".tmp" name first, are fsynced and renamed (and the folder fsynced), so a reader
// never sees half a file and send() returns only once the file survives a power loss: the outbox
// marks a message delivered after send() returned. poll() ignores everything not ending in ".edi".
// FileSync::None skips the fsyncs (a scratch exchange folder, e.g. a simulation's).
#include <filesystem>
#include <mutex>

#include "mako/domain/market/market_transport.hpp"

namespace mako::market {

// Whether a written file is fsynced (with its folder) before the write returns.
enum class FileSync { Durable, None };

class DirectoryTransport : public MarketTransport {
 public:
  explicit DirectoryTransport(std::filesystem::path root, FileSync sync = FileSync::Durable);

  void send(const std::string& recipient, const std::string& bytes, const std::string& filename) override;
  std::vector<InboundFile> poll() override;
  std::vector<InboundFile> poll_except(const std::set<std::string>& in_flight) override;
  std::vector<InboundFile> poll_except(const std::set<std::string>& in_flight,
                                       const std::set<std::string>& held) override;
  void settle(const InboundFile& file, Disposition disposition) override;

  const std::filesystem::path& root() const { return root_; }
  std::filesystem::path inbox(const std::string& partner) const { return root_ / partner / "inbox"; }
  std::filesystem::path outbox(const std::string& partner) const { return root_ / partner / "outbox"; }
  std::filesystem::path processed(const std::string& partner) const { return root_ / partner / "processed"; }
  std::filesystem::path rejected(const std::string& partner) const { return root_ / partner / "rejected"; }

  // Writes a file into `partner`'s inbox (what a courier or an operator does).
  void drop_inbound(const std::string& partner, const std::string& filename, const std::string& bytes);

 private:
  std::filesystem::path root_;
  FileSync sync_;
  std::mutex mutex_;
};

// Reads a whole file / writes it via a temporary name, fsync (unless FileSync::None) and rename.
// Throws std::system_error / std::filesystem::filesystem_error when it could not.
std::string read_file_bytes(const std::filesystem::path& path);
void write_file_atomically(const std::filesystem::path& path, const std::string& bytes,
                           FileSync sync = FileSync::Durable);

}  // namespace mako::market
