#include "mako/domain/market/nb_supply_projection.hpp"

#include "mako/domain/gpke/nb_lieferbeginn.hpp"
#include "mako/domain/gpke/register_workflows.hpp"

namespace mako::market {

namespace {
constexpr std::size_t kPage = 1000;
}

NbSupplyProjection::NbSupplyProjection(std::shared_ptr<InMemoryNbMasterData> master_data)
    : master_data_(std::move(master_data)) {
  if (!master_data_) throw EngineError::invalid_input("NbSupplyProjection needs master data to keep up to date");
}

std::size_t NbSupplyProjection::catch_up(const EventStore& store) {
  std::lock_guard lock(mutex_);
  std::size_t read = 0;
  for (;;) {
    const auto page = store.read_all(position_, kPage);
    for (const auto& e : page) {
      position_ = e.global_position;
      if (e.workflow_id.name() != gpke::workflow_names::kLieferbeginnNb) continue;
      const std::string& stream = e.stream_id.str();
      if (e.event_type == gpke::AnmeldungReceived::kType) {
        const auto received = e.payload.json().at("data").get<gpke::AnmeldungReceived>();
        if (received.anmeldung.start)
          pending_[stream] = Pending{received.anmeldung.malo, received.anmeldung.sender, *received.anmeldung.start};
      } else if (e.event_type == gpke::AnmeldungConfirmed::kType) {
        auto it = pending_.find(stream);
        if (it == pending_.end()) continue;
        master_data_->assign(it->second.malo, it->second.supplier, it->second.start);
        ++applied_;
        pending_.erase(it);
      } else if (e.event_type == gpke::AnmeldungRejected::kType) {
        pending_.erase(stream);
      }
    }
    read += page.size();
    if (page.size() < kPage) return read;
  }
}

std::uint64_t NbSupplyProjection::position() const {
  std::lock_guard lock(mutex_);
  return position_;
}

std::size_t NbSupplyProjection::switches_applied() const {
  std::lock_guard lock(mutex_);
  return applied_;
}

}  // namespace mako::market
