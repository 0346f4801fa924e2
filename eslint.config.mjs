// Layering is enforced here, not hoped for: the core and the shared protocol never see the
// editor, and the webview never sees Node or the host.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const vscodeBan = { name: 'vscode', message: 'src/core and src/shared are editor-agnostic: pass what you need in from src/extension.' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', '.toa-test/**', 'schemas/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly', Buffer: 'readonly', AbortController: 'readonly', AbortSignal: 'readonly', fetch: 'readonly', performance: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', window: 'readonly', document: 'readonly', setImmediate: 'readonly', queueMicrotask: 'readonly', structuredClone: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // The npx launcher is plain CommonJS so it runs without a build step of its own.
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', __dirname: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['src/core/**/*.ts', 'src/shared/**/*.ts', 'src/sim/**/*.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBan], patterns: [{ group: ['**/extension/**', '**/webview/**'], message: 'Only src/extension may depend on the editor shell.' }] }] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBan], patterns: [{ group: ['**/core/**', '**/extension/**', '**/webview/**', 'node:*'], message: 'src/shared holds types both sides import; it imports neither side.' }] }] },
  },
  {
    // VS Code renders [label](command:...) in a notification's text as a link that runs the command:
    // every notification goes through notify.ts, which defuses links in text quoted from datasets,
    // file names and servers.
    files: ['src/extension/**/*.ts'],
    ignores: ['src/extension/notify.ts'],
    rules: { 'no-restricted-syntax': ['error', { selector: 'MemberExpression[property.name=/^show(Error|Warning|Information)Message$/]', message: 'Use showError / showWarning / showInformation from src/extension/notify.ts: quoted text must not become a command link.' }] },
  },
  {
    files: ['webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBan], patterns: [{ group: ['**/src/core/**', '**/src/extension/**', 'node:*'], message: 'The webview talks to the host only through src/shared/protocol.ts.' }] }] },
  },
);
