// Choosing an agent profile and telling whether a spawn would get a brief. Pure.
import type { AgentProfile, SkillSummary } from './types';

export type Role = 'worker' | 'orchestrator';

export const usable = (profile: AgentProfile): boolean => profile.available !== false;

// The profile to offer first: the one last used with success while it is still usable, else the
// server's default, else the first usable one; null when none can start.
export function chooseAgent(profiles: AgentProfile[], remembered: string | null): string | null {
  const ok = profiles.filter(usable);
  return (
    ok.find((p) => p.name === remembered)?.name ?? ok.find((p) => p.default)?.name ?? ok[0]?.name ?? null
  );
}

// The skills whose templates (or, lacking any, instructions) make up the role's brief, as the
// server renders it. Empty: the agent would start with an empty brief.
export function briefSources(skills: SkillSummary[], role: Role): string[] {
  const forRole = (roles: string[]) => roles.includes('*') || roles.includes(role);
  return skills
    .filter((skill) => (skill.templates ?? []).some((t) => forRole(t.roles)) || !!skill.instructions)
    .map((skill) => skill.id);
}
