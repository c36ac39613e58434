import type { ApiClient } from '../api/client.ts';
import { requestIdOf } from '../api/client.ts';
import { byId, show } from './dom.ts';
import type { Message } from './messages.ts';
import { describeFailure, networkFailure } from './messages.ts';

/** The amount as people read it in their locale, with the currency's own number of decimals. */
export const formatPrice = (price: number, currency: string): string =>
  new Intl.NumberFormat(undefined, { style: 'currency', currency }).format(price);

/** The price lookup: a form with the "Product" input, the price, the product and the request id. */
export const mountLookup = (api: ApiClient, onSignInAgain: (message: string) => void): void => {
  const form = byId<HTMLFormElement>('lookup-form');
  const input = byId<HTMLInputElement>('product');
  const result = byId('lookup-result');
  const errorBox = byId('lookup-error');
  const retry = byId<HTMLButtonElement>('lookup-retry');

  const fail = (failure: Message) => {
    show(result, false);
    byId('lookup-error-text').textContent = failure.text;
    show(retry, failure.retry);
    show(errorBox);
    if (failure.signInAgain) onSignInAgain(failure.text);
  };

  const lookUp = async () => {
    const id = input.value.trim();
    show(errorBox, false);
    let outcome;
    try {
      outcome = await api.GET('/price', { params: { query: { id } } });
    } catch {
      return fail(networkFailure());
    }
    const { data, error, response } = outcome;
    if (!data) {
      return fail(
        describeFailure(response.status, error, { subject: `price for product ${id}`, role: 'price-reader' }),
      );
    }
    byId('result-product').textContent = data.productId;
    byId('result-price').textContent = formatPrice(data.price, data.currency);
    byId('result-request-id').firstElementChild!.textContent = requestIdOf(response) ?? 'unknown';
    show(result);
  };

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void lookUp();
  });
  retry.addEventListener('click', () => void lookUp());
};
