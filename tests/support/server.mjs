// The real maestro-server on 127.0.0.1:0 with a temporary home, for the Node.js test suites
// (tests/mcp, tests/contract). `config` becomes the home's config.json — by default an agent
// profile that idles, so spawns succeed without an AI agent installed; `env` is added to the
// server's environment; `home` starts it on an existing home (a restart), which `stop({keepHome})`
// leaves in place.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const serverBin = path.resolve(root, process.env.MAESTRO_SERVER_BIN ?? 'build/host/maestro-server');
export const cliBin = path.resolve(root, process.env.MAESTRO_CLI_BIN ?? 'build/cli/maestro');

export const IDLE_AGENT_CONFIG = {
  defaultAgent: 'idle',
  agents: { idle: { command: '/bin/sh', args: ['-c', 'sleep 60'] } },
};

export async function startServer({ config = IDLE_AGENT_CONFIG, prefix = 'maestro-test-', env = {}, home = mkdtempSync(path.join(tmpdir(), prefix)) } = {}) {
  writeFileSync(path.join(home, 'config.json'), JSON.stringify(config));
  const child = spawn(serverBin, ['--port', '0', '--home', home], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
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

  // A request that must succeed; the parsed body (null when empty).
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

  async function stop({ keepHome = false } = {}) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killer);
    }
    if (!keepHome) rmSync(home, { recursive: true, force: true });
  }

  return { url, home, api, stop };
}
