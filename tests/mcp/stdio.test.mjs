// The official MCP client over stdio, through `maestro mcp` (a bridge to the server's /mcp).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { connectStdio, seed, startServer } from './harness.mjs';
import { answersMistakesWithJsonRpcErrors, callsEveryTool, listsEveryTool, readsResources } from './scenarios.mjs';

let server;
let data;
before(async () => {
  server = await startServer();
  data = await seed(server);
});
after(async () => server?.stop());

test('maestro mcp serves every tool and the resources on stdio', async () => {
  const { client } = await connectStdio(server, { session: data.session.id });
  try {
    assert.equal(client.getServerVersion().name, 'maestro');
    await listsEveryTool(client);
    const { spawned } = await callsEveryTool(client, data);
    await readsResources(client, data, spawned.sessionId);
  } finally {
    await client.close();
  }
});

test('maestro mcp passes on the JSON-RPC errors', async () => {
  const { client } = await connectStdio(server, { session: data.session.id });
  try {
    await answersMistakesWithJsonRpcErrors(client);
  } finally {
    await client.close();
  }
});
