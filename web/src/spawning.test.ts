import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { briefSources, chooseAgent } from './spawning';
import type { AgentProfile, SkillSummary } from './types';

const profile = (name: string, fields: Partial<AgentProfile> = {}): AgentProfile => ({
  name,
  command: name,
  args: [],
  default: false,
  available: true,
  ...fields,
});

describe('chooseAgent', () => {
  const profiles = [
    profile('claude', { default: true, available: false, reason: 'command not found on PATH: claude' }),
    profile('codex'),
    profile('shell'),
  ];
  test('the remembered profile while it can start', () => {
    assert.equal(chooseAgent(profiles, 'shell'), 'shell');
  });
  test('never a remembered or default profile that cannot start', () => {
    assert.equal(chooseAgent(profiles, 'claude'), 'codex');
    assert.equal(chooseAgent(profiles, 'gone'), 'codex');
  });
  test('the server default when it can start', () => {
    assert.equal(chooseAgent([profile('a'), profile('b', { default: true })], null), 'b');
  });
  test('a server that does not report availability is trusted', () => {
    assert.equal(chooseAgent([profile('a', { available: undefined, default: true })], null), 'a');
  });
  test('nothing when no profile can start', () => {
    assert.equal(chooseAgent([profile('x', { available: false })], 'x'), null);
  });
});

describe('briefSources', () => {
  const skill = (id: string, fields: Partial<SkillSummary>): SkillSummary => ({
    id,
    name: id,
    status: 'loaded',
    instructions: '',
    templates: [],
    ...fields,
  });
  test('skills with a template for the role, or instructions, make the brief', () => {
    const skills = [
      skill('cli', { templates: [{ id: 'usage', roles: ['*'] }] }),
      skill('worker', { templates: [{ id: 'brief', roles: ['worker'] }] }),
      skill('notes', { instructions: '# Notes' }),
      skill('hooks-only', {}),
    ];
    assert.deepEqual(briefSources(skills, 'worker'), ['cli', 'worker', 'notes']);
    assert.deepEqual(briefSources(skills, 'orchestrator'), ['cli', 'notes']);
  });
  test('no skills: an empty brief', () => {
    assert.deepEqual(briefSources([], 'worker'), []);
  });
});
