#include "params.hpp"

#include "mako/core/errors.hpp"

namespace mako::postgres::detail {

Params& Params::text(std::string_view value, const char* what) {
  if (value.find('\0') != std::string_view::npos)
    throw EngineError::invalid_input(std::string(what) +
                                     " holds a NUL byte, which PostgreSQL cannot store; nothing was written");
  values_.emplace_back(value);
  nulls_.push_back(false);
  return *this;
}

Params& Params::int64(std::int64_t value) {
  values_.push_back(std::to_string(value));
  nulls_.push_back(false);
  return *this;
}

Params& Params::uuid(const Uuid& value) {
  values_.push_back(value.to_string());
  nulls_.push_back(false);
  return *this;
}

Params& Params::null() {
  values_.emplace_back();
  nulls_.push_back(true);
  return *this;
}

void Params::clear() {
  values_.clear();
  nulls_.clear();
}

const char* const* Params::values() const {
  pointers_.resize(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i) pointers_[i] = nulls_[i] ? nullptr : values_[i].c_str();
  return pointers_.data();
}

}  // namespace mako::postgres::detail
