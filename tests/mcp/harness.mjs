// The real maestro-server on 127.0.0.1:0 with a temporary home (an agent profile that idles, so
// spawns succeed without an AI agent installed), and the official MCP SDK client connected to it
// over Streamable HTTP or over stdio through `maestro mcp`.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { cliBin, startServer as startTestServer } from '../support/server.mjs';

export { cliBin, serverBin } from '../support/server.mjs';

export const TOOLS = [
  'status_overview',
  'task_list', 'task_get', 'task_create', 'task_update', 'task_complete', 'task_block', 'task_unblock',
  'subtask_list', 'subtask_add', 'subtask_complete', 'subtask_reorder',
  'report_progress', 'report_needs_input',
  'session_list', 'session_spawn',
];

export function startServer() {
  return startTestServer({ prefix: 'maestro-mcp-' });
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
