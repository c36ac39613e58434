import * as z from 'zod/mini';
import './zod-locale.ts';

/** Product ids as the legacy system issues them: 1 to 64 characters, letters, digits, `_` and `-`. */
export const PRODUCT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export const ProductIdSchema = z.string().check(
  z.regex(PRODUCT_ID_PATTERN, {
    error: 'must be 1 to 64 letters, digits, "_" or "-", starting with a letter or digit',
  }),
);

/** Users are identified by UUID only; the id is lower-cased so one person has one audit partition. */
export const UserIdSchema = z.pipe(
  z.uuid({ error: 'must be a UUID' }),
  z.transform((id: string) => id.toLowerCase()),
);

const ISO_4217 = new Set(Intl.supportedValuesOf('currency'));

export const CurrencySchema = z.string().check(
  z.regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code' }),
  z.refine((code) => ISO_4217.has(code), { error: 'must be an ISO 4217 code' }),
);

const DECIMAL_2DP = /^(0|[1-9]\d{0,12})(?:\.(\d{1,2}))?$/;

/**
 * Turns a database amount into integer minor units. Oracle NUMBER is fetched as a string (no float
 * rounding on the way), the embedded engine returns a JS number whose shortest form is the stored literal.
 * Anything with more than two decimals, a sign or an exponent is refused as corrupt data.
 */
export const parseMinorUnits = (amount: string | number): number | undefined => {
  const text = typeof amount === 'number' ? (Number.isFinite(amount) ? String(amount) : '') : amount.trim();
  const match = DECIMAL_2DP.exec(text);
  if (!match) return undefined;
  const [, whole = '0', fraction = ''] = match;
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
};

/** A row of `product_prices`, keys lower-cased, as either SQL engine returns it. */
export const PriceRowSchema = z.object({
  product_id: ProductIdSchema,
  price: z.pipe(
    z.union([z.string(), z.number()]).check(
      z.refine((amount) => parseMinorUnits(amount) !== undefined, {
        error: 'price is not a non-negative amount with at most 2 decimals',
      }),
    ),
    z.transform((amount: string | number) => parseMinorUnits(amount)!),
  ),
  currency: CurrencySchema,
});
export type PriceRow = z.infer<typeof PriceRowSchema>;

/** The price as the API returns it. `price` is a JSON number with at most two decimals. */
export const PriceSchema = z.object({
  productId: ProductIdSchema,
  price: z.number().check(
    z.nonnegative(),
    z.refine(
      (value) =>
        Number.isInteger(Math.round(value * 100)) && Math.abs(value * 100 - Math.round(value * 100)) < 1e-6,
      { error: 'must have at most 2 decimals' },
    ),
  ),
  currency: CurrencySchema,
});
export type Price = z.infer<typeof PriceSchema>;

export const priceFromRow = (row: PriceRow): Price => ({
  productId: row.product_id,
  price: row.price / 100,
  currency: row.currency,
});
