import type { Price } from '#common/models/price.ts';
import { PriceNotFoundError } from './errors.ts';

/**
 * The port to the price source, implemented by repository-sql.ts (Oracle or the embedded engine).
 * `Session` is the request's connection, opaque to the service: the middleware owns its lifecycle.
 */
export interface PriceRepository<Session> {
  findByProductId(productId: string, session: Session): Promise<Price | undefined>;
}

/** Business rules for price lookups. Pure logic over the repository port; built once per container. */
export class PriceService<Session> {
  private readonly prices: PriceRepository<Session>;

  constructor(deps: { prices: PriceRepository<Session> }) {
    this.prices = deps.prices;
  }

  async getPrice(productId: string, session: Session): Promise<Price> {
    const price = await this.prices.findByProductId(productId, session);
    if (!price) throw new PriceNotFoundError(`No price exists for product ${productId}.`);
    return price;
  }
}
