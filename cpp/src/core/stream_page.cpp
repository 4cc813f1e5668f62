#include "mako/core/stream_page.hpp"

namespace mako {

StreamPageBuilder::StreamPageBuilder(const std::string& prefix, const std::optional<std::string>& after,
                                     std::size_t limit)
    : prefix_(prefix), after_(after), limit_(limit), from_cursor_(after && *after >= prefix) {}

bool StreamPageBuilder::add(std::string_view id) {
  if (id.substr(0, prefix_.size()) != prefix_) return false;  // past the prefix range (byte order)
  if (page_.streams.size() == limit_) {
    if (limit_ > 0) page_.next_cursor = page_.streams.back().str();
    return false;
  }
  page_.streams.emplace_back(std::string(id));
  return true;
}

}  // namespace mako
