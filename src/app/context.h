#pragma once
// What every use case receives: the unit of work it runs in, who acts, and
// the clock. The caller (an entry point) begins and commits the unit of
// work, so that it can store the idempotent response in the same commit.
#include <optional>
#include <string>

#include "core/date.h"
#include "core/id.h"
#include "store/db.h"

namespace o2c::app {

enum class Role { admin, sales, credit, warehouse, accountant, viewer, portal };
std::string_view to_string(Role r);
std::optional<Role> role_from(std::string_view s);
constexpr Role kAllRoles[] = {Role::admin, Role::sales, Role::credit, Role::warehouse,
                              Role::accountant, Role::viewer, Role::portal};

struct Actor {
  UserId id;
  std::string name;
  Role role = Role::viewer;
  std::optional<CustomerId> customer;  // portal users only
  bool is_staff() const { return role != Role::portal; }
};

// Time is injected so that tests and demos can pin the business date.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Date today() const = 0;            // the business date
  virtual std::string now_rfc3339() const = 0;  // the instant, UTC
};

class SystemClock : public Clock {
 public:
  explicit SystemClock(std::optional<Date> pinned_today = std::nullopt) : pinned_(pinned_today) {}
  Date today() const override;
  std::string now_rfc3339() const override;

 private:
  std::optional<Date> pinned_;
};

struct Context {
  store::UnitOfWork& uow;
  const Actor& actor;
  const Clock& clock;
};

}  // namespace o2c::app
