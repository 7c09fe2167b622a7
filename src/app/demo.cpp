#include "app/demo.h"

#include "app/masterdata.h"
#include "app/users.h"
#include "store/repos.h"

namespace o2c::app {
namespace {

struct DemoCustomer {
  const char* name;
  const char* email;
  const char* currency;
  const char* credit_limit;
  const char* terms;
  const char* vat_id;
  const char* country;
  const char* address;
  const char* iban;
  const char* billing;
};

constexpr DemoCustomer kCustomers[] = {
    {"Bäckerei Sonnenschein GmbH", "ap@sonnenschein.example", "EUR", "25000.00", "NET30", "DE129273398",
     "DE", "Hauptstraße 12, 10115 Berlin", "DE89370400440532013000", "per_shipment"},
    {"Café Lumière SARL", "compta@lumiere.example", "EUR", "8000.00", "2/10NET30", "FR40303265045", "FR",
     "12 rue de la Paix, 75002 Paris", "FR1420041010050500013M02606", "per_shipment"},
    {"Hotel Zeeland BV", "finance@zeeland.example", "EUR", "50000.00", "NET14", "NL004495445B01", "NL",
     "Havenkade 3, 4331 Middelburg", "NL91ABNA0417164300", "consolidated"},
    {"Pacific Provisions Inc.", "payables@pacific.example", "USD", "30000.00", "NET30", nullptr, "US",
     "500 Market St, San Francisco, CA 94105", nullptr, "per_shipment"},
    {"Trattoria Roma Srl", "amministrazione@roma.example", "EUR", "3000.00", "DUE", "IT00743110157", "IT",
     "Via Roma 1, 00184 Roma", "IT60X0542811101000000123456", "per_shipment"},
};

struct DemoProduct {
  const char* sku;
  const char* name;
  const char* price;
  const char* tax_rate;
  const char* tax_category;
  const char* cost;
};

constexpr DemoProduct kProducts[] = {
    {"COF-1KG", "Espresso beans 1 kg", "18.90", "7", "S", "11.20"},
    {"COF-250", "Filter coffee 250 g", "5.4900", "7", "S", "2.95"},
    {"TEA-100", "Green tea, 100 bags", "7.25", "7", "S", "3.80"},
    {"MUG-01", "Stoneware mug", "6.50", "19", "S", "2.10"},
    {"GRN-5", "Burr grinder", "249.00", "19", "S", "131.00"},
    {"FLT-100", "Paper filters, pack of 100", "2.15", "19", "S", "0.74"},
    {"MLK-OAT", "Oat drink 1 l", "2.35", "7", "S", "1.12"},
    {"SVC-CLN", "Machine cleaning service", "89.00", "19", "S", nullptr},
};

}  // namespace

Status seed_demo_company(store::Database& db, const Clock& clock) {
  auto uow = db.begin(store::TxMode::write);
  Actor system{UserId(), "demo-seed", Role::admin, std::nullopt};
  Context ctx{*uow, system, clock};
  masterdata::CompanyDraft company;
  company.name = "o2c Demo Wholesale GmbH";
  company.vat_id = "DE811907980";
  company.country = "DE";
  company.address = "Lagerstraße 7, 20457 Hamburg";
  company.iban = "DE75512108001245126199";
  company.bic = "SOGEDEFFXXX";
  company.currency = "EUR";
  company.peppol_id = "9930:DE811907980";
  company.time_zone = "Europe/Berlin";
  company.email = "billing@demo-wholesale.example";
  company.phone = "+49 40 3861 0";
  // Customers' banks sometimes keep a fee from a transfer: a few euros short
  // closes the invoice (written off) rather than leaving it open for ever.
  company.write_off_tolerance = "15.00";
  O2C_TRY(put_company(ctx, company));

  auto text = [](const char* s) { return s ? masterdata::Text(s) : masterdata::Text(); };
  for (const auto& c : kCustomers) {
    masterdata::CustomerDraft d{text(c.name),    text(c.email),   text(c.currency), text(c.credit_limit),
                                text(c.terms),   text(c.vat_id),  text(c.country),  text(c.address),
                                text(c.iban),    masterdata::Text(), text(c.billing)};
    O2C_TRY(create_customer(ctx, d));
  }
  for (const auto& p : kProducts) {
    masterdata::ProductDraft d{text(p.sku),      text(p.name),         text(p.price), masterdata::Text("EUR"),
                               text(p.tax_rate), text(p.tax_category), text(p.cost)};
    O2C_TRY(create_product(ctx, d));
  }
  O2C_TRY(create_warehouse(ctx, {masterdata::Text("HAM"), masterdata::Text("Hamburg central"), int64_t{10}}));
  O2C_TRY(create_warehouse(ctx, {masterdata::Text("MUC"), masterdata::Text("Munich depot"), int64_t{20}}));
  struct Stock {
    const char* wh;
    const char* sku;
    const char* qty;
    const char* cost;
  };
  constexpr Stock kStock[] = {
      {"HAM", "COF-1KG", "400", "11.20"}, {"MUC", "COF-1KG", "120", "11.35"}, {"HAM", "COF-250", "900", "2.95"},
      {"HAM", "TEA-100", "250", "3.80"},  {"HAM", "MUG-01", "600", "2.10"},   {"MUC", "MUG-01", "150", "2.05"},
      {"HAM", "GRN-5", "12", "131.00"},   {"MUC", "GRN-5", "3", "129.50"},    {"HAM", "FLT-100", "2000", "0.74"},
      {"HAM", "MLK-OAT", "480.5", "1.12"},
  };
  for (const auto& s : kStock) {
    O2C_TRY(receive_stock(ctx, {text(s.wh), text(s.sku), text(s.qty), text(s.cost), masterdata::Text(), masterdata::Text()}));
  }
  for (const auto& u : kDemoUsers) {
    // A server started once without --demo made its first admin already.
    if (store::users::find_by_name(*uow, u[0])) continue;
    NewUser nu{u[0], u[1], std::nullopt, std::nullopt};
    if (std::string(u[1]) == "portal") nu.customer_id = "1";
    O2C_TRY(create_user(ctx, nu));
  }
  uow->commit();
  return {};
}

std::vector<DemoLogin> issue_demo_tokens(store::Database& db, const Clock& clock) {
  std::vector<DemoLogin> logins;
  for (const auto& u : kDemoUsers) {
    auto token = issue_token(db, clock, u[0], "demo");
    if (!token.ok()) continue;  // a database seeded by hand may lack some demo users
    logins.push_back({u[0], u[1], *token});
  }
  return logins;
}

}  // namespace o2c::app
