// Prints the Stripe-Signature header that Stripe's own library makes for the
// payload read from stdin: node sign.js SECRET [UNIX_SECONDS]
// (no timestamp: the library uses the current time).
'use strict';
const Stripe = require('stripe');

const [secret, timestamp] = process.argv.slice(2);
if (!secret) {
  process.stderr.write('usage: node sign.js SECRET [UNIX_SECONDS] < payload\n');
  process.exit(2);
}
const chunks = [];
process.stdin.on('data', (c) => chunks.push(c));
process.stdin.on('end', () => {
  const payload = Buffer.concat(chunks).toString('utf8');
  const stripe = new Stripe('sk_test_unused');
  const options = { payload, secret };
  if (timestamp !== undefined) options.timestamp = Number(timestamp);
  process.stdout.write(stripe.webhooks.generateTestHeaderString(options));
});
