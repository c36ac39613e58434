import { S3Client } from '@aws-sdk/client-s3';
import { PRIMARY_REGION } from './constants.ts';

export interface S3ClientOptions {
  /** A local S3 endpoint (s3rver); unset means real S3 through the standard credential chain. */
  endpoint?: string | undefined;
  region?: string;
}

/** The vault's S3 client, tuned for a local emulator when an endpoint is given. */
export function createVaultS3Client({ endpoint, region = PRIMARY_REGION }: S3ClientOptions = {}): S3Client {
  if (!endpoint) return new S3Client({ region });
  return new S3Client({
    region,
    endpoint,
    forcePathStyle: true,
    // s3rver corrupts aws-chunked streaming uploads, which the SDK uses when it computes checksums itself.
    // The vault sends its own ChecksumSHA256 on every put, so nothing is lost.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    // s3rver accepts any key pair; real endpoints never reach this branch.
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'S3RVER',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'S3RVER',
    },
  });
}
