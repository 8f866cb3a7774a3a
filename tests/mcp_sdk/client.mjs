// tests/mcp_sdk/client.mjs — the official MCP TypeScript SDK client against `trove mcp`.
//
//   node client.mjs stdio TROVE_BIN HOME QUERY EXPECT_PATH_SUFFIX
//   node client.mjs http  URL             QUERY EXPECT_PATH_SUFFIX
//
// Connects (the SDK negotiates the protocol version and validates every reply,
// including structuredContent against each tool's outputSchema), lists the tools,
// calls `search` and expects EXPECT_PATH_SUFFIX among the hits, calls `get` on that
// hit's chunk_id and expects its text, checks that a bad call is a tool error and
// that the server still answers after it, and reads the document as a resource.
// Exit 0 when all of that holds; prints what failed otherwise.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

const [kind, ...rest] = process.argv.slice(2);
let transport, query, expect;
if (kind === 'stdio') {
  const [bin, home, q, e] = rest;
  transport = new StdioClientTransport({ command: bin, args: ['--home', home, 'mcp'], stderr: 'inherit' });
  query = q; expect = e;
} else if (kind === 'http') {
  const [url, q, e] = rest;
  transport = new StreamableHTTPClientTransport(new URL(url));
  query = q; expect = e;
} else {
  console.error('usage: client.mjs stdio BIN HOME QUERY EXPECT | http URL QUERY EXPECT');
  process.exit(2);
}

function check(cond, what) {
  if (!cond) { console.error('FAIL: ' + what); process.exit(1); }
  console.log('ok: ' + what);
}

const client = new Client({ name: 'trove-test', version: '1.0.0' });
await client.connect(transport);
const info = client.getServerVersion();
check(info && info.name === 'trove', 'server identifies as trove');

const { tools } = await client.listTools();
const names = tools.map((t) => t.name);
check(names.includes('search') && names.includes('get') && names.includes('status'), 'tools include search, get, status: ' + names.join(', '));
for (const t of tools) check(t.description && t.description.length > 20 && t.inputSchema.type === 'object', `tool ${t.name} has a description and an input schema`);

const found = await client.callTool({ name: 'search', arguments: { query, k: 5 } });
check(!found.isError, 'search succeeds');
const results = found.structuredContent.results;
const hit = results.find((h) => h.path.endsWith(expect));
check(hit !== undefined, `search "${query}" finds ${expect} (got ${results.map((h) => h.path).join(', ')})`);
check(Number.isInteger(hit.chunk_id), 'hits carry a numeric chunk_id');
check(found.content[0].type === 'text' && found.content[0].text.includes(expect), 'the text content names the document too');

const got = await client.callTool({ name: 'get', arguments: { chunk_id: hit.chunk_id } });
check(!got.isError, 'get succeeds');
check(got.structuredContent.passage.chunk_id === hit.chunk_id, 'get returns the passage asked for');
check(got.structuredContent.passage.text.length > 0 && got.content[0].text.includes(got.structuredContent.passage.text.slice(0, 40)), 'get returns its text');

const bad = await client.callTool({ name: 'get', arguments: { chunk_id: 987654321 } });
check(bad.isError === true && /no passage/.test(bad.content[0].text), 'an unknown chunk_id is a tool error with a clear text');
const empty = await client.callTool({ name: 'search', arguments: { query: '' } });
check(empty.isError === true, 'an empty query is a tool error');
const status = await client.callTool({ name: 'status', arguments: {} });
check(!status.isError && status.structuredContent.documents > 0, 'the server still answers: status reports documents');

const { resources } = await client.listResources();
const doc = resources.find((r) => hit.path.endsWith(r.name));
check(doc !== undefined && doc.uri.startsWith('trove://doc/'), 'the document is a trove://doc/ resource');
const read = await client.readResource({ uri: doc.uri });
check(read.contents[0].text.includes(hit.text.slice(0, 40)), 'reading the resource gives the document text');

await client.close();
console.log('all ok (' + kind + ')');
