// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'smart'],
      'no-console': 'off',
    },
  },
  {
    files: ['functions/core/**/*.ts'],
    rules: {
      // core is pure: no I/O, no environment, no SDKs
      'no-restricted-imports': ['error', { patterns: ['node:fs*', 'node:net', 'node:http*', 'node:child_process', 'fs', 'fs/*', '@google-cloud/*', '@duckdb/*', '@octokit/*'] }],
      'no-restricted-globals': ['error', 'process'],
    },
  },
  { files: ['bin/**/*.js'], languageOptions: { globals: { process: 'readonly', console: 'readonly' } } },
);
