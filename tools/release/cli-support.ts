import { userInfo } from 'node:os';
import { ZodError } from 'zod';
import { ENVIRONMENTS, PRIMARY_REGION, type Environment } from './constants.ts';
import { RecordWriterError, ReleaseError, UsageError } from './errors.ts';
import { createVaultS3Client } from './s3-client.ts';
import { Vault } from './vault.ts';

/** Writes a line to stdout (the CLI's result). */
export function out(line: string): void {
  process.stdout.write(line.endsWith('\n') ? line : `${line}\n`);
}

/** Writes a line to stderr (progress and errors). */
export function info(line: string): void {
  process.stderr.write(line.endsWith('\n') ? line : `${line}\n`);
}

/**
 * Runs a CLI body: a refusal or failure becomes one clear `error:` line and a non-zero exit; unexpected
 * errors keep their stack when RELEASE_DEBUG is set.
 */
export function runCli(main: () => Promise<number | void>): void {
  main().then(
    (code) => {
      process.exitCode = code ?? 0;
    },
    (err: unknown) => {
      if (err instanceof ZodError)
        info(`error: invalid input: ${err.issues.map((i) => i.message).join('; ')}`);
      else if (err instanceof ReleaseError) info(`error: ${err.message}`);
      else info(`error: ${(err as Error)?.message ?? String(err)}`);
      if (process.env.RELEASE_DEBUG && err instanceof Error && err.stack) info(err.stack);
      process.exitCode = err instanceof UsageError ? 2 : 1;
    },
  );
}

/** A required option, or a usage error naming it. */
export function required<T>(value: T | undefined, name: string): T {
  if (value === undefined || value === '') throw new UsageError(`missing --${name}`);
  return value;
}

/** The vault named by `--bucket`/`VAULT_BUCKET`, on a local endpoint when `VAULT_S3_ENDPOINT` is set. */
export function vaultFrom(opts: { bucket?: string | undefined; endpoint?: string | undefined }): Vault {
  const bucket = opts.bucket ?? process.env.VAULT_BUCKET;
  if (!bucket) throw new UsageError('no vault bucket: pass --bucket or set VAULT_BUCKET');
  const endpoint = opts.endpoint ?? process.env.VAULT_S3_ENDPOINT;
  const region = process.env.VAULT_REGION ?? PRIMARY_REGION;
  return new Vault({ bucket, s3: createVaultS3Client({ endpoint, region }) });
}

/**
 * The vault for a command that writes `env`'s promotion records. In CI each job names the stage it acts for
 * in RELEASE_STAGE (its GitHub environment, whose AWS role may write only that stage's records); a command
 * asked to write another stage's records is refused before anything happens.
 */
export function stageVaultFrom(
  opts: { bucket?: string | undefined; endpoint?: string | undefined },
  env: string,
): Vault {
  if (!(ENVIRONMENTS as readonly string[]).includes(env)) {
    throw new UsageError(`--env must be one of ${ENVIRONMENTS.join(', ')}`);
  }
  const own = process.env.RELEASE_STAGE;
  if (own && own !== env) {
    throw new RecordWriterError(
      `this job acts for the ${own} stage (RELEASE_STAGE) and may not write ${env} promotion records`,
    );
  }
  return vaultFrom(opts).forStage(env as Environment);
}

/** Who is acting and in which run: the GitHub Actions context in CI, the local user otherwise. */
export function actorAndRun(): { actor: string; run: string } {
  const env = process.env;
  const actor = env.RELEASE_ACTOR ?? env.GITHUB_ACTOR ?? userInfo().username;
  const run =
    env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY
      ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` +
        (env.GITHUB_RUN_ATTEMPT ? `/attempts/${env.GITHUB_RUN_ATTEMPT}` : '')
      : (env.RELEASE_RUN ?? 'local');
  return { actor, run };
}
