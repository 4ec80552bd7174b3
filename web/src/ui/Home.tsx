import { useStore } from '../hooks';
import { ago } from '../format';
import { href } from '../router';
import { openDialog } from '../ui-state';
import { Plus } from './icons';

export function Home() {
  const s = useStore();
  const projects = [...s.view().projects.values()].sort((a, b) => b.updatedAt - a.updatedAt);
  return (
    <section class="home">
      <div class="home-head">
        <h1>Projects</h1>
        <button class="button primary" data-testid="new-project" onClick={() => openDialog({ kind: 'newProject' })}>
          <Plus /> New project
        </button>
      </div>
      {!s.projectsLoaded && projects.length === 0 ? (
        <p class="muted">Waiting for the server…</p>
      ) : projects.length === 0 ? (
        <div class="empty">
          <h2>No projects yet</h2>
          <p class="muted">A project groups tasks and the agents working on them, in one working directory.</p>
          <button class="button primary" onClick={() => openDialog({ kind: 'newProject' })}>
            Create the first project
          </button>
        </div>
      ) : (
        <ul class="project-grid">
          {projects.map((p) => (
            <li key={p.id}>
              <a class="project-card" href={href({ view: 'board', projectId: p.id })} data-testid="project-card">
                <strong>{p.name}</strong>
                {p.description && <span class="muted small clamp">{p.description}</span>}
                <span class="muted small mono">{p.workingDir || '—'}</span>
                <span class="muted small">{p.id.startsWith('tmp_') ? 'pending' : `updated ${ago(p.updatedAt)}`}</span>
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
