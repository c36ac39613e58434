import * as z from 'zod';
import { ENVIRONMENTS, PROMOTION_RESULTS } from './constants.ts';

/** A release version as it appears in tags and vault prefixes: `v` plus a plain semver core. */
export const ReleaseVersionSchema = z.string().regex(/^v(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$/, {
  message: 'expected a version like v1.4.0',
});
export type ReleaseVersion = z.infer<typeof ReleaseVersionSchema>;

const Sha256HexSchema = z.string().regex(/^[0-9a-f]{64}$/, { message: 'expected a lowercase hex SHA-256' });

export const ManifestFileSchema = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]+\.zip$/),
  size: z.number().int().nonnegative(),
  sha256: Sha256HexSchema,
});
export type ManifestFile = z.infer<typeof ManifestFileSchema>;

/** `s3://<vault>/<version>/manifest.json`: what was built, from which commit, by whom. */
export const ManifestSchema = z.object({
  version: ReleaseVersionSchema,
  commit: z.string().regex(/^[0-9a-f]{40}$/, { message: 'expected a full git commit SHA' }),
  builtAt: z.iso.datetime(),
  builder: z.string().min(1),
  files: z.array(ManifestFileSchema).min(1),
});
export type Manifest = z.infer<typeof ManifestSchema>;

/** `s3://<vault>/<version>/checksums.json`: the SHA-256 of every zip, as the first upload saw it. */
export const PinnedChecksumsSchema = z.object({
  version: ReleaseVersionSchema,
  pinnedAt: z.iso.datetime(),
  builder: z.string().min(1),
  manifestSha256: Sha256HexSchema,
  files: z.array(ManifestFileSchema).min(1),
});
export type PinnedChecksums = z.infer<typeof PinnedChecksumsSchema>;

export const PromotionFunctionSchema = z.object({
  functionName: z.string().min(1),
  file: z.string().min(1),
  sha256: Sha256HexSchema,
  /** The Lambda version (or local equivalent) the alias was moved to, when a deployment happened. */
  deployedVersion: z.string().optional(),
  rolledBackTo: z.string().nullable().optional(),
});
export type PromotionFunction = z.infer<typeof PromotionFunctionSchema>;

/** `s3://<vault>/<version>/promotions/<env>-<timestamp>.json`: one event in a version's life. */
export const PromotionRecordSchema = z.object({
  version: ReleaseVersionSchema,
  environment: z.enum(ENVIRONMENTS),
  result: z.enum(PROMOTION_RESULTS),
  actor: z.string().min(1),
  at: z.iso.datetime(),
  run: z.string().min(1),
  commit: z.string().optional(),
  functions: z.array(PromotionFunctionSchema).default([]),
  note: z.string().optional(),
});
export type PromotionRecord = z.infer<typeof PromotionRecordSchema>;
