// The spawn controls' shared parts: the agent picker — the server's profiles, the server's default
// first, those whose command is missing disabled with the reason — and the notes that say,
// before anything starts, when no agent can start or a role's brief would be empty.
import { useState } from 'preact/hooks';
import { useStore } from '../hooks';
import { briefSources, chooseAgent, usable, type Role } from '../spawning';
import { rememberedAgent } from '../sync/actions';

// The agent to spawn with: the one picked here while it is usable, else the best default.
export function useAgentChoice(): [string | null, (name: string) => void] {
  const s = useStore();
  const [picked, setPicked] = useState<string | null>(null);
  const profiles = s.agents ?? [];
  const current = profiles.some((p) => p.name === picked && usable(p)) ? picked : chooseAgent(profiles, rememberedAgent());
  return [current, setPicked];
}

export function AgentSelect({ id, value, onChange, testId }: { id: string; value: string | null; onChange: (name: string) => void; testId?: string }) {
  const s = useStore();
  return (
    <select id={id} class="select" data-testid={testId} value={value ?? ''} disabled={!s.agents} onChange={(e) => onChange(e.currentTarget.value)}>
      {!s.agents && <option value="">Loading…</option>}
      {s.agents && value === null && <option value="">No agent can start</option>}
      {(s.agents ?? []).map((p) => (
        <option key={p.name} value={p.name} data-name={p.name} disabled={!usable(p)} title={p.reason}>
          {p.name}
          {p.default ? ' (default)' : ''}
          {usable(p) ? '' : ` — ${p.reason ?? 'not available'}`}
        </option>
      ))}
    </select>
  );
}

const ROLE_NAMES: Record<Role, string> = { worker: 'a worker', orchestrator: 'an orchestrator' };

export function SpawnNotes({ roles }: { roles: Role[] }) {
  const s = useStore();
  if (!s.agents) return null;
  const notes: { key: string; text: string; role?: Role }[] = [];
  const fallback = s.agents.find((p) => p.default);
  if (!s.agents.some(usable)) notes.push({ key: 'none', text: 'No agent profile can start on this server: their commands are not installed.' });
  else if (fallback && !usable(fallback))
    notes.push({ key: 'default', text: `The server's default agent, ${fallback.name}, cannot start (${fallback.reason ?? 'not available'}).` });
  for (const role of roles) {
    const skills = s.roleSkills.get(role);
    if (skills && briefSources(skills, role).length === 0)
      notes.push({
        key: `brief-${role}`,
        role,
        text: `No skill gives ${ROLE_NAMES[role]} its brief: it would start with an empty one. Install skills in the server's maestro-skills folder.`,
      });
  }
  if (!notes.length) return null;
  return (
    <ul class="notes">
      {notes.map((n) => (
        <li key={n.key} class="note" data-testid={n.role ? 'brief-warning' : 'agent-warning'} data-role={n.role}>
          {n.text}
        </li>
      ))}
    </ul>
  );
}
