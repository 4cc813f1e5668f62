#include "mako/domain/gpke/deadlines.hpp"

#include <stdexcept>
#include <string>

namespace mako::gpke {

const calendar::GpkeAnswerDeadline& answer_row(std::uint32_t request_pid, std::uint32_t answer_pid) {
  const auto* row = calendar::find_gpke_deadline_for_answer(request_pid, answer_pid);
  if (!row)
    throw std::invalid_argument("no GPKE deadline for answer " + std::to_string(answer_pid) + " to " +
                                std::to_string(request_pid));
  return *row;
}

Instant answer_due(std::uint32_t request_pid, std::uint32_t answer_pid, Instant uebertragung,
                   const calendar::Calendar& cal) {
  return answer_row(request_pid, answer_pid).deadline.evaluate(uebertragung, cal);
}

Date latest_uebertragungstag(const Date& start, const calendar::Calendar& cal) {
  return calendar::latest_transfer_day_for_start(start, cal);
}

bool lead_time_kept(const Date& start, Instant uebertragung, const calendar::Calendar& cal) {
  return std::chrono::sys_days{calendar::transfer_day(uebertragung)} <=
         std::chrono::sys_days{latest_uebertragungstag(start, cal)};
}

}  // namespace mako::gpke
