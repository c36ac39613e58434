// Prints a signed access token from the local issuer, for curl, Postman and the frontend (docs/auth.md).
// Usage: npm run token -- --user <uuid> --role <role>[,<role>...] [--env-vars <file.json>]
// The token is alone on the last line of stdout; notes go to stderr.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ROLES, isRole } from '#common/constants/roles.ts';
import { repoRoot } from '#build/paths.ts';
import { liteApiAuthorizer } from '#infra-local/lite/lite-env.ts';
import { signInWithAuthorizationCode } from './identity/authorization-code.ts';
import { ensureLocalIssuer } from './identity/ensure-issuer.ts';

const USAGE = 'usage: npm run token -- --user <uuid> --role <role>[,<role>...]';
const fail = (message: string): never => {
  process.stderr.write(`token: ${message}\n${USAGE}\n`);
  process.exit(2);
};

const { values } = (() => {
  try {
    return parseArgs({
      options: {
        user: { type: 'string', short: 'u' },
        role: { type: 'string', short: 'r', multiple: true, default: [] },
        'env-vars': { type: 'string', short: 'n' },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();

const user = values.user ?? fail('--user is required');
if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(user))
  fail('--user must be a UUID (it becomes the audit partition USER#<uuid>)');
const roles = values.role
  .flatMap((text) => text.split(','))
  .map((role) => role.trim())
  .filter(Boolean);
if (roles.length === 0) fail(`--role is required: one or more of ${ROLES.join(', ')}`);
const unknown = roles.filter((role) => !isRole(role));
if (unknown.length > 0) fail(`unknown role ${unknown.join(', ')}; known: ${ROLES.join(', ')}`);

const root = repoRoot();
const authorizer =
  liteApiAuthorizer(root, values['env-vars'] ? resolve(values['env-vars']) : undefined) ??
  fail('the template declares no API authorizer');
const issuer = await ensureLocalIssuer({ root, env: authorizer.env });
try {
  if (issuer.started)
    process.stderr.write(
      `token: no issuer answered at ${authorizer.env.JWKS_URL}; signed with the persisted local key (start one with npm run dev:env)\n`,
    );
  // The very flow a browser uses: /authorize with login_hint and roles, then /token with the PKCE verifier.
  const tokens = await signInWithAuthorizationCode(issuer.url, { user, roles });
  process.stderr.write(
    `token: ${roles.join(',')} for ${user.toLowerCase()}, valid ${tokens.expires_in ?? 3600} s\n`,
  );
  process.stdout.write(`${tokens.access_token}\n`);
} catch (error) {
  fail((error as Error).message);
} finally {
  await issuer.stop();
}
