// A session's activity (docs/sessions.md, "Activity") as a coloured pill with an icon: what its
// agent is doing, apart from its status.
import type { JSX } from 'preact';
import type { Activity, Session } from '../types';
import { Alert, Hourglass, Pause, Pulse, Stop } from './icons';

const LOOK: Record<Activity, { label: string; icon: () => JSX.Element }> = {
  starting: { label: 'starting', icon: Hourglass },
  working: { label: 'working', icon: Pulse },
  idle: { label: 'idle', icon: Pause },
  needs_input: { label: 'needs input', icon: Alert },
  stalled: { label: 'stalled', icon: Hourglass },
  exited: { label: 'exited', icon: Stop },
};

export function ActivityBadge({ session }: { session: Session }) {
  const activity = session.activity;
  if (!activity || !LOOK[activity]) return null;
  const { label, icon: IconOf } = LOOK[activity];
  const title = session.activityReason ? `${label}: ${session.activityReason}` : label;
  return (
    <span class={`pill activity activity-${activity}`} data-testid="session-activity" data-activity={activity} title={title}>
      <IconOf />
      {label}
    </span>
  );
}
