import { execFileSync } from 'node:child_process';

/** Builds dist/ once before the suites: bundle and contract tests run against the real build output. */
export default function globalSetup(): void {
  execFileSync(process.execPath, ['esbuild.config.js'], { stdio: ['ignore', 'ignore', 'inherit'] });
}
