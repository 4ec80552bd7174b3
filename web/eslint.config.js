// ESLint for the UI's sources (`npm run lint`, a gate in scripts/test.sh): the recommended
// JavaScript and TypeScript rules, and the rules of hooks for the Preact components.
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const browser = {
  window: 'readonly', document: 'readonly', navigator: 'readonly', location: 'readonly', self: 'readonly',
  caches: 'readonly', fetch: 'readonly', URL: 'readonly', Response: 'readonly', console: 'readonly',
};

export default defineConfig(
  { ignores: ['dist/', 'node_modules/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error' },
  },
  { files: ['public/**/*.js'], languageOptions: { globals: browser } },
  { files: ['scripts/**/*.mjs'], languageOptions: { globals: { console: 'readonly', process: 'readonly', fetch: 'readonly' } } },
);
