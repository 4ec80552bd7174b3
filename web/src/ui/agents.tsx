// Agent profile names offered for spawning (any name from the server's config.json works).
export const AGENTS = ['claude', 'codex', 'gemini', 'shell'];

export function lastAgent(): string {
  return localStorage.getItem('maestro.agent') || 'claude';
}

export function rememberAgent(agent: string): void {
  localStorage.setItem('maestro.agent', agent);
}

export function AgentList() {
  return (
    <datalist id="agent-profiles">
      {AGENTS.map((a) => (
        <option key={a} value={a} />
      ))}
    </datalist>
  );
}
