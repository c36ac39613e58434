/**
 * Jest runs TypeScript through @swc/jest (ts-jest does not support TypeScript 7, and swc is the fastest
 * transformer). @middy/* ships ESM only, so it is mapped to its entry file and transformed too.
 * Type-checking is a separate step: `npm run typecheck`.
 */
export default {
  testEnvironment: 'node',
  roots: [
    '<rootDir>/common',
    '<rootDir>/functions',
    '<rootDir>/tools',
    '<rootDir>/build',
    '<rootDir>/testing',
    '<rootDir>/infra-local',
    '<rootDir>/bench',
  ],
  testMatch: ['**/tests/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/bench/.tmp/'],
  modulePathIgnorePatterns: ['<rootDir>/bench/.tmp/'],
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
        module: { type: 'commonjs' },
      },
    ],
  },
  moduleNameMapper: {
    // package.json "imports" aliases (#common/..., #testing/...), resolved as Node and esbuild resolve them.
    '^#(common|functions|tools|build|testing|infra-local|bench)/(.*)$': '<rootDir>/$1/$2',
    '^@middy/([^/]+)$': '<rootDir>/node_modules/@middy/$1/index.js',
  },
  // jose, oauth2-mock-server and its basic-auth ship ESM only too.
  transformIgnorePatterns: ['/node_modules/(?!(@middy|jose|oauth2-mock-server|basic-auth)/)'],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  // `npm test` runs with --coverage: the Lambda code (common/, functions/*/src) must stay at 90% of lines.
  // v8 coverage, because the transform is swc (istanbul's instrumentation needs babel).
  coverageProvider: 'v8',
  collectCoverageFrom: ['common/**/*.ts', 'functions/*/src/**/*.ts', '!**/tests/**', '!**/*.d.ts'],
  coverageReporters: ['text-summary', 'json-summary', 'lcov'],
  coverageThreshold: {
    './common/': { lines: 90 },
    './functions/': { lines: 90 },
  },
  globalSetup: '<rootDir>/testing/global-setup.ts',
  globalTeardown: '<rootDir>/testing/global-teardown.ts',
  testTimeout: 30000,
};
