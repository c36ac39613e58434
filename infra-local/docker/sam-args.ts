import { DOCKER_NETWORK } from './compose-stack.ts';

/**
 * Docker Desktop (macOS, Windows) defines host.docker.internal in every container; Docker Engine on Linux does
 * not. `host-gateway` is the engine's alias for the host's address (Docker 20.10+), so with this mapping the
 * template's host.docker.internal values work on Linux too.
 */
export const HOST_GATEWAY_MAPPING = 'host.docker.internal:host-gateway';

interface CommonSamOptions {
  templateFile: string;
  platform?: NodeJS.Platform;
  /** Starts the function container in debug mode, with the Node inspector on this port. */
  debugPort?: number;
  /** A `--env-vars` JSON file (same format as infra-local/env/lite.json). */
  envVarsFile?: string;
  /** Template parameters, e.g. `{ Stage: 'dev' }`. */
  parameterOverrides?: Record<string, string>;
  /** Passed to SAM unchanged, after ours. */
  extra?: string[];
}

const commonArgs = (options: CommonSamOptions): string[] => [
  '--template',
  options.templateFile,
  // Join the compose network, so the function containers also reach the services by name (oracle, dynamodb).
  '--docker-network',
  DOCKER_NETWORK,
  ...((options.platform ?? process.platform) === 'linux' ? ['--add-host', HOST_GATEWAY_MAPPING] : []),
  ...(options.debugPort !== undefined ? ['--debug-port', String(options.debugPort)] : []),
  ...(options.envVarsFile ? ['--env-vars', options.envVarsFile] : []),
  ...(options.parameterOverrides && Object.keys(options.parameterOverrides).length > 0
    ? [
        '--parameter-overrides',
        Object.entries(options.parameterOverrides)
          .map(([key, value]) => `ParameterKey=${key},ParameterValue=${value}`)
          .join(' '),
      ]
    : []),
];

/** argv for `sam local invoke <LogicalId> -t <template> -e <event> ...` on the code already built in dist/. */
export const samInvokeArgs = (
  options: CommonSamOptions & { logicalId: string; eventFile: string },
): string[] => [
  'local',
  'invoke',
  options.logicalId,
  '--event',
  options.eventFile,
  ...commonArgs(options),
  ...(options.extra ?? []),
];

/**
 * argv for `sam local start-api -t <template> ...`. Containers are kept warm (LAZY: started on the first
 * request to each function, then reused), which turns SAM's per-request container start into a one-off.
 */
export const samStartApiArgs = (options: CommonSamOptions & { port: number; host?: string }): string[] => [
  'local',
  'start-api',
  '--port',
  String(options.port),
  '--host',
  options.host ?? '127.0.0.1',
  '--warm-containers',
  'LAZY',
  ...commonArgs(options),
  ...(options.extra ?? []),
];
