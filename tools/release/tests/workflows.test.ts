import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { tempDir } from '#testing/release-fixtures.ts';

const DIR = path.join(process.cwd(), '.github', 'workflows');
const workflows = Object.fromEntries(
  readdirSync(DIR)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => [f, readFileSync(path.join(DIR, f), 'utf8')]),
);

function actionlint(pattern?: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const bin = path.join(
      process.cwd(),
      'node_modules',
      '@tktco',
      'node-actionlint',
      'bin',
      'node-actionlint.js',
    );
    const child = spawn(process.execPath, [bin, ...(pattern ? [pattern] : [])], { cwd: process.cwd() });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, output }));
  });
}

/** Splits a workflow into its jobs' text blocks (two-space-indented keys under `jobs:`). */
function jobs(text: string): Record<string, string> {
  const body = text.slice(text.indexOf('\njobs:\n') + 7);
  const parts = body.split(/^ {2}(?=[a-z][\w-]*:\s*$)/m).filter((p) => p.trim());
  return Object.fromEntries(parts.map((p) => [p.slice(0, p.indexOf(':')), p]));
}

describe('GitHub Actions workflows', () => {
  it('main, promote and dr-sync exist', () => {
    expect(Object.keys(workflows).sort()).toEqual(['dr-sync.yml', 'main.yml', 'promote.yml']);
    expect(Object.keys(jobs(workflows['main.yml']!))).toEqual(['changes', 'checks', 'build', 'release']);
    expect(Object.keys(jobs(workflows['promote.yml']!))).toEqual(['stage-order', 'promote']);
    expect(Object.keys(jobs(workflows['dr-sync.yml']!))).toEqual(['sync']);
  });

  // actionlint runs as WebAssembly and takes several seconds per call.
  it('actionlint finds no problem', async () => {
    const res = await actionlint();
    expect(res.output).toContain('All workflow files passed lint checks');
    expect(res.status).toBe(0);
  }, 120_000);

  it('actionlint really checks: a broken workflow fails', async () => {
    const dir = await tempDir('workflows-');
    await writeFile(
      path.join(dir, 'broken.yml'),
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope.really }}\n',
    );
    const res = await actionlint(path.join(dir, '*.yml'));
    expect(res.status).not.toBe(0);
    expect(res.output).toContain('github.nope');
  }, 120_000);

  it('every action is pinned to a full commit SHA with a version comment', () => {
    for (const [file, text] of Object.entries(workflows)) {
      const uses = [...text.matchAll(/uses:\s*(\S+)(.*)$/gm)];
      expect(uses.length).toBeGreaterThan(0);
      for (const [, ref, rest] of uses) {
        expect({ file, ref, pinned: /@[0-9a-f]{40}$/.test(ref ?? '') }).toEqual({ file, ref, pinned: true });
        expect(rest).toMatch(/# v\d+\.\d+\.\d+/);
      }
    }
  });

  it('id-token: write is granted only to jobs that assume an AWS role, and never workflow-wide', () => {
    for (const [file, text] of Object.entries(workflows)) {
      expect(text.slice(0, text.indexOf('\njobs:'))).not.toContain('id-token');
      for (const [name, job] of Object.entries(jobs(text))) {
        const usesOidc = job.includes('aws-actions/configure-aws-credentials');
        expect({ file, name, idToken: /id-token: write/.test(job) }).toEqual({
          file,
          name,
          idToken: usesOidc,
        });
        expect({ file, name, scoped: /^ {4}permissions:/m.test(job) }).toEqual({ file, name, scoped: true });
      }
    }
  });

  it('checkout never leaves credentials in the workspace', () => {
    for (const [file, text] of Object.entries(workflows)) {
      const checkouts = text.split(/^\s+- uses: actions\/checkout@/m).slice(1);
      expect(checkouts.length).toBeGreaterThan(0);
      for (const step of checkouts) {
        const block = step.split(/^\s+- /m)[0]!;
        expect({ file, persist: /persist-credentials: false/.test(block) }).toEqual({ file, persist: true });
      }
    }
  });

  it('jobs that hold an OIDC token never run install scripts and never build; the build is its own job', () => {
    let oidcJobs = 0;
    for (const [file, text] of Object.entries(workflows)) {
      for (const [name, job] of Object.entries(jobs(text))) {
        if (!/id-token: write/.test(job)) continue;
        oidcJobs += 1;
        const installs = [...job.matchAll(/npm ci[^\n]*/g)].map((m) => m[0]);
        expect(installs.length).toBeGreaterThan(0);
        for (const line of installs)
          expect({ file, name, line }).toEqual({
            file,
            name,
            line: expect.stringContaining('--ignore-scripts'),
          });
        expect({ file, name, builds: /npm run build/.test(job) }).toEqual({ file, name, builds: false });
      }
    }
    expect(oidcJobs).toBe(3);
    const main = jobs(workflows['main.yml']!);
    expect(main.build).toContain('npm run build');
    expect(main.build).not.toContain('id-token');
    expect(main.release).toMatch(/needs: \[changes, build\]/);
    expect(main.release).toContain('sha256sum --check --strict');
  });

  it('DEV deploys every function of the version, so nothing reaches QA untested', () => {
    const release = jobs(workflows['main.yml']!).release!;
    expect(release).toContain('npm run deploy -- --env dev --version "$VERSION"\n');
    expect(release).not.toContain('--function');
  });

  it('each deploying job deploys its stack (when infra/ changed) behind the same environment gate, before the code', () => {
    const deploying = [
      [jobs(workflows['main.yml']!).release!, 'dev'],
      [jobs(workflows['promote.yml']!).promote!, '"$TARGET"'],
      [jobs(workflows['dr-sync.yml']!).sync!, 'dr'],
    ] as const;
    for (const [job, env] of deploying) {
      expect(job).toMatch(/^ {4}environment: /m);
      expect(job).toContain(`RELEASE_STAGE: `);
      const plan = job.indexOf(`npm run -s release:stack-plan -- --env ${env}`);
      const stack = job.indexOf(`npm run stack:deploy -- --env ${env}`);
      const code = job.indexOf(`npm run deploy -- --env ${env}`);
      expect({ env, plan: plan > 0, stack: stack > plan, code: code > stack }).toEqual({
        env,
        plan: true,
        stack: true,
        code: true,
      });
      expect(job).toContain("if: steps.stack.outputs.changed == 'true'");
    }
  });

  it('promote runs each target in its GitHub environment, serialised per target, and checks the stage order first', () => {
    const text = workflows['promote.yml']!;
    expect(text).toMatch(/options: \[qa, uat, prod\]/);
    expect(text).toMatch(/group: promote-\$\{\{ inputs\.target \}\}/);
    const promote = jobs(text).promote!;
    expect(promote).toMatch(/environment: \$\{\{ inputs\.target \}\}/);
    expect(promote).toMatch(/needs: stage-order/);
    expect(jobs(text)['stage-order']).toContain(
      'npm run -s release:tag -- --to "$TARGET" --version "$VERSION"',
    );
  });

  it('the workflows stay thin: deployments go through the npm scripts', () => {
    expect(workflows['main.yml']).toContain('npm run vault:upload');
    expect(workflows['main.yml']).toContain('npm run deploy -- --env dev');
    expect(workflows['main.yml']).toContain('npm run lint:workflows');
    expect(workflows['promote.yml']).toContain('npm run deploy -- --env "$TARGET"');
    expect(workflows['dr-sync.yml']).toContain('npm run deploy -- --env dr');
    expect(workflows['dr-sync.yml']).toMatch(/workflows: \[promote\]/);
  });
});
