import * as z from 'zod/mini';
import '#common/models/zod-locale.ts';
import { UserIdSchema } from '#common/models/price.ts';

/** API Gateway's limit on a TOKEN authorizer's identity source is far above any sane token: refuse early. */
export const MAX_AUTHORIZATION_HEADER_BYTES = 8 * 1024;

/** The event API Gateway sends a REST TOKEN authorizer. */
export const TokenAuthorizerEventSchema = z.object({
  type: z.literal('TOKEN'),
  authorizationToken: z.optional(z.string()),
  methodArn: z.string().check(z.regex(/^arn:aws[a-z-]*:execute-api:[^:]*:[^:]*:[^/]+\/[^/]+\/[A-Z]+\/.*$/)),
});
export type TokenAuthorizerEvent = z.infer<typeof TokenAuthorizerEventSchema>;

/** `sub` is the audit partition: a UUID, lower-cased so one person has one partition. */
export const SubjectSchema = UserIdSchema;

/** A roles claim: a list of names, or one string of names separated by commas or spaces. */
export const RolesClaimSchema = z.union([
  z.array(z.string().check(z.maxLength(128))).check(z.maxLength(64)),
  z.pipe(
    z.string().check(z.maxLength(2048)),
    z.transform((text: string) => text.split(/[\s,]+/).filter(Boolean)),
  ),
]);
