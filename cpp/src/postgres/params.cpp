#include "params.hpp"

#include <type_traits>

#include "mako/core/errors.hpp"

namespace mako::postgres::detail {

Params& Params::text(std::string_view value, const char* what) {
  if (value.find('\0') != std::string_view::npos)
    throw EngineError::invalid_input(std::string(what) +
                                     " holds a NUL byte, which PostgreSQL cannot store; nothing was written");
  values_.emplace_back(value);
  nulls_.push_back(false);
  formats_.push_back(0);
  return *this;
}

Params& Params::int64(std::int64_t value) {
  values_.push_back(std::to_string(value));
  nulls_.push_back(false);
  formats_.push_back(0);
  return *this;
}

Params& Params::uuid(const Uuid& value) {
  values_.push_back(value.to_string());
  nulls_.push_back(false);
  formats_.push_back(0);
  return *this;
}

void array_element(std::string& out, std::string_view value) {
  out += out.size() > 1 ? ",\"" : "\"";
  for (const char ch : value) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch;
  }
  out += '"';
}

Params& Params::text_array(const std::vector<std::string>& values, const char* what) {
  std::string literal = "{";
  for (const auto& v : values) array_element(literal, v);
  literal += '}';
  return text(literal, what);
}

Params& Params::null() {
  values_.emplace_back();
  nulls_.push_back(true);
  formats_.push_back(0);
  return *this;
}

Params& Params::binary(std::string bytes) {
  values_.push_back(std::move(bytes));
  nulls_.push_back(false);
  formats_.push_back(1);
  any_binary_ = true;
  return *this;
}

namespace {
// Network byte order, as PostgreSQL's binary formats of integers are.
template <class T>
std::string big_endian(T value) {
  auto u = static_cast<std::make_unsigned_t<T>>(value);
  std::string out(sizeof(T), '\0');
  for (std::size_t i = sizeof(T); i > 0; --i) {
    out[i - 1] = static_cast<char>(u & 0xff);
    u >>= 8;
  }
  return out;
}
}  // namespace

Params& Params::binary_int64(std::int64_t value) { return binary(big_endian(value)); }
Params& Params::binary_int32(std::int32_t value) { return binary(big_endian(value)); }
Params& Params::binary_uuid(const Uuid& value) {
  const auto& b = value.bytes();
  return binary(std::string(reinterpret_cast<const char*>(b.data()), b.size()));
}

void Params::clear() {
  values_.clear();
  nulls_.clear();
  formats_.clear();
  any_binary_ = false;
}

const int* Params::lengths() const {
  if (!any_binary_) return nullptr;
  lengths_.resize(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i) lengths_[i] = static_cast<int>(values_[i].size());
  return lengths_.data();
}

const char* const* Params::values() const {
  pointers_.resize(values_.size());
  for (std::size_t i = 0; i < values_.size(); ++i) pointers_[i] = nulls_[i] ? nullptr : values_[i].c_str();
  return pointers_.data();
}

}  // namespace mako::postgres::detail
