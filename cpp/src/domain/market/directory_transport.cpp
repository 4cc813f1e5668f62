#include "mako/domain/market/directory_transport.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

namespace fs = std::filesystem;

namespace mako::market {

std::string read_file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path.string());
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

namespace {

[[noreturn]] void fail(const std::string& what, const fs::path& path) {
  throw std::system_error(errno, std::generic_category(), what + " " + path.string());
}

// Writes all of `bytes` to `fd` (write() may write less than asked).
void write_all(int fd, const std::string& bytes, const fs::path& path) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write", path);
    }
    done += static_cast<std::size_t>(n);
  }
}

void sync_directory(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) fail("cannot open", dir);
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) {
    errno = err;
    fail("cannot sync", dir);
  }
}

}  // namespace

void write_file_atomically(const fs::path& path, const std::string& bytes, FileSync sync) {
  fs::create_directories(path.parent_path());
  fs::path tmp = path;
  tmp += ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail("cannot create", tmp);
  bool fd_open = true;
  try {
    write_all(fd, bytes, tmp);
    if (sync == FileSync::Durable && ::fsync(fd) != 0) fail("cannot sync", tmp);
    fd_open = false;
    if (::close(fd) != 0) fail("cannot write", tmp);
    fs::rename(tmp, path);
  } catch (...) {
    if (fd_open) ::close(fd);
    std::error_code ignored;
    fs::remove(tmp, ignored);
    throw;
  }
  // The rename is only durable once the directory entry is.
  if (sync == FileSync::Durable) sync_directory(path.parent_path());
}

DirectoryTransport::DirectoryTransport(fs::path root, FileSync sync) : root_(std::move(root)), sync_(sync) {
  fs::create_directories(root_);
}

void DirectoryTransport::send(const std::string& recipient, const std::string& bytes, const std::string& filename) {
  std::lock_guard lock(mutex_);
  write_file_atomically(outbox(recipient) / filename, bytes, sync_);
}

void DirectoryTransport::drop_inbound(const std::string& partner, const std::string& filename,
                                      const std::string& bytes) {
  std::lock_guard lock(mutex_);
  write_file_atomically(inbox(partner) / filename, bytes, sync_);
}

std::vector<InboundFile> DirectoryTransport::poll() { return poll_except({}); }

std::vector<InboundFile> DirectoryTransport::poll_except(const std::set<std::string>& in_flight) {
  static const std::set<std::string> none;
  return poll_except(in_flight, none);
}

std::vector<InboundFile> DirectoryTransport::poll_except(const std::set<std::string>& in_flight,
                                                         const std::set<std::string>& held) {
  std::lock_guard lock(mutex_);
  std::vector<InboundFile> files;
  for (const auto& partner_dir : fs::directory_iterator(root_)) {
    if (!partner_dir.is_directory()) continue;
    const fs::path in = partner_dir.path() / "inbox";
    if (!fs::is_directory(in)) continue;
    for (const auto& entry : fs::directory_iterator(in)) {
      if (!entry.is_regular_file() || entry.path().extension() != ".edi") continue;
      const std::string handle = entry.path().string();
      if (in_flight.count(handle) || held.count(handle)) continue;  // received already: do not read it again
      files.push_back(InboundFile{partner_dir.path().filename().string(), entry.path().filename().string(),
                                  read_file_bytes(entry.path()), entry.path().string()});
    }
  }
  // Names start with the send instant and a sequence number, so name order is send order.
  std::sort(files.begin(), files.end(), [](const InboundFile& a, const InboundFile& b) { return a.name < b.name; });
  return files;
}

void DirectoryTransport::settle(const InboundFile& file, Disposition disposition) {
  std::lock_guard lock(mutex_);
  const fs::path target = (disposition == Disposition::Processed ? processed(file.partner) : rejected(file.partner));
  fs::create_directories(target);
  fs::rename(file.handle, target / file.name);
}

}  // namespace mako::market
