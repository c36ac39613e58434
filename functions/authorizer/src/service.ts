import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { errors, jwtVerify } from 'jose';
import * as z from 'zod/mini';
import type { Role } from '#common/constants/roles.ts';
import { ROLES } from '#common/constants/roles.ts';
import { MAX_AUTHORIZATION_HEADER_BYTES, RolesClaimSchema, SubjectSchema } from './dto.ts';

/** Only asymmetric algorithms: `none` and HMAC (signable with the public key) are refused by jose. */
export const ACCEPTED_ALGORITHMS = ['RS256', 'ES256'];
export const CLOCK_SKEW_SECONDS = 60;

/** Why a token was refused: logged and counted, never returned to the caller. */
export type AuthenticationFailure =
  | 'missing-token'
  | 'malformed-header'
  | 'token-too-large'
  | 'malformed-token'
  | 'algorithm-not-allowed'
  | 'unknown-key'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'claim-invalid'
  | 'subject-invalid'
  | 'roles-claim-invalid';

/** The caller is not authenticated: API Gateway answers 401. */
export class AuthenticationError extends Error {
  override name = 'AuthenticationError';
  readonly reason: AuthenticationFailure;
  /** The subject when the token verified but a claim was wrong; never the token. */
  readonly subject: string | undefined;

  constructor(reason: AuthenticationFailure, options: { cause?: unknown; subject?: string } = {}) {
    super(`Token refused: ${reason}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.reason = reason;
    this.subject = options.subject;
  }
}

/** The issuer's keys could not be had in time: not the caller's fault, so not a 401 (API Gateway: 500). */
export class KeySetUnavailableError extends Error {
  override name = 'KeySetUnavailableError';
}

export interface VerifiedCaller {
  userId: string;
  /** Known roles only, in table order, each once. */
  roles: Role[];
}

export interface TokenVerifierOptions {
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
  rolesClaim: string;
}

const failureOf = (error: unknown): AuthenticationFailure | 'keys-unavailable' => {
  if (error instanceof errors.JWTExpired) return 'expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'not-yet-valid';
    if (error.claim === 'iss') return 'wrong-issuer';
    if (error.claim === 'aud') return 'wrong-audience';
    return 'claim-invalid';
  }
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return 'algorithm-not-allowed';
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys)
    return 'unknown-key';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad-signature';
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return 'keys-unavailable';
  // The base class itself is what jose throws when the key set answer is not a 200.
  if (error instanceof errors.JOSEError && error.code !== 'ERR_JOSE_GENERIC') return 'malformed-token';
  // Anything else comes from fetching the key set (network errors, a non-200 answer).
  return 'keys-unavailable';
};

/** The bearer token of an `Authorization` value, or why there is none. */
export const bearerToken = (header: string | undefined): string => {
  if (header === undefined || header.trim() === '') throw new AuthenticationError('missing-token');
  if (Buffer.byteLength(header, 'utf8') > MAX_AUTHORIZATION_HEADER_BYTES)
    throw new AuthenticationError('token-too-large');
  const match = /^Bearer +([A-Za-z0-9_.~+/=-]+)\s*$/i.exec(header);
  if (!match) throw new AuthenticationError('malformed-header');
  return match[1]!;
};

/**
 * Verifies an access token against the issuer's key set: signature (RS256/ES256 only), `iss`, `aud`,
 * `exp` and `nbf` with at most 60 s of skew, a UUID `sub`, and a well-typed roles claim. Throws
 * AuthenticationError (401) for anything the caller got wrong, KeySetUnavailableError when the keys
 * could not be fetched.
 */
export class TokenVerifier {
  private readonly options: TokenVerifierOptions;

  constructor(options: TokenVerifierOptions) {
    this.options = options;
  }

  async verify(authorization: string | undefined): Promise<VerifiedCaller> {
    const token = bearerToken(authorization);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.options.keys, {
        algorithms: ACCEPTED_ALGORITHMS,
        issuer: this.options.issuer,
        audience: this.options.audience,
        clockTolerance: CLOCK_SKEW_SECONDS,
        requiredClaims: ['exp', 'sub'],
      }));
    } catch (error) {
      const failure = failureOf(error);
      if (failure === 'keys-unavailable')
        throw new KeySetUnavailableError('The key set could not be fetched', { cause: error });
      throw new AuthenticationError(failure, { cause: error });
    }
    const subject = z.safeParse(SubjectSchema, payload.sub);
    if (!subject.success) throw new AuthenticationError('subject-invalid');
    const claim = payload[this.options.rolesClaim];
    let names: string[] = [];
    if (claim !== undefined) {
      const parsed = z.safeParse(RolesClaimSchema, claim);
      if (!parsed.success) throw new AuthenticationError('roles-claim-invalid', { subject: subject.data });
      names = parsed.data;
    }
    const roles = ROLES.filter((role) => names.includes(role));
    return { userId: subject.data, roles };
  }
}
