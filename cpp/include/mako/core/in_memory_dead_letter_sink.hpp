#pragma once
// Dead letters in process memory.
#include <mutex>
#include <vector>

#include "mako/core/dead_letter_sink.hpp"

namespace mako {

class InMemoryDeadLetterSink final : public DeadLetterSink {
 public:
  std::int64_t put(const DeadLetter& letter) override;
  std::vector<DeadLetter> list(std::size_t limit = std::numeric_limits<std::size_t>::max()) const override;
  std::size_t count() const override;

 private:
  mutable std::mutex mutex_;
  std::vector<DeadLetter> letters_;
};

}  // namespace mako
