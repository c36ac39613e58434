import type { Price } from '#common/models/price.ts';
import { PriceNotFoundError } from '../src/errors.ts';
import type { PriceRepository } from '../src/service.ts';
import { PriceService } from '../src/service.ts';

/** A small in-memory fake of the repository port; the session is whatever the caller passes. */
class InMemoryPrices implements PriceRepository<string> {
  readonly sessions: string[] = [];
  private readonly prices: Map<string, Price>;

  constructor(prices: Price[]) {
    this.prices = new Map(prices.map((price) => [price.productId, price]));
  }

  async findByProductId(productId: string, session: string): Promise<Price | undefined> {
    this.sessions.push(session);
    return this.prices.get(productId);
  }
}

describe('PriceService', () => {
  const prices = new InMemoryPrices([{ productId: 'PROD-101', price: 99.99, currency: 'USD' }]);
  const service = new PriceService({ prices });

  it('returns the price of a known product through the request session', async () => {
    await expect(service.getPrice('PROD-101', 'session-1')).resolves.toEqual({
      productId: 'PROD-101',
      price: 99.99,
      currency: 'USD',
    });
    expect(prices.sessions).toContain('session-1');
  });

  it('throws PriceNotFoundError (404, audited NOT_FOUND) for an unknown product', async () => {
    const failure = service.getPrice('PROD-999', 'session-2');
    await expect(failure).rejects.toBeInstanceOf(PriceNotFoundError);
    await expect(failure).rejects.toMatchObject({
      statusCode: 404,
      code: 'PRICE_NOT_FOUND',
      auditStatus: 'NOT_FOUND',
    });
  });
});
