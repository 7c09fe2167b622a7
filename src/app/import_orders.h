#pragma once
// Orders coming in by file: one CSV row per order line, rows grouped into
// orders by their order_ref (rows of one order need not be adjacent). Each
// order is placed through place_order in a unit of work of its own, so that
// pricing, credit, reservation, audit and outbox are those of the API. An
// order with any bad row is not placed at all; the other orders are.
//
// Columns (header line, any order): order_ref, customer_id, sku, quantity;
// optional unit_price, currency, external_ref, ship_to. The order-level
// columns (customer_id, currency, external_ref, ship_to) must agree on every
// row of an order. external_ref defaults to order_ref, and an order whose
// (customer, external_ref) already exists is skipped, not placed again: the
// same file may be imported twice.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "app/context.h"
#include "store/db.h"

namespace o2c::app {

// One bad row: its file line (the header is line 1), the error code, the
// column at fault (empty when none is) and a message for a person.
struct ImportRowError {
  size_t line = 0;
  std::string code;
  std::string field;
  std::string message;
};

enum class ImportOutcome { imported, refused, already_imported };

struct ImportedGroup {
  std::string order_ref;
  size_t first_line = 0;
  size_t rows = 0;
  ImportOutcome outcome = ImportOutcome::refused;
  std::string order_number;  // the placed order, or the existing one when skipped
  std::string status;        // of that order
};

struct ImportOrdersReport {
  std::vector<ImportRowError> errors;  // sorted by line; one per bad row, all of the header's
  std::vector<ImportedGroup> groups;   // in order of first appearance
  size_t count(ImportOutcome o) const;
  size_t lines_imported() const;
  bool ok() const { return errors.empty(); }
};

// Errors are reported per row, never returned. Error codes of the file's own
// rules: empty_file, unknown_column, duplicate_column, missing_column (line 1),
// field_count, required (order_ref), too_long (order_ref), group_mismatch
// (customer_id, currency, external_ref, ship_to), the CSV reader's codes
// (formats/csv/csv.h), and every code of place_order on the row it names.
// Throws ErrorException only when the store stays unavailable.
ImportOrdersReport import_orders(store::Database& db, const Clock& clock, const Actor& actor,
                                 std::string_view csv_text);

}  // namespace o2c::app
