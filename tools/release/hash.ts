import { createHash } from 'node:crypto';

/** Lowercase hex SHA-256, the form the manifest and the tags' release notes use. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Base64 SHA-256, the form S3 checksums and Lambda's CodeSha256 use. */
export function hexToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}
