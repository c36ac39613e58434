import { spawn } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import { ENVIRONMENTS, regionFor, type Environment, type PromotionTarget } from './constants.ts';
import { deployVersion } from './deploy.ts';
import { LocalTarget, type LocalInvoke } from './deploy-targets/local.ts';
import { invokeLocalLambda } from '#infra-local/lite/lambda-runtime.ts';
import { templatePath } from '#build/paths.ts';
import { ReleaseError, UsageError } from './errors.ts';
import { approvalFunctions } from './promotions.ts';
import { createGitRunner } from './git.ts';
import { startLocalS3 } from './local-s3.ts';
import { startRehearsalStores } from './rehearsal-env.ts';
import { renderReleaseNotes } from './release-notes.ts';
import { createVaultS3Client } from './s3-client.ts';
import { collectStatus, formatStatus, type VersionStatus } from './status.ts';
import { computeStageTag, createTag, listTags } from './tags.ts';
import { Vault } from './vault.ts';
import { computeNextVersion } from './version.ts';

export interface RehearsalOptions {
  /** The repository whose HEAD is "merged to main"; the scratch repo is cloned from it. */
  sourceRepo: string;
  /** Folder for all rehearsal state (s3rver data, unpacked bundles, scratch repo); wiped first. */
  root: string;
  /** Folder with the built zips. The build runs first unless `skipBuild`. */
  distDir: string;
  skipBuild?: boolean;
  /** Runs the build once; by default `npm run build` in the source repo. */
  build?: () => Promise<void>;
  failAt?: Environment;
  /**
   * Makes a (simulated) CloudWatch alarm fire during PROD's canary, so the canary is rolled back. The canary
   * needs a version already live in PROD: continue (`keep`) from a rehearsal that reached PROD.
   */
  canaryAlarm?: boolean;
  /**
   * Continue from the previous rehearsal in `root` (its vault, tags and deployed versions) instead of starting
   * clean: the new version lands on top of the last one, so a failure rolls back to a real previous version.
   */
  keep?: boolean;
  /** Overrides the computed version (useful when nothing releasable exists in the history). */
  version?: string;
  /**
   * Environment of each locally deployed function. By default, when the source repository has the lite-mode
   * template, its functions get lite mode's environment and private lite stores (dynalite, embedded SQL).
   */
  envFor?: (baseName: string, env: Environment) => Record<string, string>;
  invoke?: LocalInvoke;
  log?: (line: string) => void;
}

export interface RehearsalResult {
  ok: boolean;
  version: string;
  tags: string[];
  haltedAt: Environment | null;
  status: VersionStatus[];
  statusText: string;
  failure?: string;
}

const VAULT_BUCKET = 'rehearsal-vault';
const ACTOR = 'rehearsal';

function runNpmBuild(cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', 'build'], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new ReleaseError(`npm run build exited ${code}`)),
    );
  });
}

/**
 * Plays the release lifecycle on this machine: build once, upload to a local vault (s3rver), then
 * DEV -> QA -> UAT -> PROD -> DR on the local target with the same verified bytes, tags computed into a
 * scratch clone, Release notes written as files, and the vault status at the end.
 */
export async function rehearse(opts: RehearsalOptions): Promise<RehearsalResult> {
  const log = opts.log ?? (() => {});
  if (opts.failAt && !ENVIRONMENTS.includes(opts.failAt))
    throw new UsageError(`--fail-at must be one of ${ENVIRONMENTS}`);
  const scratchDir = path.join(opts.root, 'repo');
  const continuing = Boolean(opts.keep) && existsSync(path.join(scratchDir, '.git'));
  if (!continuing) await rm(opts.root, { recursive: true, force: true });
  await mkdir(opts.root, { recursive: true });

  log('1. build once');
  if (!opts.skipBuild) await (opts.build ?? (() => runNpmBuild(opts.sourceRepo)))();

  const source = createGitRunner(opts.sourceRepo);
  const commit = await source(['rev-parse', 'HEAD']);
  const git = createGitRunner(scratchDir);
  if (continuing) {
    await git(['fetch', '--quiet', 'origin']);
    // Moves HEAD to the new build commit without a working tree; the earlier rehearsal tags stay.
    await git(['update-ref', '--no-deref', 'HEAD', commit]);
  } else {
    await source(['clone', '--quiet', '--no-checkout', opts.sourceRepo, scratchDir]);
  }
  await git(['config', 'user.name', 'release rehearsal']);
  await git(['config', 'user.email', 'rehearsal@localhost']);

  const s3Dir = path.join(opts.root, 's3');
  await mkdir(s3Dir, { recursive: true });
  const s3 = await startLocalS3(s3Dir, [VAULT_BUCKET]);
  const client = createVaultS3Client({ endpoint: s3.endpoint });
  const stores =
    !opts.envFor && existsSync(templatePath(opts.sourceRepo))
      ? await startRehearsalStores(opts.sourceRepo)
      : null;
  // The functions' own logs would drown the rehearsal's story; they are kept next to the other evidence.
  const logs = createWriteStream(path.join(opts.root, 'functions.log'));
  try {
    const vault = new Vault({ bucket: VAULT_BUCKET, s3: client });
    let version = opts.version;
    if (!version) {
      const taken = await vault.listVersions();
      const next = await computeNextVersion(git, taken);
      // A rehearsal always needs a version, even when the history has nothing releasable: take the next patch.
      version = next.next ?? nextPatch([next.previous ?? 'v0.0.0', ...taken]);
      log(
        next.next
          ? `   next version ${version} (${next.bump} bump since ${next.previous ?? 'the first commit'})`
          : `   nothing releasable since ${next.previous ?? 'the first commit'}; rehearsing as ${version}`,
      );
    }

    log(`2. vault upload of ${version} to s3rver ${s3.endpoint}`);
    const manifest = await vault.upload({
      version,
      distDir: opts.distDir,
      commit,
      builder: 'release rehearsal',
    });
    for (const f of manifest.files) log(`   ${f.name} ${f.size} bytes sha256:${f.sha256}`);

    const realInvoke = opts.invoke ?? invokeLocalLambda;
    const failAt = opts.failAt;
    // The injected failure answers like an unhealthy function would, so the real smoke-test path handles it.
    const invoke: LocalInvoke = async (o) =>
      failAt && o.functionName.endsWith(`-${failAt}`)
        ? {
            ok: true,
            result: {
              statusCode: 503,
              body: JSON.stringify({ status: 'unhealthy', reason: 'rehearsal --fail-at' }),
            },
          }
        : realInvoke(o);
    const target = new LocalTarget({
      root: path.join(opts.root, 'targets'),
      invoke,
      logs,
      alarm: async (dep) =>
        opts.canaryAlarm ? `${dep.functionName}-Errors (simulated by --canary-alarm)` : null,
      envFor: (fn) => {
        const dash = fn.lastIndexOf('-');
        const env = fn.slice(dash + 1) as Environment;
        const extra = (opts.envFor ?? stores?.envFor)?.(fn.slice(0, dash), env) ?? {};
        return { STAGE: env, ...extra, AWS_REGION: regionFor(env) };
      },
    });

    const tags: string[] = [];
    let haltedAt: Environment | null = null;
    let failure: string | undefined;
    log('3. promotions');
    for (const env of ENVIRONMENTS) {
      const promotion = env === 'qa' || env === 'uat' || env === 'prod' ? (env as PromotionTarget) : null;
      const tag = promotion ? computeStageTag(await listTags(git), version, promotion) : null;
      // Each stage writes its own records only, as each stage's deploy role does in AWS.
      const stageVault = vault.forStage(env);
      if (promotion) {
        await stageVault.recordPromotion({
          version,
          environment: env,
          result: 'approved',
          actor: ACTOR,
          at: vault.now().toISOString(),
          run: 'rehearsal',
          commit,
          functions: approvalFunctions(manifest, env),
        });
      }
      try {
        await deployVersion({
          vault: stageVault,
          target,
          env,
          version,
          actor: ACTOR,
          run: 'rehearsal',
          log: (l) => log(`   [${env}] ${l}`),
        });
      } catch (err) {
        if (!(err instanceof ReleaseError)) throw err;
        haltedAt = env;
        failure = err.message;
        log(`   [${env}] pipeline halted: ${err.message}`);
        break;
      }
      if (tag) {
        await createTag(git, tag, manifest.commit, `${version} promoted to ${env}`);
        tags.push(tag);
        log(`   [${env}] tagged ${manifest.commit.slice(0, 7)} as ${tag}`);
      }
      if (env === 'prod' || env === 'dr') {
        // The GitHub Release stand-in: created at PROD, re-rendered as "globally synced" once DR passes.
        const notes = renderReleaseNotes(manifest, await vault.listPromotions(version));
        const file = path.join(opts.root, 'releases', `${version}.md`);
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, notes);
        log(`   [${env}] release notes ${env === 'dr' ? 'marked globally synced' : 'written'}: ${file}`);
      }
    }

    log('4. vault:status');
    const status = await collectStatus(vault);
    return {
      ok: haltedAt === null,
      version,
      tags,
      haltedAt,
      status,
      statusText: formatStatus(status),
      ...(failure ? { failure } : {}),
    };
  } finally {
    client.destroy();
    await s3.close();
    await stores?.stop();
    await new Promise((resolve) => logs.end(resolve));
  }
}

/** The patch after the highest of the given versions. */
function nextPatch(versions: readonly string[]): string {
  const highest = versions.map((v) => v.replace(/^v/, '')).sort(semver.rcompare)[0] ?? '0.0.0';
  return `v${semver.inc(highest, 'patch')}`;
}
