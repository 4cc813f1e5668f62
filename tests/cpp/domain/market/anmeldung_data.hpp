#pragma once
// A 55001 as a real LFN sends it: with the customer, product package and group data the AHB makes
// mandatory (edifact/utilmd_rules.hpp), so the NB's AHB check on receipt lets it through.
#include <string>

#include "mako/domain/gpke/utilmd_vorgang.hpp"

namespace market_test {

inline mako::edifact::UtilmdParty test_customer() {
  return mako::edifact::UtilmdParty{"Erika Müller", false, "Hauptstraße 7", "Berlin", "10115", "DE"};
}

inline mako::gpke::UtilmdVorgang complete_anmeldung(std::string reference, std::string malo, mako::calendar::Date start,
                                                    std::string lfn, std::string nb) {
  mako::gpke::UtilmdVorgang v{"55001", std::move(reference), std::nullopt,   std::move(malo), start,
                              "E03",   std::nullopt,         std::move(lfn), std::move(nb)};
  v.supplement = "ZW4";
  v.customer = test_customer();
  v.correspondence = v.customer;
  v.product_code = "9991000002082";
  v.household = true;
  v.enfg = "ZG0";
  return v;
}

}  // namespace market_test
