import type { ErrorBody } from '../api/client.ts';

/** What the page says about a failed call: its own words, never the raw body. */
export interface Message {
  text: string;
  /** Offer a retry: the failure is temporary. */
  retry: boolean;
  /** The token was refused: the page returns to sign-in. */
  signInAgain: boolean;
}

/** The API's field names, as the page labels them. */
const FIELD_LABELS: Readonly<Record<string, string>> = {
  id: 'Product',
  value: 'Value',
  expectedVersion: 'Version',
  key: 'Key',
};

export interface FailureContext {
  /** What was asked, for the sentence: "product PROD-9", "key maintenanceMode". */
  subject: string;
  /** The role the action needs, named on a 403. */
  role: string;
}

const message = (text: string, extra: Partial<Message> = {}): Message => ({
  text,
  retry: false,
  signInAgain: false,
  ...extra,
});

/** A distinct message for each status the API documents for the action. */
export const describeFailure = (status: number, body: unknown, context: FailureContext): Message => {
  const error = (body as Partial<ErrorBody> | undefined)?.error;
  switch (status) {
    case 400: {
      const detail = error?.details?.[0];
      if (!detail) return message('The request was refused as invalid.');
      const label = FIELD_LABELS[detail.field] ?? detail.field;
      return message(`${label}: ${detail.issue}.`);
    }
    case 401:
      return message('Your session has ended or was not accepted. Please sign in again.', {
        signInAgain: true,
      });
    case 403:
      return message(`You are signed in, but your account lacks the role ${context.role} needed for this.`);
    case 404:
      return message(`Not found: there is no ${context.subject}.`);
    case 503:
      switch (error?.code) {
        // Switched on by an operator (config-service's maintenanceMode), not a fault: the one way a
        // price-reader, who cannot read /config, learns of it.
        case 'MAINTENANCE':
          return message('Prices are unavailable during scheduled maintenance. Try again later.', {
            retry: true,
          });
        case 'AUDIT_UNAVAILABLE':
          return message(
            'The audit trail is unavailable, so no price can be shown: every lookup must be recorded first. Try again in a moment.',
            { retry: true },
          );
        default:
          return message('The service is temporarily unavailable. Try again in a moment.', { retry: true });
      }
    default:
      return message(
        `Something went wrong (HTTP ${status}${error?.requestId ? `, request id ${error.requestId}` : ''}).`,
        { retry: status >= 500 },
      );
  }
};

export const networkFailure = (): Message =>
  message('The pricing API could not be reached. Check your connection and try again.', { retry: true });
