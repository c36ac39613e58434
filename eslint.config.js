import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', '.local/', '.aws-sam/', 'bench/.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Lambda code logs through the structured logger only: console output bypasses redaction and context.
    files: ['functions/*/src/**/*.ts', 'common/{middleware,models,utils,constants,types}/**/*.ts'],
    rules: { 'no-console': 'error' },
  },
  {
    files: ['**/tests/**/*.ts', 'testing/**/*.ts'],
    languageOptions: { globals: { ...globals.jest } },
  },
);
