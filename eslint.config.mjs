import eslint from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.tools/', '.data/', 'coverage/'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // The dashboard runs in the browser.
    files: ['gateway/ui/src/**'],
    languageOptions: { globals: { ...globals.browser, ...globals.jest } },
  },
  {
    files: ['scripts/**', 'loadtest/**', 'workshop/**', 'datasets/**/*.cli.ts', '**/*.js'],
    rules: { 'no-console': 'off' },
  },
);
