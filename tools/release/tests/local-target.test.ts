import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { deployVersion } from '../deploy.ts';
import { LocalTarget } from '../deploy-targets/local.ts';
import { SmokeTestError, TrafficShiftError } from '../errors.ts';
import { sha256Hex } from '../hash.ts';
import { readZip } from '../zip-reader.ts';
import {
  CLI,
  CRASHING_HANDLER,
  HEALTHY_HANDLER,
  UNHEALTHY_HANDLER,
  makeDist,
  makeZip,
  recordPass,
  runCli,
  startTestVault,
  steppingClock,
  tempDir,
} from '#testing/release-fixtures.ts';

const COMMIT = 'd'.repeat(40);

describe('local deploy target', () => {
  let t: Awaited<ReturnType<typeof startTestVault>>;
  let root: string;
  let target: LocalTarget;
  beforeEach(async () => {
    t = await startTestVault('vault', steppingClock());
    root = await tempDir('targets-');
    target = new LocalTarget({ root, envFor: (fn) => ({ STAGE: fn.slice(fn.lastIndexOf('-') + 1) }) });
  });
  afterEach(() => t.close());

  /** Uploads a version; unless `fresh`, DEV has passed it (QA's prerequisite). */
  const upload = async (version: string, functions: Record<string, string>, fresh = false) => {
    const manifest = await t.vault.upload({
      version,
      distDir: await makeDist(functions),
      commit: COMMIT,
      builder: 'test',
    });
    if (!fresh) await recordPass(t.vault, manifest, 'dev');
    return manifest;
  };
  const deploy = (version: string, env: 'dev' | 'qa' | 'prod' = 'qa', on = target) =>
    deployVersion({ vault: t.vault.forStage(env), target: on, env, version, actor: 'tester', run: 'local' });

  it('unpacks the verified zip per environment and version, points live at it and smoke-tests the bundle', async () => {
    const manifest = await upload('v1.0.0', { 'price-fetcher': HEALTHY_HANDLER });
    const lines: string[] = [];
    await deployVersion({
      vault: t.vault.forStage('qa'),
      target,
      env: 'qa',
      version: 'v1.0.0',
      actor: 'a',
      run: 'r',
      log: (l) => lines.push(l),
    });

    const code = await readFile(path.join(root, 'qa', 'v1.0.0', 'price-fetcher', 'index.mjs'), 'utf8');
    expect(code).toBe(HEALTHY_HANDLER);
    const pointer = JSON.parse(await readFile(path.join(root, 'qa', 'price-fetcher.live.json'), 'utf8'));
    expect(pointer).toMatchObject({ version: 'v1.0.0', codeSha256: manifest.files[0]!.sha256 });
    // The bundle really ran, in its own process, with the environment the target gave it.
    expect(lines).toContain(
      'smoke price-fetcher-qa version v1.0.0: passed (statusCode 200 {"status":"ok","stage":"qa"})',
    );
    // The published version was tested before the alias moved.
    expect(lines.findIndex((l) => l.startsWith('smoke '))).toBeLessThan(
      lines.findIndex((l) => l.startsWith('live ')),
    );
  });

  it('when the new version fails its smoke test, live never leaves the previous version', async () => {
    await upload('v1.0.0', { 'price-fetcher': HEALTHY_HANDLER });
    await upload('v1.1.0', { 'price-fetcher': UNHEALTHY_HANDLER });
    await deploy('v1.0.0');
    await expect(deploy('v1.1.0')).rejects.toThrow(SmokeTestError);

    expect(await target.liveVersion('price-fetcher-qa')).toBe('v1.0.0');
    await expect(target.smokeTest('price-fetcher-qa', 'live')).resolves.toMatchObject({ ok: true });
    const records = (await t.vault.listPromotions('v1.1.0')).filter((r) => r.environment === 'qa');
    expect(records.map((r) => r.result)).toEqual(['deployed', 'smoke-failed']);
    expect(records[1]!.functions[0]).toMatchObject({ deployedVersion: 'v1.1.0' });
    expect(records[1]!.functions[0]!.rolledBackTo).toBeUndefined();
  });

  it('in PROD live moves through a canary, and an alarm during the canary puts it back', async () => {
    let alarm: string | null = null;
    const prod = new LocalTarget({
      root,
      envFor: (fn) => ({ STAGE: fn.slice(fn.lastIndexOf('-') + 1) }),
      alarm: async () => alarm,
    });
    const pass = async (version: string) => {
      const m = await upload(version, { 'price-fetcher': HEALTHY_HANDLER });
      await recordPass(t.vault, m, 'uat');
    };
    await pass('v1.0.0');
    await pass('v1.1.0');
    await pass('v1.2.0');
    const lines: string[] = [];
    const deployProd = (version: string) =>
      deployVersion({
        vault: t.vault.forStage('prod'),
        target: prod,
        env: 'prod',
        version,
        actor: 'a',
        run: 'r',
        log: (l) => lines.push(l),
      });
    await deployProd('v1.0.0');
    expect(lines.some((l) => l.startsWith('canary'))).toBe(false); // nothing live before: no canary
    await deployProd('v1.1.0');
    expect(lines).toContain('canary price-fetcher-prod: no alarm; live -> v1.1.0 at 100%');
    expect(await prod.liveVersion('price-fetcher-prod')).toBe('v1.1.0');

    alarm = 'price-fetcher-prod-Errors';
    await expect(deployProd('v1.2.0')).rejects.toThrow(TrafficShiftError);
    expect(await prod.liveVersion('price-fetcher-prod')).toBe('v1.1.0');
    const pointer = JSON.parse(await readFile(path.join(root, 'prod', 'price-fetcher.live.json'), 'utf8'));
    expect(pointer.canary).toBeUndefined();
    const last = (await t.vault.listPromotions('v1.2.0')).at(-1)!;
    expect(last).toMatchObject({ environment: 'prod', result: 'deploy-failed' });
    expect(last.note).toBe(
      'price-fetcher-prod: canary rolled back: alarm price-fetcher-prod-Errors is in ALARM; live stays on v1.1.0',
    );
  });

  it('a crashing handler fails the smoke test with its error', async () => {
    await upload('v1.0.0', { 'price-fetcher': CRASHING_HANDLER });
    await expect(deploy('v1.0.0')).rejects.toThrow(/TypeError: boom/);
    expect(await target.liveVersion('price-fetcher-qa')).toBeNull();
  });

  it('the deploy CLI with --target local deploys only the named function and records the promotion', async () => {
    await upload('v2.0.0', { 'price-fetcher': HEALTHY_HANDLER, 'config-service': HEALTHY_HANDLER }, true);
    const env = {
      VAULT_BUCKET: t.bucket,
      VAULT_S3_ENDPOINT: t.endpoint,
      RELEASE_ACTOR: 'dana',
      GITHUB_RUN_ID: '',
    };
    const args = ['--env', 'dev', '--version', 'v2.0.0', '--target', 'local', '--local-root', root];
    const res = await runCli(CLI.deploy, [...args, '--function', 'config-service'], env);
    expect(res.stderr).toContain('verified v2.0.0/config-service.zip');
    expect(res.status).toBe(0);
    expect(res.stdout.trim()).toBe('v2.0.0 is live in dev: config-service-dev');
    expect(await target.liveVersion('config-service-dev')).toBe('v2.0.0');
    expect(await target.liveVersion('price-fetcher-dev')).toBeNull();
    const [deployed, passed] = await t.vault.listPromotions('v2.0.0');
    expect(deployed).toMatchObject({ result: 'deployed', actor: 'dana', run: 'local' });
    expect(passed).toMatchObject({
      result: 'smoke-passed',
      functions: [{ functionName: 'config-service-dev' }],
    });

    const unknown = await runCli(CLI.deploy, [...args, '--function', 'nope'], env);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr.trim()).toBe('error: v2.0.0 has no artifact for: nope');
  });

  it('the deploy CLI refuses PROD for a version that never passed UAT', async () => {
    await upload('v3.0.0', { 'price-fetcher': HEALTHY_HANDLER });
    await deploy('v3.0.0', 'qa');
    const env = { VAULT_BUCKET: t.bucket, VAULT_S3_ENDPOINT: t.endpoint, GITHUB_RUN_ID: '' };
    const res = await runCli(
      CLI.deploy,
      ['--env', 'prod', '--version', 'v3.0.0', '--target', 'local', '--local-root', root],
      env,
    );
    expect(res.status).not.toBe(0);
    expect(res.stderr.trim()).toBe(
      'error: v3.0.0 cannot be deployed to prod: price-fetcher.zip has not passed uat (no smoke-passed record in the vault)',
    );
    expect(await target.liveVersion('price-fetcher-prod')).toBeNull();
  });

  it('reads back exactly the files of a deterministic zip', async () => {
    const files = {
      'index.mjs': HEALTHY_HANDLER,
      'index.mjs.map': '{"version":3}',
      'lib/a.txt': 'a'.repeat(5000),
    };
    const zip = await makeZip(files);
    expect(sha256Hex(await makeZip(files))).toBe(sha256Hex(zip));
    const entries = Object.fromEntries(readZip(zip).map((e) => [e.name, e.data.toString()]));
    expect(entries).toEqual(files);
  });
});
