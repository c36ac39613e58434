import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { ManifestSchema } from '../model.ts';
import { ArtifactIntegrityError, VersionExistsError } from '../errors.ts';
import { collectStatus, formatStatus } from '../status.ts';
import {
  CLI,
  HEALTHY_HANDLER,
  UNHEALTHY_HANDLER,
  makeDist,
  recordPass,
  runCli,
  startTestVault,
  steppingClock,
  tempDir,
} from '#testing/release-fixtures.ts';

const COMMIT = 'a'.repeat(40);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('vault', () => {
  let t: Awaited<ReturnType<typeof startTestVault>>;
  let dist: string;
  beforeEach(async () => {
    t = await startTestVault('vault', steppingClock());
    dist = await makeDist({ 'price-fetcher': HEALTHY_HANDLER, 'config-service': UNHEALTHY_HANDLER });
  });
  afterEach(() => t.close());

  const cliEnv = () => ({ VAULT_BUCKET: t.bucket, VAULT_S3_ENDPOINT: t.endpoint, GITHUB_RUN_ID: '' });

  it('upload stores every zip under the version prefix and a manifest with size, SHA-256 and provenance', async () => {
    const res = await runCli(CLI.upload, ['--version', 'v1.4.0', '--dist', dist, '--commit', COMMIT], {
      ...cliEnv(),
      GITHUB_ACTOR: 'builder-bot',
      GITHUB_REPOSITORY: 'acme/pricing',
      GITHUB_RUN_ID: '4242',
    });
    expect(res.stderr).toContain('uploaded s3://vault/v1.4.0/price-fetcher.zip');
    expect(res.status).toBe(0);
    expect(res.stdout.trim()).toBe('s3://vault/v1.4.0/');

    const manifest = await t.vault.readManifest('v1.4.0');
    expect(ManifestSchema.parse(manifest)).toEqual(manifest);
    expect(manifest.commit).toBe(COMMIT);
    expect(manifest.builder).toBe('https://github.com/acme/pricing/actions/runs/4242');
    expect(manifest.files.map((f) => f.name)).toEqual(['config-service.zip', 'price-fetcher.zip']);
    for (const f of manifest.files) {
      const local = await readFile(path.join(dist, f.name));
      expect(f).toEqual({ name: f.name, size: local.length, sha256: sha256(local) });
      const stored = await t.client.send(new GetObjectCommand({ Bucket: 'vault', Key: `v1.4.0/${f.name}` }));
      expect(sha256(Buffer.from(await stored.Body!.transformToByteArray()))).toBe(f.sha256);
    }
  });

  it('when the version prefix exists, upload refuses and exits non-zero', async () => {
    expect(
      (await runCli(CLI.upload, ['--version', 'v1.4.0', '--dist', dist, '--commit', COMMIT], cliEnv()))
        .status,
    ).toBe(0);
    const before = await t.vault.readManifest('v1.4.0');

    const other = await makeDist({ 'price-fetcher': UNHEALTHY_HANDLER });
    const res = await runCli(
      CLI.upload,
      ['--version', 'v1.4.0', '--dist', other, '--commit', 'b'.repeat(40)],
      cliEnv(),
    );
    expect(res.status).not.toBe(0);
    expect(res.stderr.trim()).toBe(
      'error: vault refuses: s3://vault/v1.4.0/ already exists; versions are immutable, build a new one',
    );
    expect(await t.vault.readManifest('v1.4.0')).toEqual(before);
  });

  it('an abandoned, half-uploaded version (no manifest) still blocks its prefix', async () => {
    await t.client.send(
      new PutObjectCommand({ Bucket: 'vault', Key: 'v2.0.0/price-fetcher.zip', Body: 'x' }),
    );
    await expect(
      t.vault.upload({ version: 'v2.0.0', distDir: dist, commit: COMMIT, builder: 'b' }),
    ).rejects.toThrow(VersionExistsError);
  });

  it('every put asks S3 for If-None-Match: * and sends the SHA-256 checksum', async () => {
    const seen: { key: string; headers: Record<string, string> }[] = [];
    t.client.middlewareStack.add(
      (next) => async (args) => {
        const req = args.request as { method: string; path: string; headers: Record<string, string> };
        if (req.method === 'PUT') seen.push({ key: req.path, headers: req.headers });
        return next(args);
      },
      { step: 'finalizeRequest', name: 'captureHeaders' },
    );
    const manifest = await t.vault.upload({ version: 'v1.0.0', distDir: dist, commit: COMMIT, builder: 'b' });
    // Two zips, the manifest, then the checksums pinned at first upload.
    expect(seen.map((s) => s.key.split('/').at(-1))).toEqual([
      'config-service.zip',
      'price-fetcher.zip',
      'manifest.json',
      'checksums.json',
    ]);
    for (const put of seen) expect(put.headers['if-none-match']).toBe('*');
    const zipPut = seen.find((s) => s.key.endsWith('/price-fetcher.zip'));
    const file = manifest.files.find((f) => f.name === 'price-fetcher.zip')!;
    expect(zipPut?.headers['x-amz-checksum-sha256']).toBe(Buffer.from(file.sha256, 'hex').toString('base64'));
  });

  it('a download whose bytes differ from the manifest is refused as tampered', async () => {
    const manifest = await t.vault.upload({ version: 'v1.0.0', distDir: dist, commit: COMMIT, builder: 'b' });
    const file = manifest.files.find((f) => f.name === 'price-fetcher.zip')!;
    await expect(t.vault.fetchVerified('v1.0.0', file)).resolves.toMatchObject({
      key: 'v1.0.0/price-fetcher.zip',
    });

    await t.client.send(
      new PutObjectCommand({
        Bucket: 'vault',
        Key: 'v1.0.0/price-fetcher.zip',
        Body: Buffer.from('evil zip'),
      }),
    );
    await expect(t.vault.fetchVerified('v1.0.0', file)).rejects.toThrow(ArtifactIntegrityError);
    await expect(t.vault.fetchVerified('v1.0.0', file)).rejects.toThrow(/does not match the manifest/);
  });

  it('a tampered artifact stops the deploy command before anything is deployed', async () => {
    await t.vault.upload({ version: 'v1.0.0', distDir: dist, commit: COMMIT, builder: 'b' });
    await t.client.send(
      new PutObjectCommand({
        Bucket: 'vault',
        Key: 'v1.0.0/config-service.zip',
        Body: Buffer.from('evil zip'),
      }),
    );
    const root = await tempDir('targets-');
    const res = await runCli(
      CLI.deploy,
      ['--env', 'dev', '--version', 'v1.0.0', '--target', 'local', '--local-root', root],
      cliEnv(),
    );
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(
      /^error: s3:\/\/vault\/v1.0.0\/config-service.zip does not match the manifest/m,
    );
    await expect(readFile(path.join(root, 'dev', 'price-fetcher.live.json'))).rejects.toThrow(/ENOENT/);
  });

  it('a missing artifact or manifest stops the deployment with a clear message', async () => {
    const res = await runCli(
      CLI.deploy,
      ['--env', 'dev', '--version', 'v9.9.9', '--target', 'local'],
      cliEnv(),
    );
    expect(res.status).not.toBe(0);
    expect(res.stderr.trim()).toBe('error: s3://vault/v9.9.9/manifest.json is missing');

    const manifest = await t.vault.upload({ version: 'v1.0.0', distDir: dist, commit: COMMIT, builder: 'b' });
    const ghost = { ...manifest.files[0]!, name: 'ghost.zip' };
    await expect(t.vault.fetchVerified('v1.0.0', ghost)).rejects.toThrow(
      's3://vault/v1.0.0/ghost.zip is missing; refusing to deploy v1.0.0',
    );
  });

  it('status shows, per version, what happened in each environment, and the graveyard', async () => {
    for (const v of ['v1.0.0', 'v1.1.0', 'v1.10.0']) {
      await t.vault.upload({ version: v, distDir: dist, commit: COMMIT, builder: 'b' });
    }
    const rec = (
      version: string,
      environment: 'dev' | 'qa',
      result: 'deployed' | 'smoke-passed' | 'smoke-failed',
    ) =>
      t.vault.forStage(environment).recordPromotion({
        version,
        environment,
        result,
        actor: 'alice',
        at: t.vault.now().toISOString(),
        run: 'run-1',
        functions: [],
      });
    await rec('v1.0.0', 'dev', 'deployed');
    await rec('v1.0.0', 'dev', 'smoke-passed');
    await rec('v1.1.0', 'dev', 'deployed');
    await rec('v1.1.0', 'dev', 'smoke-failed');
    await runCli(
      CLI.record,
      ['--version', 'v1.0.0', '--env', 'qa', '--result', 'approved', '--actor', 'bob'],
      cliEnv(),
    );
    await runCli(CLI.record, ['--version', 'v1.10.0', '--env', 'dev', '--result', 'abandoned'], {
      ...cliEnv(),
      RELEASE_ACTOR: 'carol',
    });

    const statuses = await collectStatus(t.vault);
    expect(statuses.map((s) => s.version)).toEqual(['v1.0.0', 'v1.1.0', 'v1.10.0']);
    expect(statuses[0]!.environments).toMatchObject({ dev: ['deployed', 'smoke-passed'], qa: ['approved'] });
    expect(statuses.map((s) => s.graveyard)).toEqual([
      null,
      'halted: smoke-failed in dev',
      'abandoned in dev by carol',
    ]);

    const res = await runCli(CLI.status, [], cliEnv());
    expect(res.status).toBe(0);
    expect(res.stdout).toBe(formatStatus(statuses));
    expect(res.stdout).toMatch(/^v1\.0\.0\s+aaaaaaa\s+deployed > smoke-passed\s+approved\s+-\s+-\s+-$/m);
    expect(res.stdout).toContain(
      'graveyard:\n  v1.1.0  halted: smoke-failed in dev\n  v1.10.0  abandoned in dev by carol',
    );
  });

  it('promotion records never overwrite each other, even in the same millisecond', async () => {
    await t.vault.upload({ version: 'v1.0.0', distDir: dist, commit: COMMIT, builder: 'b' });
    const record = {
      version: 'v1.0.0',
      environment: 'qa' as const,
      result: 'approved' as const,
      actor: 'a',
      at: '2026-01-01T00:00:00.000Z',
      run: 'r',
      functions: [],
    };
    const qa = t.vault.forStage('qa');
    const keys = [
      await qa.recordPromotion(record),
      await qa.recordPromotion(record),
      await qa.recordPromotion(record),
    ];
    expect(keys).toEqual([
      'v1.0.0/promotions/qa-2026-01-01T00-00-00-000Z.json',
      'v1.0.0/promotions/qa-2026-01-01T00-00-00-000Z-1.json',
      'v1.0.0/promotions/qa-2026-01-01T00-00-00-000Z-2.json',
    ]);
    expect(await t.vault.listPromotions('v1.0.0')).toHaveLength(3);
  });

  describe('a release that cannot be forged', () => {
    const zipOf = async (handler: string) =>
      readFile(path.join(await makeDist({ 'price-fetcher': handler }), 'price-fetcher.zip'));
    const put = (key: string, body: Buffer | string) =>
      t.client.send(new PutObjectCommand({ Bucket: 'vault', Key: `v1.0.0/${key}`, Body: body }));
    const deployCli = async (env: string, extra: Record<string, string> = {}) =>
      runCli(
        CLI.deploy,
        ['--env', env, '--version', 'v1.0.0', '--target', 'local', '--local-root', await tempDir('targets-')],
        { ...cliEnv(), ...extra },
      );
    /** What someone with write access to the bucket (or a bucket policy gone wrong) could do: new bytes, and a manifest that agrees with them. */
    const replaceZipAndManifest = async () => {
      const evil = await zipOf(UNHEALTHY_HANDLER);
      const manifest = await t.vault.readManifest('v1.0.0');
      const files = manifest.files.map((f) =>
        f.name === 'price-fetcher.zip' ? { ...f, size: evil.length, sha256: sha256(evil) } : f,
      );
      const forged = Buffer.from(`${JSON.stringify({ ...manifest, files }, null, 2)}\n`);
      await put('price-fetcher.zip', evil);
      await put('manifest.json', forged);
      return { files, forged };
    };

    it('a manifest replaced after the first upload is refused: its checksums differ from the pinned ones', async () => {
      await t.vault.upload({ version: 'v1.0.0', distDir: dist, commit: COMMIT, builder: 'b' });
      await replaceZipAndManifest();
      const res = await deployCli('dev');
      expect(res.status).not.toBe(0);
      expect(res.stderr).toMatch(
        /^error: v1\.0\.0\/manifest\.json differs from the checksums pinned at first upload \(.*\): the manifest was replaced; refusing to deploy v1\.0\.0$/m,
      );
      // Approving it is refused the same way.
      const approve = await runCli(
        CLI.record,
        ['--version', 'v1.0.0', '--env', 'qa', '--result', 'approved'],
        cliEnv(),
      );
      expect(approve.status).not.toBe(0);
      expect(approve.stderr).toContain('the manifest was replaced');
    });

    it('when the pinned checksums are replaced too, the checksums the previous stage passed refuse it', async () => {
      const manifest = await t.vault.upload({
        version: 'v1.0.0',
        distDir: dist,
        commit: COMMIT,
        builder: 'b',
      });
      await recordPass(t.vault, manifest, 'dev');
      const { files, forged } = await replaceZipAndManifest();
      const stored = await t.client.send(
        new GetObjectCommand({ Bucket: 'vault', Key: 'v1.0.0/checksums.json' }),
      );
      const pin = JSON.parse(await stored.Body!.transformToString());
      await put('checksums.json', JSON.stringify({ ...pin, files, manifestSha256: sha256(forged) }));

      const res = await deployCli('qa');
      expect(res.status).not.toBe(0);
      const evil = files.find((f) => f.name === 'price-fetcher.zip')!.sha256;
      const passed = manifest.files.find((f) => f.name === 'price-fetcher.zip')!.sha256;
      expect(res.stderr.trim()).toBe(
        `error: v1.0.0/price-fetcher.zip has sha256 ${evil}, but dev passed ${passed}; refusing to deploy v1.0.0`,
      );
    });

    it('a version whose checksums were never pinned is never deployable', async () => {
      await t.vault.upload({ version: 'v1.0.0', distDir: dist, commit: COMMIT, builder: 'b' });
      await t.client.send(
        new PutObjectCommand({
          Bucket: 'vault',
          Key: 'v2.0.0/price-fetcher.zip',
          Body: await zipOf(HEALTHY_HANDLER),
        }),
      );
      await t.client.send(
        new PutObjectCommand({
          Bucket: 'vault',
          Key: 'v2.0.0/manifest.json',
          Body: (
            await t.client
              .send(new GetObjectCommand({ Bucket: 'vault', Key: 'v1.0.0/manifest.json' }))
              .then((r) => r.Body!.transformToString())
          ).replace('v1.0.0', 'v2.0.0'),
        }),
      );
      const res = await runCli(
        CLI.deploy,
        ['--env', 'dev', '--version', 'v2.0.0', '--target', 'local', '--local-root', await tempDir('t-')],
        cliEnv(),
      );
      expect(res.status).not.toBe(0);
      expect(res.stderr.trim()).toBe(
        'error: s3://vault/v2.0.0/checksums.json is missing (checksums were never pinned); refusing to deploy v2.0.0',
      );
    });

    it('records are read in time order: a later smoke-failed outranks an earlier pass, and abandoned ends the version', async () => {
      const manifest = await t.vault.upload({
        version: 'v1.0.0',
        distDir: dist,
        commit: COMMIT,
        builder: 'b',
      });
      await recordPass(t.vault, manifest, 'dev');
      await recordPass(t.vault, manifest, 'dev', 'smoke-failed');
      const failed = await deployCli('qa');
      expect(failed.status).not.toBe(0);
      expect(failed.stderr).toMatch(
        /^error: v1\.0\.0 cannot be deployed to qa: config-service\.zip has not passed dev \(its latest dev record, at \S+, is smoke-failed\)$/m,
      );

      await recordPass(t.vault, manifest, 'dev');
      const record = await runCli(
        CLI.record,
        ['--version', 'v1.0.0', '--env', 'dev', '--result', 'abandoned', '--note', 'wrong discount rule'],
        { ...cliEnv(), RELEASE_ACTOR: 'erin' },
      );
      expect(record.status).toBe(0);
      const abandoned = await deployCli('qa');
      expect(abandoned.status).not.toBe(0);
      expect(abandoned.stderr).toMatch(
        /^error: v1\.0\.0 was abandoned in dev by erin at \S+; it is never deployed again$/m,
      );
    });

    it('only a stage writes its own records: the tools refuse another stage, and a record filed under another stage is refused when read', async () => {
      const manifest = await t.vault.upload({
        version: 'v1.0.0',
        distDir: dist,
        commit: COMMIT,
        builder: 'b',
      });
      const record = {
        version: 'v1.0.0',
        environment: 'uat' as const,
        result: 'smoke-passed' as const,
        actor: 'mallory',
        at: t.vault.now().toISOString(),
        run: 'dev-run',
        functions: [],
      };
      await expect(t.vault.forStage('dev').recordPromotion(record)).rejects.toThrow(
        "refusing to write a uat promotion record from the dev stage: only uat's own deploy role writes v1.0.0/promotions/uat-*",
      );
      await expect(t.vault.recordPromotion(record)).rejects.toThrow(/from a client bound to no stage/);

      // A DEV job (RELEASE_STAGE=dev) cannot record a UAT approval or deploy UAT either.
      const dev = { ...cliEnv(), RELEASE_STAGE: 'dev' };
      const approve = await runCli(
        CLI.record,
        ['--version', 'v1.0.0', '--env', 'uat', '--result', 'approved'],
        dev,
      );
      expect(approve.status).not.toBe(0);
      expect(approve.stderr.trim()).toBe(
        'error: this job acts for the dev stage (RELEASE_STAGE) and may not write uat promotion records',
      );
      expect((await deployCli('uat', { RELEASE_STAGE: 'dev' })).stderr.trim()).toBe(approve.stderr.trim());

      // Written straight to S3 under DEV's prefix (what a DEV role can reach), a "uat passed" is refused on read.
      await put(
        'promotions/dev-2026-01-01T00-00-00-000Z.json',
        JSON.stringify({ ...record, commit: manifest.commit }),
      );
      await expect(t.vault.listPromotions('v1.0.0')).rejects.toThrow(
        's3://vault/v1.0.0/promotions/dev-2026-01-01T00-00-00-000Z.json holds a v1.0.0 uat record; refusing a forged record',
      );
    });
  });

  it('listings page through s3rver continuation tokens; no AWS-facing script runs with the OpenSSL legacy provider', async () => {
    const paged = await startTestVault('paged', steppingClock(), 2);
    try {
      const manifest = await paged.vault.upload({
        version: 'v1.0.0',
        distDir: dist,
        commit: COMMIT,
        builder: 'b',
      });
      for (const env of ['dev', 'qa', 'uat', 'prod', 'dr'] as const)
        await recordPass(paged.vault, manifest, env);
      // Five records, two keys per page: s3rver (in its own process) mints DES continuation tokens.
      const records = await paged.vault.listPromotions('v1.0.0');
      expect(records.map((r) => r.environment)).toEqual(['dev', 'qa', 'uat', 'prod', 'dr']);
    } finally {
      await paged.close();
    }
    const scripts = JSON.parse(await readFile('package.json', 'utf8')).scripts as Record<string, string>;
    const awsFacing = Object.entries(scripts).filter(([name]) =>
      /^(deploy|verify|vault:|release:|stack:)/.test(name),
    );
    expect(awsFacing.map(([name]) => name)).toEqual(
      expect.arrayContaining(['deploy', 'verify', 'vault:upload']),
    );
    for (const [name, command] of awsFacing)
      expect({ name, command }).toEqual({
        name,
        command: expect.not.stringContaining('openssl-legacy-provider'),
      });
  });

  it('the CLI names the missing bucket instead of guessing', async () => {
    const res = await runCli(CLI.status, [], { VAULT_BUCKET: '' });
    expect(res.status).not.toBe(0);
    expect(res.stderr.trim()).toBe('error: no vault bucket: pass --bucket or set VAULT_BUCKET');
  });
});
