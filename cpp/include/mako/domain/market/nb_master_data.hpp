#pragma once
// The Netzbetreiber's master data the inbound pipeline needs before it hands a 55001 to
// gpke.lieferbeginn.nb (the workflow takes the lookup's result as ReceiveAnmeldung.stammdaten):
// which supplier is assigned to a MaLo at the start date (that one becomes the LFA that is asked
// to end supply), and whether the MaLo can be supplied at all (unknown MaLo -> 55003).
// Whether another Anmeldung is pending is not master data: the pipeline reads it from the NB's own
// processes (ProcessRegistry "malo" -> the latest gpke.lieferbeginn.nb process still undecided).
//
// A real NB implements this over its ERP / grid-register; InMemoryNbMasterData is the one the
// market simulation fills. Supply periods are [from, until) calendar days, like GPKE end dates.
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "mako/domain/calendar/date.hpp"
#include "mako/domain/gpke/nb_lieferbeginn.hpp"

namespace mako::market {

class NbMasterData {
 public:
  virtual ~NbMasterData() = default;
  // The supplier assigned to `malo` on `date`, if any.
  virtual std::optional<std::string> assigned_supplier(const std::string& malo, const calendar::Date& date) const = 0;
  // Why `malo` cannot be supplied from `date` (e.g. "MaLo unbekannt"), or nullopt when it can.
  virtual std::optional<gpke::PreconditionFailure> precondition_failure(const std::string& malo,
                                                                        const calendar::Date& date) const = 0;
};

class InMemoryNbMasterData : public NbMasterData {
 public:
  // Makes the MaLo known (with no supplier).
  void add_malo(const std::string& malo);
  // Assigns `supplier` from `from` (inclusive) until `until` (exclusive; open when absent). Adds the MaLo.
  void assign(const std::string& malo, const std::string& supplier, const calendar::Date& from,
              std::optional<calendar::Date> until = std::nullopt);

  std::optional<std::string> assigned_supplier(const std::string& malo, const calendar::Date& date) const override;
  std::optional<gpke::PreconditionFailure> precondition_failure(const std::string& malo,
                                                                const calendar::Date& date) const override;

 private:
  struct Supply {
    std::string supplier;
    calendar::Date from;
    std::optional<calendar::Date> until;
  };
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::vector<Supply>, std::less<>> malos_;
};

}  // namespace mako::market
