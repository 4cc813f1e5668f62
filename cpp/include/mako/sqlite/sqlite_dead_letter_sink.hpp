#pragma once
// Dead letters in the store's file (table `dead_letters`, payload kept as raw bytes).
#include <memory>

#include "mako/core/dead_letter_sink.hpp"

namespace mako::sqlite {

namespace detail {
class Database;
}

class SqliteDeadLetterSink final : public mako::DeadLetterSink {
 public:
  explicit SqliteDeadLetterSink(std::shared_ptr<detail::Database> db);  // get one from SqliteStore
  ~SqliteDeadLetterSink() override;

  std::int64_t put(const DeadLetter& letter) override;
  std::vector<DeadLetter> list(std::size_t limit = std::numeric_limits<std::size_t>::max()) const override;
  std::size_t count() const override;

 private:
  std::shared_ptr<detail::Database> db_;
};

}  // namespace mako::sqlite
