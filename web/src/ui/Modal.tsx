import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { openDialog } from '../ui-state';
import { FOCUSABLE, focusableIn } from './focus';
import { Close } from './icons';


// A modal dialog: focus moves into it, Tab and Shift+Tab stay inside it, and closing returns
// focus to where it was (or, if that is gone, to the page's main heading).
export function Modal({ title, children, wide = false, testId }: { title: string; children: ComponentChildren; wide?: boolean; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const root = ref.current!;
    const first = root.querySelector<HTMLElement>('[autofocus]') ?? root.querySelector<HTMLElement>('input, textarea, select') ?? root;
    first.focus();
    // Focus that lands outside (a click on the page behind, a screen reader's jump) comes back.
    const pull = (e: FocusEvent) => {
      if (e.target instanceof Node && !root.contains(e.target)) (root.querySelector<HTMLElement>(FOCUSABLE) ?? root).focus();
    };
    document.addEventListener('focusin', pull);
    return () => {
      document.removeEventListener('focusin', pull);
      const back = previous && previous.isConnected && previous !== document.body ? previous : document.querySelector<HTMLElement>('h1[tabindex], main');
      back?.focus();
    };
  }, []);
  const trap = (e: KeyboardEvent) => {
    if (e.key !== 'Tab') return;
    const items = focusableIn(ref.current!);
    if (!items.length) return e.preventDefault();
    const [first, last] = [items[0], items[items.length - 1]];
    const active = document.activeElement;
    if (e.shiftKey && (active === first || !ref.current!.contains(active))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && (active === last || !ref.current!.contains(active))) {
      e.preventDefault();
      first.focus();
    }
  };
  const headingId = `dialog-${testId ?? 'title'}`;
  return (
    <div class="overlay" onMouseDown={(e) => e.target === e.currentTarget && openDialog(null)}>
      <div
        class={`modal ${wide ? 'wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-labelledby={headingId}
        ref={ref}
        data-testid={testId}
        tabIndex={-1}
        onKeyDown={trap}
      >
        <div class="modal-head">
          <h2 id={headingId}>{title}</h2>
          <button class="icon-button" onClick={() => openDialog(null)} aria-label="Close (Esc)">
            <Close />
          </button>
        </div>
        {children}
      </div>
    </div>
  );
}
