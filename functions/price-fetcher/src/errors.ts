import { ErrorCode } from '#common/constants/error-codes.ts';
import { AppError } from '#common/errors/app-errors.ts';

/** The product id is valid but has no price in the source. */
export class PriceNotFoundError extends AppError {
  override name = 'PriceNotFoundError';

  constructor(message?: string) {
    super(ErrorCode.PriceNotFound, message);
  }
}
