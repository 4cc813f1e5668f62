#pragma once
// Keeps the NB's InMemoryNbMasterData in step with the NB's own decisions: when a
// gpke.lieferbeginn.nb process confirms an Anmeldung (AnmeldungConfirmed), the MaLo is assigned to
// the new supplier (the 55001's sender) from the requested start date. The next 55001 for that
// MaLo then asks the right old supplier (55010 to the supplier of the last confirmed switch, not
// to the one the master data started with).
//
// A projection over the event log: catch_up() reads the events committed since its position
// (EventStore::read_all, commit order) and applies them; it never writes to the store. Its
// position lives in memory like the master data it feeds, so a fresh projection over a fresh
// InMemoryNbMasterData replays the whole history to the same result. The inbound pipeline
// catches it up before every master-data lookup (InboundPipelineOptions::supply_projection).
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "mako/core/event_store.hpp"
#include "mako/domain/market/nb_master_data.hpp"

namespace mako::market {

class NbSupplyProjection {
 public:
  explicit NbSupplyProjection(std::shared_ptr<InMemoryNbMasterData> master_data);

  // Applies the events committed after position(). Returns how many it read.
  std::size_t catch_up(const EventStore& store);
  std::uint64_t position() const;
  // Confirmed switches applied to the master data so far.
  std::size_t switches_applied() const;

 private:
  struct Pending {
    std::string malo, supplier;
    calendar::Date start;
  };
  std::shared_ptr<InMemoryNbMasterData> master_data_;
  mutable std::mutex mutex_;
  std::uint64_t position_ = 0;
  std::size_t applied_ = 0;
  std::map<std::string, Pending> pending_;  // by stream: received Anmeldungen not yet decided
};

}  // namespace mako::market
