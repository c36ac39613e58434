import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

export type ErrorBody = components['schemas']['ErrorBody'];
export type ConfigItem = components['schemas']['ConfigItem'];
export type Price = components['schemas']['Price'];
export type PutConfigBody = components['schemas']['PutConfigBody'];

/**
 * The typed client of the API: paths, parameters and bodies come from openapi.json (generated from the
 * functions' Zod schemas), so a call the API would refuse for its shape does not compile. Every request
 * carries the signed-in user's access token; nothing else identifies the user.
 */
export const createApiClient = (baseUrl: string, accessToken: () => string | undefined) => {
  const client = createClient<paths>({ baseUrl });
  client.use({
    onRequest({ request }) {
      const token = accessToken();
      if (token) request.headers.set('Authorization', `Bearer ${token}`);
      return request;
    },
  });
  return client;
};
export type ApiClient = ReturnType<typeof createApiClient>;

/** The request id of an answer: the response header (exposed by CORS), else the error body's. */
export const requestIdOf = (response: Response | undefined, error?: unknown): string | undefined =>
  response?.headers.get('x-request-id') ??
  ((error as Partial<ErrorBody> | undefined)?.error?.requestId || undefined);
