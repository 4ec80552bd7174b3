// The official MCP client over Streamable HTTP against maestro-server's /mcp.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { StreamableHTTPError } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { connectHttp, seed, startServer } from './harness.mjs';
import { answersMistakesWithJsonRpcErrors, callsEveryTool, listsEveryTool, readsResources } from './scenarios.mjs';

let server;
let data;
before(async () => {
  server = await startServer();
  data = await seed(server);
});
after(async () => server?.stop());

test('lists every tool, calls each, reads the resources', async () => {
  const { client } = await connectHttp(server, { session: data.session.id });
  try {
    assert.equal(client.getServerVersion().name, 'maestro');
    await listsEveryTool(client);
    const { spawned } = await callsEveryTool(client, data);
    await readsResources(client, data, spawned.sessionId);
  } finally {
    await client.close();
  }
});

test('answers unknown tools, invalid arguments and unknown methods with JSON-RPC errors', async () => {
  const { client } = await connectHttp(server, { session: data.session.id });
  try {
    await answersMistakesWithJsonRpcErrors(client);
  } finally {
    await client.close();
  }
});

test('refuses a foreign Origin with 403 and a JSON-RPC error', async () => {
  await assert.rejects(connectHttp(server, { headers: { Origin: 'http://evil.example' } }),
    (e) => e instanceof StreamableHTTPError && e.code === 403 && /-32000/.test(e.message));
  const response = await fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', Origin: 'http://evil.example' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: {} }),
  });
  assert.equal(response.status, 403);
  const body = await response.json();
  assert.equal(body.jsonrpc, '2.0');
  assert.equal(body.id, null);
  assert.equal(body.error.code, -32000);
  assert.equal(body.error.data.code, 'forbidden_origin');
});

test('speaks the transport: sessions, versions, notifications, GET and DELETE', async () => {
  const post = (body, headers = {}) => fetch(`${server.url}/mcp`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const init = await post({ jsonrpc: '2.0', id: 'a', method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } });
  assert.equal(init.status, 200);
  assert.equal((await init.json()).result.protocolVersion, '2025-06-18', 'a supported version is kept');
  const id = init.headers.get('mcp-session-id');
  assert.match(id, /^[0-9a-f]{32}$/);

  const old = await post({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2023-01-01' } });
  assert.equal((await old.json()).result.protocolVersion, '2025-11-25', 'an unknown one gets the newest');

  assert.equal((await post({ jsonrpc: '2.0', method: 'notifications/initialized' }, { 'Mcp-Session-Id': id })).status, 202);
  const noSession = await post({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
  assert.equal(noSession.status, 400);
  assert.equal((await noSession.json()).error.code, -32600);
  assert.equal((await post({ jsonrpc: '2.0', id: 3, method: 'tools/list' }, { 'Mcp-Session-Id': 'f'.repeat(32) })).status, 404);
  assert.equal((await post({ jsonrpc: '2.0', id: 4, method: 'ping' }, { 'Mcp-Session-Id': id, 'MCP-Protocol-Version': '1999-01-01' })).status, 400);

  const parse = await post('{"jsonrpc":"2.0",', { 'Mcp-Session-Id': id });
  assert.equal(parse.status, 400);
  assert.equal((await parse.json()).error.code, -32700);
  const batch = await post([{ jsonrpc: '2.0', id: 5, method: 'ping' }], { 'Mcp-Session-Id': id });
  assert.equal((await batch.json()).error.code, -32600);
  const ping = await post({ jsonrpc: '2.0', id: 6, method: 'ping' }, { 'Mcp-Session-Id': id, 'MCP-Protocol-Version': '2025-06-18' });
  assert.deepEqual(await ping.json(), { jsonrpc: '2.0', id: 6, result: {} });

  assert.equal((await fetch(`${server.url}/mcp`)).status, 405, 'no stream is offered');
  assert.equal((await fetch(`${server.url}/mcp`, { method: 'DELETE', headers: { 'Mcp-Session-Id': id } })).status, 200);
  assert.equal((await post({ jsonrpc: '2.0', id: 7, method: 'ping' }, { 'Mcp-Session-Id': id })).status, 404, 'an ended session is gone');
});
