#include "mako/domain/market/inbound_pipeline.hpp"

#include "mako/core/errors.hpp"
#include "mako/domain/calendar/format_versions.hpp"
#include "mako/domain/edifact/ahb_check.hpp"
#include "mako/domain/edifact/aperak.hpp"
#include "mako/domain/edifact/contrl.hpp"
#include "mako/domain/edifact/parsed_view.hpp"
#include "mako/domain/edifact/parser.hpp"
#include "mako/domain/edifact/syntax_fault.hpp"
#include "mako/domain/edifact/writer.hpp"
#include "mako/domain/gpke/register_workflows.hpp"
#include "mako/domain/market/acknowledgements.hpp"
#include "mako/domain/market/file_name.hpp"

namespace mako::market {

namespace {
// A command the process refuses is answered with Z29 naming the Vorgang as a whole: the workflow
// says what is wrong (FTX+AAO), not in which segment (docs/conformance.md).
constexpr const char* kRefusalLocation = "Vorgang (SG4 IDE+24)";
}  // namespace

const char* to_string(FileOutcome outcome) {
  switch (outcome) {
    case FileOutcome::Accepted: return "accepted";
    case FileOutcome::SyntaxRejected: return "syntax_rejected";
    case FileOutcome::Duplicate: return "duplicate";
    case FileOutcome::AhbRejected: return "ahb_rejected";
  }
  return "?";
}

InboundPipeline::InboundPipeline(EngineContext engine, const WorkflowRegistry& workflows,
                                 std::shared_ptr<MarketTransport> transport, InboundPipelineOptions options)
    : engine_(std::move(engine)),
      workflows_(workflows),
      transport_(std::move(transport)),
      options_(std::move(options)),
      router_(engine_.registry(), engine_.dead_letters()) {
  options_.routes.install(router_);
}

bool InboundPipeline::is_own(const std::string& mp_id) const {
  for (const auto& own : options_.own_mp_ids)
    if (own == mp_id) return true;
  return false;
}

void InboundPipeline::send_ack(const std::string& own, const std::string& partner, const std::string& kind,
                               const std::string& reference, const std::string& bytes, calendar::Instant now) {
  transport_->send(partner, bytes, market_file_name(now, ++sequence_, FileNameParts{own, partner, kind, reference}));
}

FileReceipt InboundPipeline::reject_syntax(const InboundFile& file, const std::string& error,
                                           const edifact::SyntaxFault& fault) {
  const auto now = std::chrono::floor<std::chrono::seconds>(engine_.now());
  auto header = read_interchange_header(file.bytes);
  if (!header) {
    const std::string own = options_.own_mp_ids.empty() ? std::string("0000000000000") : options_.own_mp_ids.front();
    header = InterchangeHeader{{file.partner, "500", ""}, {own, "500", ""}, "UNKNOWN"};
  }
  // The CONTRL comes from the MP-ID the file was addressed to when that is ours.
  if (!is_own(header->receiver.id) && !options_.own_mp_ids.empty())
    header->receiver = {options_.own_mp_ids.front(), "500", ""};
  const std::string ref =
      interchange_reference_for("CONTRL4|" + header->sender.id + "|" + header->reference + "|" + file.name);
  send_ack(header->receiver.id, header->sender.id, "CONTRL", ref, render_contrl(*header, fault, now, ref), now);
  ++stats_.contrl_sent;
  ++stats_.contrl_rejections_sent;
  ++stats_.syntax_rejected;
  FileReceipt receipt;
  receipt.outcome = FileOutcome::SyntaxRejected;
  receipt.sender = header->sender.id;
  receipt.interchange_reference = header->reference;
  receipt.error = error;
  return receipt;
}

FileReceipt InboundPipeline::receive(const InboundFile& file) {
  const PipelineStats before = stats_;
  const std::uint64_t sequence = sequence_;
  try {
    // Joins the caller's unit when one is open (a pump round): a failure here is rethrown and
    // ends that unit too, so a savepoint per file would buy nothing.
    auto unit = engine_.begin_work_unit(UnitNesting::Join);
    FileReceipt receipt = receive_in_unit(file);
    unit->commit();
    return receipt;
  } catch (...) {
    stats_ = before;  // the file counts as not received; it will come again
    sequence_ = sequence;
    throw;
  }
}

FileReceipt InboundPipeline::receive_in_unit(const InboundFile& file) {
  ++stats_.files;
  const auto now = std::chrono::floor<std::chrono::seconds>(engine_.now());
  // The ÜT: the file's arrival when it waited in a backlog, else now.
  const auto received =
      file.arrived_at ? std::min(std::chrono::floor<std::chrono::seconds>(*file.arrived_at), now) : now;

  // 1. Syntax and typed views: all or nothing for the interchange. Parsed as views into the
  // file (same checks and errors as edifact::parse, without building a Segment per segment).
  edifact::ParsedInterchange& parsed = *parsed_;
  const edifact::Interchange& ic = parsed.header;
  std::vector<edifact::UtilmdMessage> utilmd;
  std::vector<std::string> acks;
  try {
    edifact::parse_views(file.bytes, parsed);
    for (const auto& m : parsed.messages) {
      if (m.type == "UTILMD") {
        utilmd.push_back(edifact::read_utilmd(m));
      } else if (m.type == "CONTRL") {
        acks.push_back(std::string("CONTRL ") + edifact::read_contrl(m).action);
      } else if (m.type == "APERAK") {
        acks.push_back(edifact::read_aperak(m).positive ? "APERAK 312" : "APERAK 313");
      } else {
        throw edifact::ParseError(m.number, m.offset, "UNH", "UTILMD, CONTRL or APERAK", m.type);
      }
    }
  } catch (const edifact::ParseError& e) {
    return reject_syntax(file, e.what(), edifact::locate_syntax_fault(e, file.bytes));
  } catch (const std::exception& e) {
    // A refusal without a position: the interchange as a whole (12 at UNB).
    edifact::SyntaxFault fault;
    fault.error_code = edifact::kSyntaxInvalidValue;
    fault.service_segment = "UNB";
    return reject_syntax(file, e.what(), fault);
  }
  if (!is_own(ic.receiver.id))
    return reject_syntax(file, "interchange addressed to " + ic.receiver.id, edifact::wrong_recipient_fault());

  FileReceipt receipt;
  receipt.sender = ic.sender.id;
  receipt.interchange_reference = ic.reference;
  receipt.acknowledgements = acks;

  // 2. CONTRL 7, unless the interchange is itself only acknowledgements.
  if (!utilmd.empty()) {
    const InterchangeHeader header{ic.sender, ic.receiver, ic.reference};
    const std::string ref = interchange_reference_for("CONTRL7|" + ic.sender.id + "|" + ic.reference);
    send_ack(ic.receiver.id, ic.sender.id, "CONTRL", ref, render_contrl(header, std::nullopt, now, ref), now);
    ++stats_.contrl_sent;
  }

  // 3. Inbox dedup.
  const TenantId tenant = TenantId::from_party_id(ic.receiver.id);
  if (const auto& inbox = engine_.inbox()) {
    if (!inbox->record_if_new(tenant, ic.sender.id + "/" + ic.reference, engine_.now())) {
      ++stats_.duplicates;
      receipt.outcome = FileOutcome::Duplicate;
      return receipt;
    }
  }
  ++stats_.accepted;
  for (const auto& a : acks) {
    if (a.rfind("CONTRL", 0) == 0) {
      ++stats_.contrl_received;
      if (a == "CONTRL 4") ++stats_.contrl_rejections_received;
    } else {
      ++stats_.aperak_received;
    }
  }

  // 4. Every transaction to its process.
  std::size_t transactions = 0, ahb_rejected = 0;
  for (const auto& message : utilmd) {
    const auto violations =
        options_.check_ahb ? edifact::check_utilmd_ahb(message) : std::vector<edifact::AhbViolation>{};
    for (std::size_t i = 0; i < message.transactions.size(); ++i) {
      ++transactions;
      if (reject_ahb(message, i, violations, file.bytes, ic.reference, now, receipt)) ++ahb_rejected;
      else process_transaction(message, i, file.bytes, ic.reference, received, now, receipt);
    }
  }
  if (transactions > 0 && ahb_rejected == transactions) receipt.outcome = FileOutcome::AhbRejected;
  return receipt;
}

bool InboundPipeline::reject_ahb(const edifact::UtilmdMessage& message, std::size_t index,
                                 const std::vector<edifact::AhbViolation>& violations, const std::string& bytes,
                                 const std::string& interchange_reference, calendar::Instant now,
                                 FileReceipt& receipt) {
  const auto& t = message.transactions[index];
  std::string text;
  for (const auto& v : violations) {
    if (!v.transaction.empty() && v.transaction != t.reference) continue;
    text += (text.empty() ? "AHB: " : "; ") + v.message();
  }
  if (text.empty()) return false;
  const std::string ref = interchange_reference_for("APERAKAHB|" + message.sender.id + "|" + interchange_reference +
                                                    "|" + message.reference + "|" + t.reference);
  // The first violation names the place (FTX+Z02) and the value (FTX+ABO); the text lists all.
  const edifact::AhbViolation* first = nullptr;
  for (const auto& v : violations)
    if (v.transaction.empty() || v.transaction == t.reference) {
      first = &v;
      break;
    }
  send_ack(message.receiver.id, message.sender.id, "APERAK", ref,
           render_aperak(message.receiver.id, message.sender.id,
                         AperakSubject{message.document_number, message.message_date, message.reference, t.reference,
                                       edifact::kAperakRequiredMissing, first->segment, text,
                                       first->field.empty() ? first->segment : first->field},
                         now, ref),
           now);
  ++stats_.aperak_sent;
  ++stats_.ahb_rejected;
  const TenantId tenant = TenantId::from_party_id(message.receiver.id);
  if (const auto& sink = engine_.dead_letters())
    sink->put(DeadLetter{0, tenant, "pipeline", t.pid, text, bytes, Timestamp(now)});
  TransactionResult result;
  result.kind = TransactionResult::Kind::AhbRejected;
  result.pid = t.pid;
  result.transaction = t.reference;
  result.reason = std::move(text);
  receipt.transactions.push_back(std::move(result));
  return true;
}

std::optional<calendar::Date> InboundPipeline::pending_anmeldung(const TenantId& tenant,
                                                                 const std::string& malo) const {
  const auto& registry = engine_.registry();
  if (!registry) return std::nullopt;
  const auto id = registry->lookup(tenant, "malo", malo);
  if (!id || id->workflow_id.name() != gpke::workflow_names::kLieferbeginnNb) return std::nullopt;
  auto pending = [](const gpke::NbLieferbeginnState& state) -> std::optional<calendar::Date> {
    const bool undecided =
        state.status == gpke::NbLieferbeginnStatus::New || state.status == gpke::NbLieferbeginnStatus::WaitingForLfa;
    if (!undecided || !state.anmeldung) return std::nullopt;
    return state.anmeldung->start;
  };
  // Through the registry's runtime when it is the C++ workflow, so the engine's process cache
  // serves the folded state; otherwise (a replaced registry entry) through a typed handle.
  using NbRuntime = TypedWorkflowRuntime<gpke::NbLieferbeginn>;
  const auto runtime = workflows_.contains(gpke::workflow_names::kLieferbeginnNb)
                           ? workflows_.get(gpke::workflow_names::kLieferbeginnNb)
                           : nullptr;
  if (!dynamic_cast<const NbRuntime*>(runtime.get())) return pending(engine_.resume<gpke::NbLieferbeginn>(*id).state());
  std::optional<calendar::Date> start;
  engine_.resume(runtime, *id)->with_state([&](const StateBox& box, std::uint64_t) {
    start = pending(NbRuntime::state_of(box));
  });
  return start;
}

Json InboundPipeline::build_command(const PidRoute& row, Json vorgang, calendar::Instant received,
                                    calendar::Instant now, const TenantId& tenant, const std::string& malo,
                                    const std::optional<calendar::Date>& start) const {
  Json data =
      gpke::object_of(row.vorgang_field.c_str(), std::move(vorgang), "received_at", gpke::instant_to_json(received));
  if (received < now) gpke::put(data, "decided_at", gpke::instant_to_json(now));  // worked off a backlog
  if (row.needs_nb_master_data) {
    gpke::NbStammdaten stammdaten;
    if (options_.supply_projection) options_.supply_projection->catch_up(engine_.event_store());
    if (options_.nb_master_data && start) {
      stammdaten.assigned_lfa = options_.nb_master_data->assigned_supplier(malo, *start);
      stammdaten.precondition_failure = options_.nb_master_data->precondition_failure(malo, *start);
    }
    stammdaten.pending_anmeldung_start = pending_anmeldung(tenant, malo);
    gpke::put(data, "stammdaten", Json(stammdaten));
  }
  return gpke::object_of("type", row.command_type, "data", std::move(data));
}

void InboundPipeline::process_transaction(const edifact::UtilmdMessage& message, std::size_t index,
                                          const std::string& bytes, const std::string& interchange_reference,
                                          calendar::Instant received, calendar::Instant now, FileReceipt& receipt) {
  const gpke::UtilmdVorgang vorgang = gpke::vorgang_from_utilmd(message, index);
  const TenantId tenant = TenantId::from_party_id(message.receiver.id);
  TransactionResult result;
  result.pid = vorgang.pid;
  result.transaction = vorgang.transaction_reference;

  // One APERAK per Geschäftsvorfall: 313 with `code`, or 312 when `code` is empty.
  auto aperak = [&](const char* code, const std::string& faulty_value, const std::string& text,
                    const std::string& location) {
    const std::string ref = interchange_reference_for(
        std::string(*code ? "APERAK313|" : "APERAK312|") + message.sender.id + "|" + interchange_reference + "|" +
        message.reference + "|" + vorgang.transaction_reference + "|" + code);
    send_ack(message.receiver.id, message.sender.id, "APERAK", ref,
             render_aperak(message.receiver.id, message.sender.id,
                           AperakSubject{message.document_number, message.message_date, message.reference,
                                         vorgang.transaction_reference, code, faulty_value, text, location},
                           now, ref),
             now);
    ++stats_.aperak_sent;
  };

  const auto route_row = options_.routes.find(vorgang.pid);
  const bool by_vorgang = !route_row || route_row->route.correlation_kind == "vorgang";
  InboundMessage inbound{tenant, vorgang.pid, by_vorgang ? vorgang.referenced_transaction.value_or("") : vorgang.malo,
                         bytes, Timestamp(now)};
  const RoutingDecision decision = router_.route(inbound);
  if (decision.dead_lettered()) {
    result.kind = TransactionResult::Kind::DeadLettered;
    result.reason = decision.reason;
    ++stats_.dead_lettered;
    if (!route_row)
      aperak(edifact::kAperakRejectedByReceiver, vorgang.pid,
             "Prüfidentifikator " + vorgang.pid + " wird vom Empfänger nicht verarbeitet", "");
    else aperak(edifact::kAperakReferencedUnknown, vorgang.referenced_transaction.value_or(""), decision.reason, "");
    receipt.transactions.push_back(std::move(result));
    return;
  }
  result.workflow = decision.workflow;
  const PidRoute& row = *route_row;

  auto dead_letter = [&](TransactionResult::Kind kind, const std::string& reason) {
    result.kind = kind;
    result.reason = reason;
    if (const auto& sink = engine_.dead_letters())
      sink->put(DeadLetter{0, tenant, "pipeline", vorgang.pid, reason, bytes, Timestamp(now)});
  };
  bool executed = false;
  try {
    const auto runtime = workflows_.get(decision.workflow);
    std::shared_ptr<ProcessCore> core;
    if (decision.kind == RoutingDecision::Kind::Spawn) {
      const auto fv = calendar::format_version_for(message.message_date).core_name();
      core = engine_.spawn(runtime, tenant, WorkflowId(decision.workflow, fv));
    } else {
      core = engine_.resume(runtime, *decision.process);
    }
    const Json command = build_command(row, Json(vorgang), received, now, tenant, vorgang.malo, vorgang.start);
    CommandContext context;
    context.correlation_id = CorrelationId::from_interchange_ref(interchange_reference);
    const auto events = core->execute_with_retry(
        [&](const StateBox& state) { return runtime->handle_json(state, command); }, context, options_.max_attempts);
    result.process = core->identity();
    result.events = events.size();
    ++stats_.executed;
    executed = true;
  } catch (const WorkflowError& e) {
    dead_letter(TransactionResult::Kind::Refused, std::string("refused by ") + decision.workflow + ": " + e.what());
    ++stats_.refused;
    aperak(edifact::kAperakRequiredMissing, "", e.what(), kRefusalLocation);
  } catch (const EngineError& e) {
    if (e.is_store_failure()) throw;  // the whole file is rolled back and received again later
    if (e.is_workflow_error()) {
      dead_letter(TransactionResult::Kind::Refused, std::string("refused by ") + decision.workflow + ": " + e.what());
      ++stats_.refused;
      aperak(edifact::kAperakRequiredMissing, "", e.what(), kRefusalLocation);
    } else {
      dead_letter(TransactionResult::Kind::Failed, std::string("engine failure: ") + e.what());
      ++stats_.failed;
    }
  } catch (const std::exception& e) {
    dead_letter(TransactionResult::Kind::Failed, std::string("engine failure: ") + e.what());
    ++stats_.failed;
  }
  // Outside the try: the command is done, whatever happens to the acknowledgement.
  if (executed && options_.send_positive_aperak) aperak("", "", "", "");
  receipt.transactions.push_back(std::move(result));
}

std::vector<std::pair<InboundFile, FileReceipt>> InboundPipeline::receive_waiting() {
  std::vector<std::pair<InboundFile, FileReceipt>> received;
  try {
    for (auto& file : transport_->poll_except(in_flight_)) {
      FileReceipt receipt = receive(file);
      in_flight_.insert(file.handle);
      received.emplace_back(std::move(file), std::move(receipt));
    }
  } catch (...) {
    release(received);  // their writes belong to the caller's unit, which will not commit now
    throw;
  }
  return received;
}

void InboundPipeline::release(const std::vector<std::pair<InboundFile, FileReceipt>>& received) {
  for (const auto& [file, receipt] : received) in_flight_.erase(file.handle);
}

void InboundPipeline::settle(const std::vector<std::pair<InboundFile, FileReceipt>>& received) {
  for (const auto& [file, receipt] : received) {
    transport_->settle(file, receipt.outcome == FileOutcome::Accepted ? Disposition::Processed : Disposition::Rejected);
    in_flight_.erase(file.handle);
  }
}

std::vector<FileReceipt> InboundPipeline::poll_once() {
  auto unit = engine_.begin_work_unit();
  auto received = receive_waiting();
  try {
    unit->commit();
  } catch (...) {
    release(received);
    throw;
  }
  settle(received);
  std::vector<FileReceipt> receipts;
  receipts.reserve(received.size());
  for (auto& [file, receipt] : received) receipts.push_back(std::move(receipt));
  return receipts;
}

}  // namespace mako::market
