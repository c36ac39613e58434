import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/**
 * Who may import whom (README, Layout). Each folder's rule lists the aliases it must not use; a
 * relative import may not climb three folders, so no import can leave its folder except through an alias.
 */
const NO_CLIMBING = {
  group: ['../../../*'],
  message: 'Use a #alias (package.json "imports") instead of climbing.',
};
// A regex, not a group: in gitignore syntax (what `group` uses) a leading `#` starts a comment.
const forbid = (aliases, why) => ({ regex: `^#(${aliases.join('|')})/`, message: why });

const boundaries = (...patterns) => ({
  'no-restricted-imports': ['error', { patterns: [NO_CLIMBING, ...patterns] }],
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'coverage/',
      '.local/',
      '.aws-sam/',
      'bench/.tmp/',
      'infra/',
      'web/dist/',
      'web/node_modules/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always'],
      ...boundaries(),
    },
  },
  {
    // Lambda code logs through the structured logger only: console output bypasses redaction and context.
    files: ['functions/*/src/**/*.ts', 'common/**/*.ts'],
    ignores: ['common/**/tests/**'],
    rules: {
      'no-console': 'error',
      // A request's EMF line is printed only when it counted something (common/middleware/event-metrics.ts),
      // so a dimension or metadata set on the way would reach another request's line: the stage and service
      // are default dimensions, set once, and nothing else is.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'CallExpression[callee.property.name=/^(addDimension|addDimensions|addMetadata)$/]',
          message:
            'No per-request EMF dimensions or metadata: event-metrics.ts flushes only requests that counted something.',
        },
      ],
    },
  },
  {
    // The Lambda kernel runs inside every function: it imports no function, tool, test helper or local stack.
    files: ['common/**/*.{ts,js,mjs}'],
    ignores: ['common/**/tests/**'],
    rules: boundaries(
      forbid(
        ['functions', 'tools', 'infra-local', 'bench', 'testing', 'build'],
        'common/ holds only Lambda code: it imports nothing outside common/.',
      ),
    ),
  },
  {
    files: ['common/**/tests/**/*.{ts,js,mjs}'],
    rules: boundaries(
      forbid(
        ['functions', 'tools', 'infra-local', 'bench'],
        'common/ tests reach the local stack through #testing.',
      ),
    ),
  },
  {
    // A function's code sees only the kernel and its own files: never another function or any tooling.
    files: ['functions/*/src/**/*.{ts,js,mjs}'],
    rules: boundaries(
      { group: ['../../*'], message: 'A function imports only #common and its own files.' },
      forbid(
        ['functions', 'tools', 'infra-local', 'bench', 'testing', 'build'],
        'A function imports only #common and its own files.',
      ),
    ),
  },
  {
    // A function's tests add the test helpers (#testing) and the production build (#build) to that.
    files: ['functions/*/tests/**/*.{ts,js,mjs}'],
    rules: boundaries(
      { group: ['../../*'], message: 'Tests import their own function through ../src.' },
      forbid(
        ['functions', 'tools', 'infra-local', 'bench'],
        'Function tests import their own function through ../src and reach the local stack through #testing.',
      ),
    ),
  },
  {
    // The production build is imported by the tools and the lite runner, never the other way round.
    files: ['build/**/*.{ts,js,mjs}', 'esbuild.config.js'],
    rules: boundaries(
      forbid(
        ['functions', 'tools', 'infra-local', 'bench', 'testing'],
        'The build imports nothing of the tools, the local stack or the tests.',
      ),
    ),
  },
  {
    // The web app runs in the browser.
    files: ['web/src/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/tests/**/*.ts', 'testing/**/*.ts'],
    languageOptions: { globals: { ...globals.jest } },
  },
);
