// Hash routes: #/ (projects), #/p/:project (board), #/p/:project/t/:task (board + task),
// #/p/:project/s[/:session] (sessions and a terminal).
import { useEffect, useState } from 'preact/hooks';

export type Route =
  | { view: 'home' }
  | { view: 'board'; projectId: string; taskId?: string }
  | { view: 'sessions'; projectId: string; sessionId?: string };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'p' && parts[1]) {
    if (parts[2] === 't' && parts[3]) return { view: 'board', projectId: parts[1], taskId: parts[3] };
    if (parts[2] === 's') return { view: 'sessions', projectId: parts[1], sessionId: parts[3] };
    return { view: 'board', projectId: parts[1] };
  }
  return { view: 'home' };
}

export function href(route: Route): string {
  switch (route.view) {
    case 'home':
      return '#/';
    case 'board':
      return `#/p/${encodeURIComponent(route.projectId)}` + (route.taskId ? `/t/${encodeURIComponent(route.taskId)}` : '');
    case 'sessions':
      return `#/p/${encodeURIComponent(route.projectId)}/s` + (route.sessionId ? `/${encodeURIComponent(route.sessionId)}` : '');
  }
}

export function navigate(route: Route, replace = false): void {
  const target = href(route);
  if (location.hash === target) return;
  if (replace) history.replaceState(null, '', target);
  else history.pushState(null, '', target);
  dispatchEvent(new HashChangeEvent('hashchange'));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', update);
    addEventListener('popstate', update);
    return () => {
      removeEventListener('hashchange', update);
      removeEventListener('popstate', update);
    };
  }, []);
  return route;
}
