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
import { MANIFEST_FILE, PROMOTIONS_PREFIX } from './constants.ts';
import {
  ManifestSchema,
  PromotionRecordSchema,
  ReleaseVersionSchema,
  type Manifest,
  type ManifestFile,
  type PromotionRecord,
} from './model.ts';
import { ArtifactIntegrityError, ReleaseError, VersionExistsError } from './errors.ts';
import { hexToBase64, sha256Hex } from './hash.ts';

export interface VaultOptions {
  bucket: string;
  s3: S3Client;
  clock?: () => Date;
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

/** The immutable artifact store: `s3://<bucket>/<version>/<function>.zip` plus a manifest and promotion records. */
export class Vault {
  readonly bucket: string;
  private readonly s3: S3Client;
  private readonly clock: () => Date;

  constructor({ bucket, s3, clock = () => new Date() }: VaultOptions) {
    this.bucket = bucket;
    this.s3 = s3;
    this.clock = clock;
  }

  /** True when anything exists under the version prefix; an abandoned build still counts. */
  async versionExists(version: string): Promise<boolean> {
    // No MaxKeys: 1: a truncated listing makes s3rver mint a DES continuation token, which OpenSSL 3 rejects.
    const res = await this.s3.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${version}/` }));
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
    // Written last: a version without a manifest is an interrupted upload, never deployable.
    const body = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    await this.putOnce(`${version}/${MANIFEST_FILE}`, body, sha256Hex(body), 'application/json');
    return manifest;
  }

  /** The version's manifest, validated; a missing one means the version was never (fully) built. */
  async readManifest(version: string): Promise<Manifest> {
    let bytes: Uint8Array;
    try {
      bytes = await this.getBytes(`${version}/${MANIFEST_FILE}`);
    } catch (err) {
      if (isNotFound(err)) {
        throw new ArtifactIntegrityError(`s3://${this.bucket}/${version}/${MANIFEST_FILE} is missing`);
      }
      throw err;
    }
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

  /** Stores a promotion record under the version; never overwrites an earlier one. */
  async recordPromotion(record: PromotionRecord): Promise<string> {
    const valid = PromotionRecordSchema.parse(record);
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

  /** The version's promotion records, oldest first. */
  async listPromotions(version: string): Promise<PromotionRecord[]> {
    const keys = await this.list({ Prefix: `${version}/${PROMOTIONS_PREFIX}` }, (res) =>
      (res.Contents ?? []).map((c) => c.Key),
    );
    const records: PromotionRecord[] = [];
    for (const key of keys.filter((k) => k.endsWith('.json'))) {
      const bytes = await this.getBytes(key);
      records.push(PromotionRecordSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8'))));
    }
    return records.sort((a, b) => a.at.localeCompare(b.at));
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
        new ListObjectsV2Command({ Bucket: this.bucket, ...params, ContinuationToken: token }),
      );
      out.push(...pick(res).filter((v): v is string => typeof v === 'string'));
      token = res.IsTruncated ? res.NextContinuationToken : undefined;
    } while (token);
    return out;
  }
}
