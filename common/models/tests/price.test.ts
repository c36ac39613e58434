import { CurrencySchema, PriceRowSchema, parseMinorUnits, priceFromRow } from '../price.ts';

describe('prices without float surprises', () => {
  it.each([
    ['99.99', 9999],
    [99.99, 9999],
    ['0.10', 10],
    [0.1, 10],
    ['1234567.89', 123456789],
    [1234567.89, 123456789],
    ['1500', 150000],
    [0, 0],
  ])('reads %p as %d minor units', (amount, minor) => {
    expect(parseMinorUnits(amount)).toBe(minor);
  });

  it.each(['99.999', '-1.00', '1e3', 'abc', '', Number.NaN, Number.POSITIVE_INFINITY, 1.005])(
    'refuses %p',
    (amount) => {
      expect(parseMinorUnits(amount)).toBeUndefined();
    },
  );

  it('turns an Oracle-style row (NUMBER fetched as string) into the API price', () => {
    const row = PriceRowSchema.parse({ product_id: 'PROD-BIG', price: '1234567.89', currency: 'USD' });
    expect(priceFromRow(row)).toEqual({ productId: 'PROD-BIG', price: 1234567.89, currency: 'USD' });
  });

  it('accepts ISO 4217 codes only', () => {
    expect(CurrencySchema.safeParse('JPY').success).toBe(true);
    expect(CurrencySchema.safeParse('XYZ').success).toBe(false);
    expect(CurrencySchema.safeParse('usd').success).toBe(false);
  });
});
