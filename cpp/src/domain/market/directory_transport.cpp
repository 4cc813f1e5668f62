#include "mako/domain/market/directory_transport.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace fs = std::filesystem;

namespace mako::market {

std::string read_file_bytes(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + path.string());
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_file_atomically(const fs::path& path, const std::string& bytes) {
    fs::create_directories(path.parent_path());
    fs::path tmp = path;
    tmp += ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out) throw std::runtime_error("cannot write " + tmp.string());
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        if (!out) throw std::runtime_error("cannot write " + tmp.string());
    }
    fs::rename(tmp, path);
}

DirectoryTransport::DirectoryTransport(fs::path root) : root_(std::move(root)) { fs::create_directories(root_); }

void DirectoryTransport::send(const std::string& recipient, const std::string& bytes, const std::string& filename) {
    std::lock_guard lock(mutex_);
    write_file_atomically(outbox(recipient) / filename, bytes);
}

void DirectoryTransport::drop_inbound(const std::string& partner, const std::string& filename, const std::string& bytes) {
    std::lock_guard lock(mutex_);
    write_file_atomically(inbox(partner) / filename, bytes);
}

std::vector<InboundFile> DirectoryTransport::poll() { return poll_except({}); }

std::vector<InboundFile> DirectoryTransport::poll_except(const std::set<std::string>& in_flight) {
    std::lock_guard lock(mutex_);
    std::vector<InboundFile> files;
    for (const auto& partner_dir : fs::directory_iterator(root_)) {
        if (!partner_dir.is_directory()) continue;
        const fs::path in = partner_dir.path() / "inbox";
        if (!fs::is_directory(in)) continue;
        for (const auto& entry : fs::directory_iterator(in)) {
            if (!entry.is_regular_file() || entry.path().extension() != ".edi") continue;
            if (in_flight.count(entry.path().string())) continue;  // received already: do not read it again
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
