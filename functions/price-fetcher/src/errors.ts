import { ErrorCode } from '#common/constants/error-codes.ts';
import { AppError } from '#common/errors/app-errors.ts';

/** The product id is valid but has no price in the source. */
export class PriceNotFoundError extends AppError {
  override name = 'PriceNotFoundError';

  constructor(message?: string) {
    super(ErrorCode.PriceNotFound, message);
  }
}

/**
 * maintenanceMode is on: no price is read or served, so clients show their maintenance notice. Retry-After
 * says when this container reads the switch again.
 */
export class MaintenanceError extends AppError {
  override name = 'MaintenanceError';

  constructor(retryAfterSeconds: number) {
    super(ErrorCode.Maintenance, undefined, { headers: { 'Retry-After': String(retryAfterSeconds) } });
  }
}
