import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import semver from 'semver';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { MANIFEST_FILE, PINNED_CHECKSUMS_FILE, PROMOTIONS_PREFIX, type Environment } from './constants.ts';
import {
  ManifestSchema,
  PinnedChecksumsSchema,
  PromotionRecordSchema,
  ReleaseVersionSchema,
  type Manifest,
  type ManifestFile,
  type PinnedChecksums,
  type PromotionRecord,
} from './model.ts';
import { ArtifactIntegrityError, RecordWriterError, ReleaseError, VersionExistsError } from './errors.ts';
import { hexToBase64, sha256Hex } from './hash.ts';

export interface VaultOptions {
  bucket: string;
  s3: S3Client;
  clock?: () => Date;
  /**
   * The stage whose promotion records this client may write. In AWS only that stage's deploy role may put
   * `<version>/promotions/<stage>-*`; the tools refuse the rest too, so a DEV job cannot write "uat passed".
   */
  recordsFor?: Environment;
  /** Keys per listing page (S3's MaxKeys); S3's default is 1000. */
  pageSize?: number;
}

export interface UploadRequest {
  version: string;
  distDir: string;
  commit: string;
  builder: string;
}

/** An artifact whose bytes were read from the vault and matched the manifest. */
export interface VerifiedArtifact {
  file: ManifestFile;
  bytes: Buffer;
  bucket: string;
  key: string;
  /** The S3 object version that was verified, so Lambda can be pinned to exactly it (null without versioning). */
  s3VersionId: string | null;
}

const STATUS_CODE = (err: unknown): number | undefined =>
  (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

function isNotFound(err: unknown): boolean {
  const name = (err as { name?: string }).name;
  return name === 'NoSuchKey' || name === 'NotFound' || STATUS_CODE(err) === 404;
}

/** Same-millisecond records: `qa-<stamp>.json` before `qa-<stamp>-1.json` before `qa-<stamp>-2.json`. */
function compareKeys(a: string, b: string): number {
  const n = (key: string) => Number(/-(\d+)\.json$/.exec(key.replace(/Z(?=\.json$)/, 'Z-0'))?.[1] ?? 0);
  const stem = (key: string) => key.replace(/(Z)(-\d+)?\.json$/, '$1');
  return stem(a).localeCompare(stem(b)) || n(a) - n(b);
}

/** The immutable artifact store: `s3://<bucket>/<version>/<function>.zip` plus a manifest and promotion records. */
export class Vault {
  readonly bucket: string;
  private readonly s3: S3Client;
  private readonly clock: () => Date;
  readonly recordsFor: Environment | undefined;
  private readonly pageSize: number | undefined;

  constructor({ bucket, s3, clock = () => new Date(), recordsFor, pageSize }: VaultOptions) {
    this.bucket = bucket;
    this.s3 = s3;
    this.clock = clock;
    this.recordsFor = recordsFor;
    this.pageSize = pageSize;
  }

  /** The same vault, writing promotion records for `stage` only. */
  forStage(stage: Environment): Vault {
    return new Vault({
      bucket: this.bucket,
      s3: this.s3,
      clock: this.clock,
      recordsFor: stage,
      ...(this.pageSize ? { pageSize: this.pageSize } : {}),
    });
  }

  /** True when anything exists under the version prefix; an abandoned build still counts. */
  async versionExists(version: string): Promise<boolean> {
    const res = await this.s3.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${version}/`, MaxKeys: 1 }),
    );
    return (res.KeyCount ?? res.Contents?.length ?? 0) > 0;
  }

  /** Uploads every `*.zip` of distDir and the manifest, refusing to touch an existing version. */
  async upload({ version, distDir, commit, builder }: UploadRequest): Promise<Manifest> {
    ReleaseVersionSchema.parse(version);
    // Checked first because local emulators ignore If-None-Match; real S3 enforces it again below.
    if (await this.versionExists(version)) {
      throw new VersionExistsError(
        `vault refuses: s3://${this.bucket}/${version}/ already exists; versions are immutable, build a new one`,
      );
    }
    const names = (await readdir(distDir)).filter((n) => n.endsWith('.zip')).sort();
    if (names.length === 0) throw new ReleaseError(`no *.zip in ${distDir}; run the build first`);

    const files: ManifestFile[] = [];
    for (const name of names) {
      // Buffers, not streams: a known length avoids chunked uploads that some emulators mangle.
      const bytes = await readFile(path.join(distDir, name));
      const file = { name, size: bytes.length, sha256: sha256Hex(bytes) };
      await this.putOnce(`${version}/${name}`, bytes, file.sha256, 'application/zip');
      files.push(file);
    }
    const manifest = ManifestSchema.parse({
      version,
      commit,
      builtAt: this.clock().toISOString(),
      builder,
      files,
    });
    const body = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    await this.putOnce(`${version}/${MANIFEST_FILE}`, body, sha256Hex(body), 'application/json');
    // Written last: a version without its pinned checksums is an interrupted upload, never deployable.
    const pinned = PinnedChecksumsSchema.parse({
      version,
      pinnedAt: manifest.builtAt,
      builder,
      manifestSha256: sha256Hex(body),
      files,
    });
    const pin = Buffer.from(`${JSON.stringify(pinned, null, 2)}\n`);
    await this.putOnce(`${version}/${PINNED_CHECKSUMS_FILE}`, pin, sha256Hex(pin), 'application/json');
    return manifest;
  }

  /**
   * The manifest, checked against the checksums pinned at first upload: the manifest's own SHA-256 and every
   * zip's name, size and SHA-256 must be the pinned ones. A manifest replaced afterwards is refused.
   */
  async readPinnedManifest(version: string): Promise<Manifest> {
    const manifestBytes = await this.getRequired(version, MANIFEST_FILE);
    const manifest = this.parseManifest(version, manifestBytes);
    const pinBytes = await this.getRequired(version, PINNED_CHECKSUMS_FILE, 'checksums were never pinned');
    const parsed = PinnedChecksumsSchema.safeParse(JSON.parse(Buffer.from(pinBytes).toString('utf8')));
    if (!parsed.success || parsed.data.version !== version) {
      throw new ArtifactIntegrityError(`${version}/${PINNED_CHECKSUMS_FILE} is not valid pinned checksums`);
    }
    const pinned: PinnedChecksums = parsed.data;
    const describe = (files: readonly ManifestFile[]) =>
      JSON.stringify([...files].sort((a, b) => a.name.localeCompare(b.name)));
    if (
      sha256Hex(manifestBytes) !== pinned.manifestSha256 ||
      describe(manifest.files) !== describe(pinned.files)
    ) {
      throw new ArtifactIntegrityError(
        `${version}/${MANIFEST_FILE} differs from the checksums pinned at first upload (${pinned.pinnedAt}): ` +
          `the manifest was replaced; refusing to deploy ${version}`,
      );
    }
    return manifest;
  }

  /** The version's manifest, validated; a missing one means the version was never (fully) built. */
  async readManifest(version: string): Promise<Manifest> {
    return this.parseManifest(version, await this.getRequired(version, MANIFEST_FILE));
  }

  private async getRequired(version: string, file: string, why?: string): Promise<Uint8Array> {
    try {
      return await this.getBytes(`${version}/${file}`);
    } catch (err) {
      if (isNotFound(err)) {
        throw new ArtifactIntegrityError(
          `s3://${this.bucket}/${version}/${file} is missing${why ? ` (${why}); refusing to deploy ${version}` : ''}`,
        );
      }
      throw err;
    }
  }

  private parseManifest(version: string, bytes: Uint8Array): Manifest {
    const parsed = ManifestSchema.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8')));
    if (!parsed.success) {
      throw new ArtifactIntegrityError(
        `${version}/${MANIFEST_FILE} is not a valid manifest: ${parsed.error.message}`,
      );
    }
    if (parsed.data.version !== version) {
      throw new ArtifactIntegrityError(`${version}/${MANIFEST_FILE} describes ${parsed.data.version}`);
    }
    return parsed.data;
  }

  /** Downloads one artifact and verifies size and SHA-256 against the manifest before anyone can use it. */
  async fetchVerified(version: string, file: ManifestFile): Promise<VerifiedArtifact> {
    const key = `${version}/${file.name}`;
    let res;
    try {
      res = await this.s3.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: key, ChecksumMode: 'ENABLED' }),
      );
    } catch (err) {
      if (isNotFound(err)) {
        throw new ArtifactIntegrityError(
          `s3://${this.bucket}/${key} is missing; refusing to deploy ${version}`,
        );
      }
      throw err;
    }
    const bytes = Buffer.from((await res.Body?.transformToByteArray()) ?? new Uint8Array());
    const actual = sha256Hex(bytes);
    if (bytes.length !== file.size || actual !== file.sha256) {
      throw new ArtifactIntegrityError(
        `s3://${this.bucket}/${key} does not match the manifest (sha256 ${actual}, expected ${file.sha256}); ` +
          `refusing to deploy ${version}`,
      );
    }
    return { file, bytes, bucket: this.bucket, key, s3VersionId: res.VersionId ?? null };
  }

  /** Stores a promotion record of this client's own stage under the version; never overwrites one. */
  async recordPromotion(record: PromotionRecord): Promise<string> {
    const valid = PromotionRecordSchema.parse(record);
    if (valid.environment !== this.recordsFor) {
      throw new RecordWriterError(
        `refusing to write a ${valid.environment} promotion record from ` +
          `${this.recordsFor ? `the ${this.recordsFor} stage` : 'a client bound to no stage'}: ` +
          `only ${valid.environment}'s own deploy role writes ${valid.version}/${PROMOTIONS_PREFIX}${valid.environment}-*`,
      );
    }
    const stamp = valid.at.replace(/[:.]/g, '-');
    const body = Buffer.from(`${JSON.stringify(valid, null, 2)}\n`);
    for (let n = 0; ; n += 1) {
      const key = `${valid.version}/${PROMOTIONS_PREFIX}${valid.environment}-${stamp}${n ? `-${n}` : ''}.json`;
      if (await this.exists(key)) continue;
      await this.putOnce(key, body, sha256Hex(body), 'application/json');
      return key;
    }
  }

  /** Every version prefix in the vault, in semver order. */
  async listVersions(): Promise<string[]> {
    const prefixes = await this.list({ Delimiter: '/' }, (res) =>
      (res.CommonPrefixes ?? []).map((p) => p.Prefix),
    );
    return prefixes
      .map((p) => p.replace(/\/$/, ''))
      .filter((p) => ReleaseVersionSchema.safeParse(p).success)
      .sort(semver.compare);
  }

  /**
   * The version's promotion records in time order: by `at`, then by key (S3 lists keys in order, and a
   * record written in the same millisecond as another gets the next `-N` suffix). A record whose key names
   * another stage than its content is refused: stage roles may only write under their own prefix.
   */
  async listPromotions(version: string): Promise<PromotionRecord[]> {
    const keys = await this.list({ Prefix: `${version}/${PROMOTIONS_PREFIX}` }, (res) =>
      (res.Contents ?? []).map((c) => c.Key),
    );
    const records: { key: string; record: PromotionRecord }[] = [];
    for (const key of keys.filter((k) => k.endsWith('.json'))) {
      const bytes = await this.getBytes(key);
      const record = PromotionRecordSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8')));
      if (
        !key.startsWith(`${version}/${PROMOTIONS_PREFIX}${record.environment}-`) ||
        record.version !== version
      ) {
        throw new ArtifactIntegrityError(
          `s3://${this.bucket}/${key} holds a ${record.version} ${record.environment} record; refusing a forged record`,
        );
      }
      records.push({ key, record });
    }
    return records
      .sort((a, b) => a.record.at.localeCompare(b.record.at) || compareKeys(a.key, b.key))
      .map((r) => r.record);
  }

  /** Current time from the injected clock, so records and manifests agree with tests. */
  now(): Date {
    return this.clock();
  }

  private async putOnce(key: string, body: Buffer, sha256: string, contentType: string): Promise<void> {
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: body,
          ContentType: contentType,
          ContentLength: body.length,
          ChecksumSHA256: hexToBase64(sha256),
          IfNoneMatch: '*',
        }),
      );
    } catch (err) {
      const status = STATUS_CODE(err);
      if (status === 412 || status === 409) {
        throw new VersionExistsError(`vault refuses: s3://${this.bucket}/${key} already exists`);
      }
      throw err;
    }
  }

  private async exists(key: string): Promise<boolean> {
    try {
      await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  }

  private async getBytes(key: string): Promise<Uint8Array> {
    const res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    return (await res.Body?.transformToByteArray()) ?? new Uint8Array();
  }

  private async list(
    params: { Prefix?: string; Delimiter?: string },
    pick: (res: {
      Contents?: { Key?: string }[];
      CommonPrefixes?: { Prefix?: string }[];
    }) => (string | undefined)[],
  ): Promise<string[]> {
    const out: string[] = [];
    let token: string | undefined;
    do {
      const res = await this.s3.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          ...params,
          ContinuationToken: token,
          ...(this.pageSize ? { MaxKeys: this.pageSize } : {}),
        }),
      );
      out.push(...pick(res).filter((v): v is string => typeof v === 'string'));
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return out;
  }
}
