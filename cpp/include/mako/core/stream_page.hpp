#pragma once
// A page of EventStore::list_streams, and how every store fills one: stores read stream ids in
// byte order from where the builder says, and feed them in until it says the page is complete.
// The prefix range check and the one id read past the limit (which proves there is a next page)
// live here once.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mako/core/ids.hpp"

namespace mako {

struct StreamPage {
  std::vector<StreamId> streams;
  std::optional<std::string> next_cursor;  // pass as `after` to read the next page; empty at the end
};

class StreamPageBuilder {
 public:
  StreamPageBuilder(const std::string& prefix, const std::optional<std::string>& after, std::size_t limit);

  // Where the ids to feed start: after the cursor (exclusive) when it lies at or past the prefix,
  // else at the prefix itself (inclusive).
  bool from_cursor() const { return from_cursor_; }
  const std::string& start() const { return from_cursor_ ? *after_ : prefix_; }
  // How many ids to read at most: one more than the page holds.
  std::size_t read_limit() const { return limit_ == SIZE_MAX ? limit_ : limit_ + 1; }
  // False once the page is complete (and `id` is not taken): the id is past the prefix range,
  // or the page is full (then it has a next cursor).
  bool add(std::string_view id);
  StreamPage take() { return std::move(page_); }

 private:
  const std::string& prefix_;
  const std::optional<std::string>& after_;
  std::size_t limit_;
  bool from_cursor_;
  StreamPage page_;
};

}  // namespace mako
