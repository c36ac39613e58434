import { silentListener } from '#testing/silent-listener.ts';
import { ensureLiteStores } from '../stores.ts';

describe('ensureLiteStores', () => {
  it('refuses, naming the endpoint, when something holds the DynamoDB port but does not answer', async () => {
    const listener = await silentListener();
    const endpoint = `http://127.0.0.1:${listener.port}`;
    try {
      await expect(
        ensureLiteStores({ root: process.cwd(), env: { DYNAMODB_ENDPOINT: endpoint } }),
      ).rejects.toThrow(`Something listens on ${endpoint} but does not answer DynamoDB requests`);
      // It asked twice (a short probe, then a patient one) before trying to start a store there.
      expect(listener.accepted()).toBeGreaterThanOrEqual(2);
    } finally {
      await listener.close();
    }
  });
});
