// Runs graphql-http's GraphQL-over-HTTP server audits against a live URL and prints one
// JSON array: [{id, name, status, reason?, responseStatus?}]. Usage: node audit.mjs URL
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node audit.mjs URL');
  process.exit(2);
}

const results = [];
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  const entry = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    entry.reason = result.reason;
    entry.responseStatus = result.response?.status;
  }
  results.push(entry);
}
console.log(JSON.stringify(results));
