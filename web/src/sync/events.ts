// The live connection: every event the server announces is applied to the store, a resumed
// stream fills in what was missed, and terminal output goes to the terminal showing it.
import { Connection } from '../connection';
import { store } from '../store';
import { loadAttention, loadSpawnInfo, receiveEvent, receiveStub, reloadAll } from './loads';
import { flush } from './queue';
import { dispatchOutput, terminalMissing } from './terminal';

export const connection = new Connection({
  onReady(resumed) {
    // A resumed stream fills in what was missed; anything never loaded (the page opened while the
    // server was away) is loaded now.
    if (!resumed || !store.projectsLoaded || (store.projectId && !store.tasksLoaded)) void reloadAll();
    // Skill changes arrive as skill:* events (replayed on a resume); the profiles come from the
    // server's configuration.
    if (!resumed || !store.agents) void loadSpawnInfo();
    // Inbox changes arrive as attention:changed events (replayed on a resume).
    if (!resumed || !store.attention) void loadAttention();
    void flush();
  },
  // A stub (an event too big for this client's queue) is fetched; the rest apply as they come.
  onEvent: (event) => (event.truncated ? receiveStub(event) : receiveEvent(event)),
  // The server's event log no longer reaches back to our last event: start over from its present.
  onResync: () => {
    void reloadAll();
    void loadAttention();
  },
  onOutput: dispatchOutput,
  onServerError(message) {
    if (message.code === 'session_not_found') return terminalMissing(message.message);
    store.toast(`Server: ${message.message}`, 'error');
  },
});

connection.subscribe((state) => {
  store.link = state;
  store.changed();
});

export function start(): void {
  connection.start();
  void flush();
}
