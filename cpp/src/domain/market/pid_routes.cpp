#include "mako/domain/market/pid_routes.hpp"

#include "mako/domain/gpke/register_workflows.hpp"

namespace mako::market {

PidRouteTable& PidRouteTable::spawn(const std::string& pid, const std::string& workflow,
                                    const std::string& command_type, const std::string& vorgang_field,
                                    bool needs_nb_master_data) {
  rows_[pid] = PidRoute{Route{workflow, Route::Action::Spawn, ""}, command_type, vorgang_field, needs_nb_master_data};
  return *this;
}

PidRouteTable& PidRouteTable::resume(const std::string& pid, const std::string& workflow,
                                     const std::string& command_type, const std::string& vorgang_field,
                                     const std::string& correlation_kind) {
  rows_[pid] = PidRoute{Route{workflow, Route::Action::Resume, correlation_kind}, command_type, vorgang_field, false};
  return *this;
}

std::optional<PidRoute> PidRouteTable::find(const std::string& pid) const {
  auto it = rows_.find(pid);
  if (it == rows_.end()) return std::nullopt;
  return it->second;
}

void PidRouteTable::install(MessageRouter& router) const {
  for (const auto& [pid, row] : rows_) router.add_route(pid, row.route);
}

PidRouteTable nb_routes() {
  namespace w = gpke::workflow_names;
  PidRouteTable t;
  t.spawn("55001", w::kLieferbeginnNb, "ReceiveAnmeldung", "anmeldung", true);
  t.resume("55011", w::kLieferbeginnNb, "ReceiveLfaAnswer", "answer");
  t.resume("55012", w::kLieferbeginnNb, "ReceiveLfaAnswer", "answer");
  t.spawn("55004", w::kAbmeldungNb, "ReceiveRequest", "request");
  t.resume("55008", w::kAbmeldungDurchNbNb, "ReceiveAnswer", "answer");
  t.resume("55009", w::kAbmeldungDurchNbNb, "ReceiveAnswer", "answer");
  return t;
}

PidRouteTable lf_routes() {
  namespace w = gpke::workflow_names;
  PidRouteTable t;
  for (const char* pid : {"55036", "55002", "55003"}) t.resume(pid, w::kLieferbeginnLfn, "ReceiveNbMessage", "message");
  t.spawn("55010", w::kLieferendeLfa, "ReceiveRequest", "request");
  t.resume("55037", w::kLieferendeLfa, "ReceiveFollowUp", "message", "followup");
  t.resume("55005", w::kAbmeldungLf, "ReceiveAnswer", "answer");
  t.resume("55006", w::kAbmeldungLf, "ReceiveAnswer", "answer");
  t.spawn("55007", w::kAbmeldungDurchNbLf, "ReceiveRequest", "request");
  t.spawn("55016", w::kKuendigungLfa, "ReceiveRequest", "request");
  t.resume("55017", w::kKuendigungLfn, "ReceiveAnswer", "answer");
  t.resume("55018", w::kKuendigungLfn, "ReceiveAnswer", "answer");
  return t;
}

}  // namespace mako::market
