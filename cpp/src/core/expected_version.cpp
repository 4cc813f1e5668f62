#include "mako/core/expected_version.hpp"

namespace mako {

std::string ExpectedVersion::to_string() const {
  switch (kind_) {
    case Kind::NoStream: return "NoStream";
    case Kind::Any: return "Any";
    case Kind::Exact: return "Exact(" + std::to_string(version_) + ")";
  }
  return "?";
}

}  // namespace mako
