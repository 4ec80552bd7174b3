import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

// The style sheet is flat CSS: rules sit at the top level or inside an at-rule (@media, …).
// A rule opened inside another rule is CSS nesting, which browsers accept, so a brace left open
// by an edit silently scopes every later rule under the unclosed one instead of failing.
function rulesNestedInRules(css: string): string[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/[^\n]/g, ' '));
  const open: { selector: string; atRule: boolean; line: number }[] = [];
  const nested: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') {
      const selector = text.slice(start, i).trim();
      const line = text.slice(0, i).split('\n').length;
      const parent = open[open.length - 1];
      if (parent && !parent.atRule && !selector.startsWith('@'))
        nested.push(`line ${line}: "${selector}" inside "${parent.selector}" (line ${parent.line})`);
      open.push({ selector, atRule: selector.startsWith('@'), line });
      start = i + 1;
    } else if (c === '}') {
      open.pop();
      start = i + 1;
    } else if (c === ';') {
      start = i + 1;
    }
  }
  if (open.length) nested.push(`"${open[open.length - 1].selector}" (line ${open[open.length - 1].line}) is never closed`);
  return nested;
}

test('no rule of the style sheet is nested in another by a brace left open', () => {
  const css = readFileSync(new URL('./styles.css', import.meta.url), 'utf8');
  assert.deepEqual(rulesNestedInRules(css), []);
});

test('the check finds a rule left open', () => {
  assert.deepEqual(rulesNestedInRules('a { color: red; }\n.b { padding: 0;\n.c { margin: 0; }'), [
    'line 3: ".c" inside ".b" (line 2)',
    '".b" (line 2) is never closed',
  ]);
  assert.deepEqual(rulesNestedInRules('@media (x) { .a { color: red; } }\n/* .b { */ .c {}'), []);
});
