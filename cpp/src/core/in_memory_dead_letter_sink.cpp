#include "mako/core/in_memory_dead_letter_sink.hpp"

#include <algorithm>

namespace mako {

std::int64_t InMemoryDeadLetterSink::put(const DeadLetter& letter) {
  std::lock_guard lock(mutex_);
  DeadLetter& stored = letters_.emplace_back(letter);
  stored.id = static_cast<std::int64_t>(letters_.size());
  return stored.id;
}

std::vector<DeadLetter> InMemoryDeadLetterSink::list(std::size_t limit) const {
  std::lock_guard lock(mutex_);
  return {letters_.begin(), letters_.begin() + static_cast<std::ptrdiff_t>(std::min(limit, letters_.size()))};
}

std::size_t InMemoryDeadLetterSink::count() const {
  std::lock_guard lock(mutex_);
  return letters_.size();
}

}  // namespace mako
