#include "mako/core/ids.hpp"

#include "mako/core/errors.hpp"

namespace mako {

Uuid detail::tenant_uuid_from_party_id(std::string_view market_partner_id) {
  return Uuid::v5(id_namespaces::tenant, market_partner_id);
}

Uuid detail::correlation_uuid_from_interchange_ref(std::string_view interchange_ref) {
  return Uuid::v5(id_namespaces::correlation, interchange_ref);
}

StreamId::StreamId(std::string value) : value_(std::move(value)) {
  if (value_.empty()) throw EngineError::invalid_input("stream id must not be empty");
  if (value_.size() > 1024)
    throw EngineError::invalid_input("stream id is " + std::to_string(value_.size()) + " bytes long; the limit is 1024");
  for (std::size_t i = 0; i < value_.size(); ++i) {
    auto c = static_cast<unsigned char>(value_[i]);
    if (c == 0) throw EngineError::invalid_input("stream id contains a NUL byte at offset " + std::to_string(i));
    if (c < 0x20 || c == 0x7F)
      throw EngineError::invalid_input("stream id contains control character 0x" + std::to_string(c) + " at offset " +
                                       std::to_string(i));
  }
}

StreamId StreamId::for_process(const TenantId& tenant, const ProcessId& process) {
  std::string s = "process/";
  s.resize(8 + 36 + 1 + 36);
  tenant.uuid().write_to(s.data() + 8);
  s[44] = '/';
  process.uuid().write_to(s.data() + 45);
  return StreamId(Trusted{}, std::move(s));  // valid by construction: no need to re-check
}

bool StreamId::is_process_stream(const TenantId& tenant, const ProcessId& process) const {
  if (value_.size() != 81 || value_.compare(0, 8, "process/") != 0 || value_[44] != '/') return false;
  char buf[36];
  tenant.uuid().write_to(buf);
  if (value_.compare(8, 36, buf, 36) != 0) return false;
  process.uuid().write_to(buf);
  return value_.compare(45, 36, buf, 36) == 0;
}

}  // namespace mako
