#include "mako/domain/edifact/separators.hpp"

namespace mako::edifact {

std::string Separators::una() const {
  return std::string{"UNA"} + component + element + decimal + release + reserved + segment;
}

}  // namespace mako::edifact
