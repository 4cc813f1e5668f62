#include "mako/domain/market/nb_master_data.hpp"

#include <mutex>

namespace mako::market {

void InMemoryNbMasterData::add_malo(const std::string& malo) {
  std::unique_lock lock(mutex_);
  malos_[malo];
}

void InMemoryNbMasterData::assign(const std::string& malo, const std::string& supplier, const calendar::Date& from,
                                  std::optional<calendar::Date> until) {
  std::unique_lock lock(mutex_);
  malos_[malo].push_back(Supply{supplier, from, until});
}

std::optional<std::string> InMemoryNbMasterData::assigned_supplier(const std::string& malo,
                                                                   const calendar::Date& date) const {
  std::shared_lock lock(mutex_);
  auto it = malos_.find(malo);
  if (it == malos_.end()) return std::nullopt;
  // The latest assignment covering the date wins (a newer Zuordnung supersedes an older one).
  for (auto s = it->second.rbegin(); s != it->second.rend(); ++s)
    if (s->from <= date && (!s->until || date < *s->until)) return s->supplier;
  return std::nullopt;
}

std::optional<gpke::PreconditionFailure> InMemoryNbMasterData::precondition_failure(const std::string& malo,
                                                                                    const calendar::Date&) const {
  std::shared_lock lock(mutex_);
  if (malos_.find(malo) == malos_.end()) return gpke::PreconditionFailure{"MaLo unbekannt", std::nullopt};
  return std::nullopt;
}

}  // namespace mako::market
