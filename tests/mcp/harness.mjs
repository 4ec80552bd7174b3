// The real maestro-server on 127.0.0.1:0 with a temporary home (an agent profile that idles, so
// spawns succeed without an AI agent installed), and the official MCP SDK client connected to it
// over Streamable HTTP or over stdio through `maestro mcp`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const serverBin = path.resolve(root, process.env.MAESTRO_SERVER_BIN ?? 'build/host/maestro-server');
export const cliBin = path.resolve(root, process.env.MAESTRO_CLI_BIN ?? 'build/cli/maestro');

export const TOOLS = [
  'status_overview',
  'task_list', 'task_get', 'task_create', 'task_update', 'task_complete', 'task_block', 'task_unblock',
  'subtask_list', 'subtask_add', 'subtask_complete', 'subtask_reorder',
  'report_progress', 'report_needs_input',
  'session_list', 'session_spawn',
];

export async function startServer() {
  const home = mkdtempSync(path.join(tmpdir(), 'maestro-mcp-'));
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({
    defaultAgent: 'idle',
    agents: { idle: { command: '/bin/sh', args: ['-c', 'sleep 60'] } },
  }));
  const child = spawn(serverBin, ['--port', '0', '--home', home], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`maestro-server did not start in 15 s:\n${log}`)), 15_000);
    child.stdout.on('data', (d) => {
      log += d;
      const m = /listening on http:\/\/[^:]+:(\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    exited.then((code) => reject(new Error(`maestro-server exited (${code}):\n${log}`)));
  });
  const url = `http://127.0.0.1:${port}`;

  async function api(method, route, body) {
    const response = await fetch(url + route, {
      method,
      headers: { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${route} → ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(home, { recursive: true, force: true });
  }

  return { url, home, api, stop };
}

// A project with a task, and a session working on it (registered as a client-run session, the
// way the original clients do), so tools have something to default to.
export async function seed(server) {
  const project = await server.api('POST', '/api/projects', { name: 'Compiler', workingDir: server.home });
  const task = await server.api('POST', '/api/tasks', { projectId: project.id, title: 'Write the parser' });
  const session = await server.api('POST', '/api/sessions', {
    projectId: project.id, taskIds: [task.id], name: 'worker', status: 'running',
  });
  return { project, task, session };
}

export async function connectHttp(server, { session, headers = {} } = {}) {
  const client = new Client({ name: 'maestro-tests', version: '1.0.0' });
  const requestInit = { headers: { ...headers, ...(session ? { 'X-Maestro-Session': session } : {}) } };
  const transport = new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`), { requestInit });
  await client.connect(transport);
  return { client, transport };
}

export async function connectStdio(server, { session } = {}) {
  const client = new Client({ name: 'maestro-tests', version: '1.0.0' });
  const env = { PATH: process.env.PATH, HOME: server.home, MAESTRO_API_URL: server.url, MAESTRO_RETRIES: '0' };
  if (session) env.MAESTRO_SESSION_ID = session;
  const transport = new StdioClientTransport({ command: cliBin, args: ['mcp'], env, stderr: 'pipe' });
  await client.connect(transport);
  return { client, transport };
}

// The structured result of a tool call that must succeed.
export async function call(client, name, args = {}) {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name} failed: ${result.content?.[0]?.text}`);
  return result.structuredContent;
}
