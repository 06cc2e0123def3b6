// Flat config: typescript-eslint's recommended rules over the TypeScript sources and tests,
// plain recommended rules over the build scripts.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Globals the Node build scripts use (kept here to avoid depending on the `globals` package). */
const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'URL', 'URLSearchParams', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'fetch', 'performance', '__dirname', '__filename', 'require', 'module']
    .map((name) => [name, 'readonly']),
);

export default tseslint.config(
  {
    ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'examples/**', 'test/fixtures/**', 'test-results/**', 'bench/.corpus/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Build and CI scripts run in Node.
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests match terminal output, ANSI escapes included.
    files: ['test/**/*.ts'],
    rules: { 'no-control-regex': 'off' },
  },
  {
    // Commands load lazily so `porta --help` stays fast (see src/cli/registry.ts).
    files: ['src/cli/registry.ts'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
