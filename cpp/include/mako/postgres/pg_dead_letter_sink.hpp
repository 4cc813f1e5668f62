#pragma once
// Dead letters in the store's schema (table `dead_letters`); payloads as `bytea`, byte for byte.
#include <limits>
#include <memory>

#include "mako/core/dead_letter_sink.hpp"

namespace mako::postgres {

namespace detail {
class Database;
}

class PgDeadLetterSink final : public mako::DeadLetterSink {
 public:
  explicit PgDeadLetterSink(std::shared_ptr<detail::Database> db);  // get one from PgStore
  ~PgDeadLetterSink() override;

  std::int64_t put(const DeadLetter& letter) override;
  std::vector<DeadLetter> list(std::size_t limit = std::numeric_limits<std::size_t>::max()) const override;
  std::size_t count() const override;

 private:
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mako::postgres
