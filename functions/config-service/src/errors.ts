import { ErrorCode } from '#common/constants/error-codes.ts';
import { AppError } from '#common/errors/app-errors.ts';

/** The name is well formed but the registry holds no such key. */
export class ConfigNotFoundError extends AppError {
  override name = 'ConfigNotFoundError';

  constructor(message?: string) {
    super(ErrorCode.ConfigNotFound, message);
  }
}

/** Optimistic locking: the caller's expectedVersion is no longer the latest. */
export class VersionConflictError extends AppError {
  override name = 'VersionConflictError';

  constructor(message?: string) {
    super(ErrorCode.VersionConflict, message);
  }
}

/** The config table could not be read or written in time (or at all). */
export class ConfigUnavailableError extends AppError {
  override name = 'ConfigUnavailableError';

  constructor(cause?: unknown) {
    super(ErrorCode.ConfigUnavailable, 'The configuration store is temporarily unavailable.', { cause });
  }
}
