#pragma once
// The parameters of one statement ($1, $2, ...), sent as text: libpq takes NUL-terminated strings,
// so a text holding a NUL byte (which PostgreSQL's text cannot store either) is refused here rather
// than cut short.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mako/core/uuid.hpp"

namespace mako::postgres::detail {

// An element of a PostgreSQL array literal ("{...}"), quoted; `out` starts as "{".
void array_element(std::string& out, std::string_view value);

class Params {
 public:
  // `what` names the value in the error for a NUL byte.
  Params& text(std::string_view value, const char* what = "a text value");
  Params& int64(std::int64_t value);
  Params& uuid(const Uuid& value);
  // A PostgreSQL array literal of the values (for a `$n::text[]` or `$n::uuid[]` parameter).
  Params& text_array(const std::vector<std::string>& values, const char* what = "a text value");
  template <class Id>
  Params& optional_id(const std::optional<Id>& id) {
    return id ? uuid(id->uuid()) : null();
  }
  Params& null();
  // Binary format, for a parameter whose type the statement fixes (a column of that type, or a
  // cast): the server converts no text. bigint, integer and uuid respectively.
  Params& binary_int64(std::int64_t value);
  Params& binary_int32(std::int32_t value);
  Params& binary_uuid(const Uuid& value);
  template <class Id>
  Params& binary_optional_id(const std::optional<Id>& id) {
    return id ? binary_uuid(id->uuid()) : null();
  }
  void clear();

  int size() const { return static_cast<int>(values_.size()); }
  // Pointers into the parameters, valid until the next change.
  const char* const* values() const;
  // Each parameter's length and format (1: binary), or nullptr when all are text.
  const int* lengths() const;
  const int* formats() const { return any_binary_ ? formats_.data() : nullptr; }

 private:
  Params& binary(std::string bytes);
  std::vector<std::string> values_;
  std::vector<bool> nulls_;
  std::vector<int> formats_;
  bool any_binary_ = false;
  mutable std::vector<const char*> pointers_;
  mutable std::vector<int> lengths_;
};

}  // namespace mako::postgres::detail
