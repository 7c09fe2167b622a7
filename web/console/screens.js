// Every screen of the console besides the dashboard, in the order the
// navigation lists them. A screen module's default export:
//   path   'credit-holds', or with parameters 'customers/:id' (#/customers/12)
//   title  the page's heading
//   nav    the label in the navigation, or null for screens reached by links
//   needs  a route ("GET /orders") the role must be allowed to call to open
//          it (session.may); the actions inside check their own routes
//   render(root, ctx)  fills root; ctx = {session, params, query, go(path),
//          reload(), status(text), onAuthLost()}
// A screen whose route the role may not call is neither listed nor opened.
import orderNew from './screens/order_new.js';
import orders from './screens/orders.js';
import order from './screens/order.js';
import shipping from './screens/shipping.js';
import backorders from './screens/backorders.js';
import creditHolds from './screens/credit_holds.js';
// Finance: customers, invoices, the bank, collections and disputes.
import { customerList, customerPage } from './screens/customers.js';
import { invoiceList, invoicePage } from './screens/invoices.js';
import bankLines from './screens/bank_lines.js';
import bankImport from './screens/bank_import.js';
import collections from './screens/collections.js';
import disputes from './screens/disputes.js';

const screens = [
  orderNew,
  orders,
  order,
  shipping,
  backorders,
  creditHolds,
  // Finance
  customerList,
  customerPage,
  invoiceList,
  invoicePage,
  bankLines,
  bankImport,
  collections,
  disputes,
];

export default screens;
