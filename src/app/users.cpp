#include "app/users.h"

#include "app/audit.h"
#include "domain/masterdata/fields.h"
#include "security/crypto.h"
#include "store/repos.h"

namespace o2c::app {
namespace {

Actor actor_of(const store::User& u) {
  return Actor{u.id, u.name, role_from(u.role).value_or(Role::viewer), u.customer_id};
}

}  // namespace

Status prepare_password(NewUser& u) {
  if (!u.password) return {};
  if (u.password->size() < kPasswordMin) {
    return Error::invalid("weak_password", "a password has at least " + std::to_string(kPasswordMin) + " characters",
                          "password");
  }
  u.password_hash = security::hash_password(*u.password);
  return {};
}

Result<CreatedUser> create_user(Context& ctx, const NewUser& u) {
  O2C_ASSIGN_OR_RETURN(auto name, masterdata::required_text(u.name, "name", 100));
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-' || c == '@')) {
      return Error::invalid("invalid_name", "a user name holds letters, digits and . _ - @ only", "name");
    }
  }
  O2C_ASSIGN_OR_RETURN(auto role_text, masterdata::required_text(u.role, "role", 20));
  auto role = role_from(role_text);
  if (!role) {
    return Error::invalid("invalid_role",
                          "role must be one of admin, sales, credit, warehouse, accountant, viewer, portal",
                          "role");
  }
  std::optional<CustomerId> customer;
  if (u.customer_id && !u.customer_id->empty()) {
    customer = CustomerId::parse(*u.customer_id);
    if (!customer || !store::customers::find(ctx.uow, *customer)) {
      return Error::invalid("unknown_customer", "no customer '" + *u.customer_id + "'", "customer_id");
    }
  }
  if (*role == Role::portal && !customer) {
    return Error::invalid("customer_required", "a portal user belongs to one customer", "customer_id");
  }
  if (*role != Role::portal && customer) {
    return Error::invalid("customer_not_allowed", "only portal users belong to a customer", "customer_id");
  }
  std::optional<std::string> password_hash = u.password_hash;
  if (u.password && !password_hash) {
    NewUser copy = u;
    O2C_TRY(prepare_password(copy));
    password_hash = copy.password_hash;
  }
  if (store::users::find_by_name(ctx.uow, name)) {
    return Error::invalid("duplicate_user", "a user named '" + name + "' already exists", "name");
  }
  std::string now = ctx.clock.now_rfc3339();
  UserId id = store::users::insert(ctx.uow, name, std::string(to_string(*role)), customer, password_hash, now);
  std::string token = security::new_api_token();
  store::users::add_token(ctx.uow, id, security::sha256_hex(token), now);
  nlohmann::json payload = {{"name", name}, {"role", to_string(*role)}};
  if (customer) payload["customer_id"] = customer->to_string();
  record_event(ctx, "user", id.to_string(), "created", payload);
  return CreatedUser{Actor{id, name, *role, customer}, token};
}

Result<CreatedUser> create_user(store::Database& db, const Clock& clock, const NewUser& u,
                                const std::string& actor) {
  NewUser prepared = u;
  O2C_TRY(prepare_password(prepared));
  auto uow = db.begin(store::TxMode::write);
  Actor system{UserId(), actor, Role::admin, std::nullopt};
  Context ctx{*uow, system, clock};
  auto r = create_user(ctx, prepared);
  if (r.ok()) uow->commit();
  return r;
}

Result<std::string> issue_token(store::Database& db, const Clock& clock, const std::string& user_name,
                                const std::string& actor) {
  auto uow = db.begin(store::TxMode::write);
  auto user = store::users::find_by_name(*uow, user_name);
  if (!user) return Error::not_found("user_not_found", "no user '" + user_name + "'");
  std::string token = security::new_api_token();
  store::users::add_token(*uow, user->id, security::sha256_hex(token), clock.now_rfc3339());
  record_system_event(*uow, clock, actor, "user", user->id.to_string(), "token_issued", {{"name", user->name}});
  uow->commit();
  return token;
}

Result<Actor> authenticate(store::UnitOfWork& uow, const std::string& token) {
  auto u = store::users::by_token_hash(uow, security::sha256_hex(token));
  if (!u) return Error{ErrorKind::unauthorized, "invalid_token", "the bearer token is not valid", ""};
  return actor_of(*u);
}

}  // namespace o2c::app
