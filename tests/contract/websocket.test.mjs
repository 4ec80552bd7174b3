// The WebSocket protocol against docs/openapi.yaml: every message a client sends here is a
// WsClientMessage, and every message the real server sends — the greeting, answers, errors,
// replayed and live events, terminal output — validates as a WsServerMessage.
import assert from 'node:assert/strict';
import test from 'node:test';
import { IDLE_AGENT_CONFIG, startServer } from '../support/server.mjs';
import { contractClient, schemaValidator } from './contract.mjs';

const clientMessage = schemaValidator('WsClientMessage');
const serverMessage = schemaValidator('WsServerMessage');

// A WebSocket whose every received message is kept, and validated: `invalid` holds what did
// not validate. `next(pred)` waits (with a deadline) for the first kept message, from the
// start, that satisfies `pred`.
async function connect(url) {
  const socket = new WebSocket(url.replace(/^http/, 'ws') + '/ws');
  const received = [];
  const invalid = [];
  const waiters = new Set();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(event.data);
    try {
      serverMessage(message);
    } catch (error) {
      invalid.push(error.message);
    }
    received.push(message);
    for (const waiter of waiters) waiter();
  });
  await new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', () => reject(new Error('WebSocket did not open')), { once: true });
  });
  function next(pred, what = 'a message') {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = received.find(pred);
        if (!found) return;
        waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no ${what} within 15 s; got ${JSON.stringify(received.map((m) => m.type))}`));
      }, 15_000);
      waiters.add(check);
      check();
    });
  }
  // Sends a client message, checked against the document first; text goes as it is.
  function send(message) {
    if (typeof message === 'string') return socket.send(message);
    clientMessage(message);
    socket.send(JSON.stringify(message));
  }
  return { socket, received, invalid, next, send };
}

test('every WebSocket message, both ways, is as docs/openapi.yaml documents it', async (t) => {
  const server = await startServer({ prefix: 'maestro-contract-ws-' });
  t.after(server.stop);
  const { expect } = contractClient(server.url);
  const project = await expect(201, 'POST', '/api/projects', { body: { name: 'Live', workingDir: server.home } });
  const task = await expect(201, 'POST', '/api/tasks', { body: { projectId: project.id, title: 'Before' } });

  const ws = await connect(server.url);
  t.after(() => ws.socket.close());
  await ws.next((m) => m.type === 'connected', 'connected');
  ws.send({ type: 'ping' });
  await ws.next((m) => m.type === 'pong', 'pong');
  ws.send({ type: 'subscribe', since: 0, projectId: project.id });
  await ws.next((m) => m.type === 'subscribed', 'subscribed');
  await ws.next((m) => m.type === 'task:created' && m.data.id === task.id, 'the replayed task:created');
  await expect(200, 'PATCH', `/api/tasks/${task.id}`, { body: { status: 'in_progress' } });
  await ws.next((m) => m.type === 'task:updated', 'a live task:updated');

  const spawned = await expect(201, 'POST', '/api/sessions/spawn', { body: { taskIds: [task.id] } });
  const sessionId = spawned.sessionId;
  ws.send({ type: 'session:attach', sessionId, offset: 0 });
  await ws.next((m) => m.type === 'session:output' && m.scrollback, 'the scrollback');
  ws.send({ type: 'session:resize', sessionId, cols: 100, rows: 30 });
  ws.send({ type: 'session:input', sessionId, data: 'echo hi\r' });
  ws.send({ type: 'session:detach', sessionId });
  await ws.next((m) => m.type === 'session:created' || m.type === 'session:updated', 'a session event');

  ws.send({ type: 'session:attach', sessionId: 'sess_missing' });
  await ws.next((m) => m.type === 'error' && m.code === 'session_not_found', 'session_not_found');
  ws.send('{"type":"dance"}'); // not a client message: sent raw
  await ws.next((m) => m.type === 'error' && m.code === 'unknown_message', 'unknown_message');
  ws.send('not json');
  await ws.next((m) => m.type === 'error' && m.code === 'invalid_message', 'invalid_message');
  ws.send({ type: 'ping' });
  await ws.next((m) => m.type === 'pong' && ws.received.filter((r) => r.type === 'pong').length === 2, 'a second pong');
  assert.deepEqual(ws.invalid, []);
  assert.ok(ws.received.length >= 10);
});

test('resync_required past the event log and a stub for an event larger than the queue are as documented', async (t) => {
  // Two events kept, and a send queue of 64 KiB.
  const config = { ...IDLE_AGENT_CONFIG, eventLogMaxEvents: 2, wsMaxQueuedBytes: 65536 };
  const first = await startServer({ config, prefix: 'maestro-contract-ws-' });
  const created = contractClient(first.url);
  const project = await created.expect(201, 'POST', '/api/projects', { body: { name: 'Pruned', workingDir: first.home } });
  const task = await created.expect(201, 'POST', '/api/tasks', { body: { projectId: project.id, title: 'Big' } });
  for (let i = 0; i < 4; i++) await created.expect(201, 'POST', '/api/tasks', { body: { projectId: project.id, title: `Task ${i}` } });
  // The log is pruned a second after start: restart on the same home.
  await first.stop({ keepHome: true });
  const server = await startServer({ config, home: first.home });
  t.after(server.stop);
  const { call, expect } = contractClient(server.url);
  const deadline = Date.now() + 15_000;
  while ((await call('GET', '/api/events?since=1')).status !== 410) {
    assert.ok(Date.now() < deadline, 'the event log was not pruned within 15 s');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const ws = await connect(server.url);
  t.after(() => ws.socket.close());
  await ws.next((m) => m.type === 'connected', 'connected');
  ws.send({ type: 'subscribe', since: 1 });
  const resync = await ws.next((m) => m.type === 'resync_required', 'resync_required');
  assert.equal(resync.since, 1);
  assert.ok(resync.firstSeq > 2, JSON.stringify(resync));

  await expect(200, 'PATCH', `/api/tasks/${task.id}`, { body: { description: 'x'.repeat(100_000) } });
  const stub = await ws.next((m) => m.type === 'task:updated' && m.truncated === true, 'a truncated task:updated');
  assert.equal(stub.id, task.id);
  assert.deepEqual(ws.invalid, []);
});
