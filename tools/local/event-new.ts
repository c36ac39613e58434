// Writes a new API Gateway REST proxy event for `npm run invoke:*`, `sam local invoke -e` and tests, with the
// full shape of `sam local generate-event apigateway aws-proxy`.
// Usage: npm run event:new -- <name> --method GET --path /price --query id=PROD-101 [--query k=v]...
//          [--header 'Name: value']... [--path-param name=value]... [--body '<json>'] [--dir <folder>] [--force]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { HttpMethod } from '#infra-local/lite/event-spec.ts';
import { DEFAULT_EVENT_USER, HTTP_METHODS, buildApiEvent } from '#infra-local/lite/event-spec.ts';
import { ROLE_PERMISSIONS, ROLES, isRole } from '#common/constants/roles.ts';
import { repoRoot } from '#build/paths.ts';
import { formatForRepo } from '#infra-local/lite/prettier-format.ts';

const USAGE =
  "usage: npm run event:new -- <name> --method GET --path /x [--query a=b]... [--header 'Name: value']... [--path-param id=1]... [--body '<json>'] [--user <uuid>] [--role <role>[,<role>...]] [--anonymous] [--dir <folder>] [--force]";

const fail = (message: string): never => {
  process.stderr.write(`event:new: ${message}\n${USAGE}\n`);
  process.exit(2);
};

/** Splits `name<sep>value` at the first separator; the name must not be empty. */
const pair = (text: string, separator: string, what: string): [string, string] => {
  const at = text.indexOf(separator);
  if (at <= 0) return fail(`${what} "${text}" is not in the form name${separator}value`);
  return [text.slice(0, at).trim(), text.slice(at + 1).trim()];
};

const parsed = (() => {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        method: { type: 'string', short: 'm' },
        path: { type: 'string', short: 'p' },
        query: { type: 'string', short: 'q', multiple: true, default: [] },
        header: { type: 'string', short: 'H', multiple: true, default: [] },
        'path-param': { type: 'string', multiple: true, default: [] },
        body: { type: 'string' },
        user: { type: 'string', short: 'u' },
        role: { type: 'string', short: 'r', multiple: true, default: [] },
        anonymous: { type: 'boolean', default: false },
        dir: { type: 'string' },
        force: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    return fail((error as Error).message);
  }
})();
const { values, positionals } = parsed;

if (positionals.length !== 1) fail('name exactly one event, e.g. price-discount-event');
const name = positionals[0]!.replace(/\.json$/, '');
if (!/^[a-z0-9][a-z0-9-]{0,63}$/.test(name))
  fail(`"${name}" is not a file name of lower-case letters, digits and "-"`);

const method = (values.method ?? fail('--method is required')).toUpperCase();
if (!(HTTP_METHODS as readonly string[]).includes(method))
  fail(`--method must be one of ${HTTP_METHODS.join(', ')}`);
const path = values.path ?? fail('--path is required');
if (!path.startsWith('/')) fail('--path must start with "/"');

let body: string | null = null;
if (values.body !== undefined) {
  try {
    // Stored as API Gateway delivers it: the raw text, compacted so the file stays one JSON document.
    body = JSON.stringify(JSON.parse(values.body));
  } catch {
    fail('--body must be JSON');
  }
}

// The caller the authorizer proved (requestContext.authorizer): by default the recorded events' user, with
// the roles that allow this route. --anonymous writes an event that never passed the authorizer (401).
if (values.anonymous && (values.user !== undefined || values.role.length > 0))
  fail('--anonymous takes no --user or --role');
const user = (values.user ?? DEFAULT_EVENT_USER).toLowerCase();
if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(user))
  fail('--user must be a UUID');
const givenRoles = values.role
  .flatMap((text) => text.split(','))
  .map((role) => role.trim())
  .filter(Boolean);
const unknownRoles = givenRoles.filter((role) => !isRole(role));
if (unknownRoles.length > 0) fail(`unknown role ${unknownRoles.join(', ')}; known: ${ROLES.join(', ')}`);
const roles =
  givenRoles.length > 0
    ? givenRoles
    : ROLES.filter((role) =>
        ROLE_PERMISSIONS[role].some((route) => route.method === method && route.path === path),
      );

let event;
try {
  event = buildApiEvent({
    method: method as HttpMethod,
    path,
    query: values.query.map((text) => pair(text, '=', '--query')),
    headers: values.header.map((text) => pair(text, ':', '--header')),
    pathParameters: Object.fromEntries(values['path-param'].map((text) => pair(text, '=', '--path-param'))),
    body,
    caller: values.anonymous ? null : { userId: user, roles },
  });
} catch (error) {
  fail((error as Error).message);
}

const root = repoRoot();
const dir = values.dir ? resolve(values.dir) : join(root, 'infra-local', 'events');
const file = join(dir, `${name}.json`);
if (existsSync(file) && !values.force) {
  process.stderr.write(`event:new: ${relative(process.cwd(), file)} exists; pass --force to replace it\n`);
  process.exit(1);
}
mkdirSync(dir, { recursive: true });
writeFileSync(file, await formatForRepo(file, JSON.stringify(event)));
process.stdout.write(`event:new: wrote ${relative(process.cwd(), file)} (${method} ${event!.path})\n`);
