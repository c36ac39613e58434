import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { repoRoot } from '#build/paths.ts';

/** One HTTP answer to check against openapi.json. */
export interface ContractResponse {
  method: string;
  /** The request path (`/config/maintenanceMode`) or the route template (`/config/{key}`). */
  path: string;
  status: number;
  headers?: Record<string, string | number | boolean | undefined> | undefined;
  /** The body text, as the client received it. */
  body: string | undefined | null;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>>;
}

const DOCUMENT_ID = 'openapi.json';

// ajv-formats is CommonJS: its function is the module itself under Node, `.default` under the test transform.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as unknown as (ajv: Ajv2020) => void;

const pointer = (...parts: string[]): string =>
  parts.map((part) => part.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');

/** `/config/{key}` as a regular expression over request paths; a parameter is one path segment. */
const templatePattern = (template: string): RegExp =>
  new RegExp(
    `^${template
      .split(/(\{[^}]+\})/)
      .map((part) => (part.startsWith('{') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('')}$`,
  );

/**
 * Checks HTTP answers against the committed OpenAPI 3.1 document with ajv's draft 2020-12 validator (the
 * schema dialect of OpenAPI 3.1) and ajv-formats. Used by the handler tests and by `npm run test:api` for
 * every response newman receives.
 */
export class OpenApiContract {
  readonly document: OpenApiDocument;
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly templates: Array<{ template: string; pattern: RegExp }>;

  constructor(document?: OpenApiDocument) {
    this.document =
      document ?? (JSON.parse(readFileSync(join(repoRoot(), DOCUMENT_ID), 'utf8')) as OpenApiDocument);
    // Not strict: the document carries OpenAPI's own keywords (example) beside JSON Schema's.
    this.ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats(this.ajv);
    this.ajv.addSchema(this.document, DOCUMENT_ID);
    this.templates = Object.keys(this.document.paths).map((template) => ({
      template,
      pattern: templatePattern(template),
    }));
  }

  /** The route template a request path falls under, if the document has one. */
  templateOf(path: string): string | undefined {
    if (Object.hasOwn(this.document.paths, path)) return path;
    return this.templates.find(({ pattern }) => pattern.test(path))?.template;
  }

  /** What is wrong with the answer, in words; empty when it matches the document. */
  violations(response: ContractResponse): string[] {
    const method = response.method.toLowerCase();
    const template = this.templateOf(response.path.split('?')[0]!);
    const what = `${response.method.toUpperCase()} ${template ?? response.path} ${response.status}`;
    const operation = template ? this.document.paths[template]?.[method] : undefined;
    if (method === 'options' && response.status === 204 && !response.body) return []; // a CORS preflight
    if (!template || !operation) {
      // The gateway (or a function invoked directly) refusing a route or method the API does not have.
      if (response.status !== 404 && response.status !== 405 && response.status !== 403) {
        return [`${what}: the document has no ${template ? 'such method on this path' : 'such path'}`];
      }
      return this.check(what, response.body, [
        pointer('#', 'components', 'schemas', 'ErrorBody'),
        pointer('#', 'components', 'schemas', 'GatewayError'),
      ]);
    }
    const status = String(response.status);
    if (!Object.hasOwn(operation.responses, status)) {
      return [`${what}: status ${status} is not documented for this operation`];
    }
    const media = operation.responses[status]!.content?.['application/json'];
    if (!media) return [];
    const contentType = Object.entries(response.headers ?? {}).find(
      ([name]) => name.toLowerCase() === 'content-type',
    )?.[1];
    if (contentType !== undefined && !String(contentType).startsWith('application/json')) {
      return [`${what}: content-type ${String(contentType)}, the document says application/json`];
    }
    return this.check(what, response.body, [
      pointer('#', 'paths', template, method, 'responses', status, 'content', 'application/json', 'schema'),
    ]);
  }

  /** Throws, listing every violation, when the answer does not match the document. */
  assert(response: ContractResponse): void {
    const problems = this.violations(response);
    if (problems.length > 0)
      throw new Error(`response does not match openapi.json:\n  ${problems.join('\n  ')}`);
  }

  /** The body must parse as JSON and match at least one of the schemas at `refs`. */
  private check(what: string, body: string | undefined | null, refs: string[]): string[] {
    let value: unknown;
    try {
      value = JSON.parse(body ?? '');
    } catch {
      return [`${what}: the body is not JSON`];
    }
    const errors: string[] = [];
    for (const ref of refs) {
      const validate = this.validator(ref);
      if (validate(value)) return [];
      errors.push(
        ...(validate.errors ?? []).map(
          (error) => `${what}: ${error.instancePath || '(body)'} ${error.message ?? 'is invalid'}`,
        ),
      );
    }
    return errors;
  }

  private validator(ref: string): ValidateFunction {
    let validate = this.validators.get(ref);
    if (!validate) {
      validate = this.ajv.compile({ $ref: `${DOCUMENT_ID}${ref}` });
      this.validators.set(ref, validate);
    }
    return validate;
  }
}

let shared: OpenApiContract | undefined;
/** One contract per process: the document is read and its schemas compiled once. */
export const openApiContract = (): OpenApiContract => (shared ??= new OpenApiContract());
