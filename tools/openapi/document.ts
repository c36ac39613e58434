import * as z from 'zod/mini';
import { createDocument } from 'zod-openapi';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject, ZodOpenApiResponseObject } from 'zod-openapi';
import { ErrorCode } from '#common/constants/error-codes.ts';
import { HttpHeader } from '#common/constants/http.ts';
import { ErrorBodySchema } from '#common/models/error.ts';
import { GatewayErrorSchema, registerSchemaDocs } from './schemas.ts';
import { ROLES } from '#common/constants/roles.ts';
import { API_OPERATIONS, API_TAGS, COMPONENT_SCHEMAS, rolesOf } from './operations.ts';
import type { ApiOperation } from './operations.ts';
import type { HeaderDoc } from './errors.ts';
import { ERROR_HEADERS, errorExample, errorsOnEveryRoute, statusOf } from './errors.ts';

export const SECURITY_SCHEME = 'bearerJwt';

const requestIdHeaders = {
  [HttpHeader.requestId]: {
    description: 'The request id: the same as `error.requestId` and the audit item. Quote it to support.',
    schema: { type: 'string' as const },
  },
  [HttpHeader.correlationId]: {
    description: 'The caller’s `x-correlation-id` when well-formed, else the request id.',
    schema: { type: 'string' as const },
  },
};

const GATEWAY_ANSWERS: Readonly<Record<number, { description: string; message: string }>> = {
  401: { description: 'No token, or the token was refused by the authorizer.', message: 'Unauthorized' },
  403: {
    description: 'The token is valid but does not carry the role this route needs.',
    message: 'User is not authorized to access this resource',
  },
  413: { description: 'The request body is over API Gateway’s 10 MB quota.', message: 'Request Too Long' },
  502: { description: 'The function failed or timed out.', message: 'Internal server error' },
};

const jsonContent = (
  schema: z.ZodMiniType,
  examples: Record<string, { summary: string; value: unknown }>,
) => ({
  'application/json': { schema, examples },
});

/** One response per status: its error codes' examples, and the gateway's own body where it can answer too. */
const errorResponses = (operation: ApiOperation): Record<string, ZodOpenApiResponseObject> => {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of [...errorsOnEveryRoute(), ...operation.errors]) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  for (const status of Object.keys(GATEWAY_ANSWERS).map(Number)) {
    if (!byStatus.has(status)) byStatus.set(status, []);
  }
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const status of [...byStatus.keys()].sort((a, b) => a - b)) {
    const codes = byStatus.get(status)!;
    const gateway = GATEWAY_ANSWERS[status];
    const examples: Record<string, { summary: string; value: unknown }> = Object.fromEntries(
      codes.map((code) => [code, { summary: code, value: errorExample(code, operation) }]),
    );
    if (gateway)
      examples[`gateway${status}`] = { summary: 'API Gateway', value: { message: gateway.message } };
    const schema = gateway
      ? codes.length > 0
        ? z.union([ErrorBodySchema, GatewayErrorSchema])
        : GatewayErrorSchema
      : ErrorBodySchema;
    const codeHeaders: Record<string, HeaderDoc> = {};
    for (const code of codes) Object.assign(codeHeaders, ERROR_HEADERS[code]);
    const described = [
      ...codes.map((code) => {
        const headers = Object.keys(ERROR_HEADERS[code] ?? {});
        return headers.length > 0
          ? `\`${code}\` (with ${headers.map((name) => `\`${name}\``).join(', ')})`
          : `\`${code}\``;
      }),
      ...(gateway ? [`API Gateway: ${gateway.description}`] : []),
    ].join('; ');
    responses[String(status)] = {
      description: described,
      ...(codes.length > 0 ? { headers: { ...requestIdHeaders, ...codeHeaders } } : {}),
      content: jsonContent(schema, examples),
    };
  }
  return responses;
};

const toOperation = (operation: ApiOperation): ZodOpenApiOperationObject => {
  const roles = rolesOf(operation);
  if (roles.length === 0) {
    throw new Error(
      `${operation.method.toUpperCase()} ${operation.path}: no role allows it in common/constants/roles.ts`,
    );
  }
  const named = roles.map((role) => `\`${role}\``).join(' or ');
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    description: `${operation.description}\n\nRequires a bearer token whose \`roles\` claim holds ${named}.`,
    tags: [operation.tag],
    // One requirement per role: any one of them is enough (OpenAPI ANDs the roles listed in one).
    security: roles.map((role) => ({ [SECURITY_SCHEME]: [role] })),
    'x-required-roles': roles,
    ...(operation.requestParams ? { requestParams: operation.requestParams } : {}),
    ...(operation.requestBody
      ? {
          requestBody: {
            required: true,
            content: jsonContent(operation.requestBody.schema, operation.requestBody.examples),
          },
        }
      : {}),
    responses: {
      '200': {
        description: operation.success.description,
        headers: { ...requestIdHeaders, ...operation.success.headers },
        content: jsonContent(operation.success.schema, {
          ok: { summary: 'Success', value: operation.success.example },
        }),
      },
      ...errorResponses(operation),
    },
  };
};

const OUTPUT_SUFFIX = 'Output';

/**
 * zod-openapi renders a registered component once per direction and names the response form `<Name>Output`
 * when the two differ (in responses Zod closes objects with `additionalProperties: false`). Our registered
 * response schemas are never request schemas, so the response form takes the plain name.
 */
const preferOutputNames = <D extends { components?: { schemas?: Record<string, unknown> } }>(doc: D): D => {
  const schemas = doc.components?.schemas ?? {};
  let text = JSON.stringify(doc);
  for (const name of Object.keys(schemas)) {
    const plain = name.slice(0, -OUTPUT_SUFFIX.length);
    if (!name.endsWith(OUTPUT_SUFFIX) || !(plain in schemas)) continue;
    if (text.includes(`"#/components/schemas/${plain}"`)) continue;
    const parsed = JSON.parse(text) as D;
    const renamed = parsed.components!.schemas!;
    renamed[plain] = renamed[name];
    delete renamed[name];
    text = JSON.stringify(parsed).replaceAll(
      `"#/components/schemas/${name}"`,
      `"#/components/schemas/${plain}"`,
    );
  }
  return JSON.parse(text) as D;
};

/**
 * The OpenAPI 3.1 document of the API, generated from the Zod schemas the functions validate with.
 * `npm run openapi` writes it to openapi.json; `npm run lint` fails when that file is out of date.
 */
export const buildOpenApiDocument = (): ReturnType<typeof createDocument> => {
  registerSchemaDocs(
    API_OPERATIONS.flatMap((operation) =>
      operation.requestParams?.query ? [operation.requestParams.query] : [],
    ),
  );
  const paths: ZodOpenApiPathsObject = {};
  for (const operation of API_OPERATIONS) {
    paths[operation.path] = { ...paths[operation.path], [operation.method]: toOperation(operation) };
  }
  const document = createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Pricing API',
      version: '1.0.0',
      description:
        'Prices from the legacy price source, and versioned system configuration. Every request that ' +
        'reaches a function is audited; errors are `{"error":{"code","message","requestId","details?"}}` ' +
        'with a stable `code`, and never carry a stack, SQL or driver text. Generated from the Zod schemas ' +
        'in functions/*/src/dto.ts and common/models by `npm run openapi`: do not edit by hand.',
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'npm run start-api' }],
    tags: [...API_TAGS],
    security: [{ [SECURITY_SCHEME]: [] }],
    paths,
    components: {
      securitySchemes: {
        [SECURITY_SCHEME]: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description:
            'An OIDC access token from the configured issuer (locally `npm run token`), audience ' +
            '`pricing-api`. Its `sub` is the user id; its `roles` claim lists the caller’s roles: ' +
            `${ROLES.map((role) => `\`${role}\``).join(', ')}. Each operation names the role it needs.`,
        },
      },
      schemas: COMPONENT_SCHEMAS,
      responses: {
        // Not an answer of any operation: what every path answers to a method it does not serve.
        MethodNotAllowed: {
          description:
            'A method the path does not serve. API Gateway answers `{"message":"Method Not Allowed"}`; a ' +
            'function invoked directly answers `METHOD_NOT_ALLOWED`. Both carry `Allow`.',
          headers: {
            Allow: { description: 'The methods this path serves.', schema: { type: 'string' } },
          },
          content: jsonContent(z.union([ErrorBodySchema, GatewayErrorSchema]), {
            [ErrorCode.MethodNotAllowed]: {
              summary: ErrorCode.MethodNotAllowed,
              value: errorExample(ErrorCode.MethodNotAllowed, { path: '/price', method: 'get' }),
            },
            gateway405: { summary: 'API Gateway', value: { message: 'Method Not Allowed' } },
          }),
        },
      },
    },
  });
  return preferOutputNames(document);
};
