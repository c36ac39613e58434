import { join } from 'node:path';
import type { CommandRunner } from './command-runner.ts';
import { NOT_INSTALLED } from './command-runner.ts';

/** Fixed project name, so every command (and a teammate's own `docker compose -p`) finds the same stack. */
export const COMPOSE_PROJECT = 'pricing-local';
/** The compose network, named in docker-compose.yml; `sam local --docker-network` joins it. */
export const DOCKER_NETWORK = 'pricing-local';
/** The services dev:env waits for, in the order their progress is shown. */
export const STACK_SERVICES = ['oracle', 'dynamodb'] as const;

export const composeFilePath = (root: string): string => join(root, 'infra-local', 'docker-compose.yml');

/** `docker compose -p pricing-local -f <file> <args>` as an argv for `docker`. */
export const composeArgs = (root: string, ...args: string[]): string[] => [
  'compose',
  '-p',
  COMPOSE_PROJECT,
  '-f',
  composeFilePath(root),
  ...args,
];

export class DockerStackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DockerStackError';
  }
}

/** True when a Docker engine answers `docker info` within the time limit (installed and running). */
export const dockerEngineAnswers = async (runner: CommandRunner, timeoutMs = 3000): Promise<boolean> =>
  (await runner('docker', ['info', '--format', '{{.ServerVersion}}'], { timeoutMs })).code === 0;

export type LocalMode = 'lite' | 'docker';

/**
 * Which stores dev:env starts: what the flags say, else docker when an engine answers and lite stores are
 * not already running (they hold port 8000), else lite.
 */
export const chooseMode = async (input: {
  docker: boolean;
  lite: boolean;
  engineAnswers: () => Promise<boolean>;
  liteRunning: boolean;
}): Promise<{ mode: LocalMode; reason: string }> => {
  if (input.docker && input.lite) throw new DockerStackError('pass --docker or --lite, not both');
  if (input.lite) return { mode: 'lite', reason: '--lite' };
  if (input.docker) return { mode: 'docker', reason: '--docker' };
  if (input.liteRunning) return { mode: 'lite', reason: 'lite stores already running' };
  return (await input.engineAnswers())
    ? { mode: 'docker', reason: 'a Docker engine answers (pass --lite for the Docker-free stores)' }
    : { mode: 'lite', reason: 'no Docker engine answers' };
};

export interface ServiceState {
  /** Docker's State.Status (`running`, `exited`, ...) or `missing` when the service has no container. */
  status: string;
  /** Docker's State.Health.Status (`starting`, `healthy`, `unhealthy`) or `none`. */
  health: string;
}

/** The state of one compose service's container. */
export const serviceState = async (
  runner: CommandRunner,
  root: string,
  service: string,
): Promise<ServiceState> => {
  const listed = await runner('docker', composeArgs(root, 'ps', '--all', '--quiet', service));
  const id = listed.stdout.trim().split(/\s+/)[0];
  if (listed.code !== 0 || !id) return { status: 'missing', health: 'none' };
  const inspected = await runner('docker', [
    'inspect',
    '--format',
    '{{.State.Status}} {{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}',
    id,
  ]);
  if (inspected.code !== 0) return { status: 'missing', health: 'none' };
  const [status = 'missing', health = 'none'] = inspected.stdout.trim().split(/\s+/);
  return { status, health };
};

export interface WaitOptions {
  runner: CommandRunner;
  root: string;
  timeoutMs: number;
  pollMs?: number;
  services?: readonly string[];
  /** Receives a one-line progress report after every poll. */
  progress: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

const logsHint = (root: string, service: string): string =>
  `see: docker ${composeArgs(root, 'logs', service).join(' ')}`;

/**
 * Polls each service's health check until all report healthy. Fails fast on a container that exited or
 * turned unhealthy, and after `timeoutMs` with the services still not ready. No fixed sleeps: the
 * containers' own health checks decide.
 */
export const waitForHealthy = async (options: WaitOptions): Promise<Record<string, ServiceState>> => {
  const { runner, root, timeoutMs, progress } = options;
  const services = options.services ?? STACK_SERVICES;
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const pollMs = options.pollMs ?? 2000;
  const started = now();

  for (;;) {
    const states: Record<string, ServiceState> = {};
    for (const service of services) states[service] = await serviceState(runner, root, service);
    const elapsed = Math.round((now() - started) / 1000);
    progress(
      `${services.map((service) => `${service}: ${states[service]!.health === 'none' ? states[service]!.status : states[service]!.health}`).join(', ')} (${elapsed} s of ${Math.round(timeoutMs / 1000)} s)`,
    );

    for (const service of services) {
      const { status, health } = states[service]!;
      if (status === 'missing')
        throw new DockerStackError(`service ${service} has no container; ${logsHint(root, service)}`);
      if (status === 'exited' || status === 'dead')
        throw new DockerStackError(`service ${service} stopped (${status}); ${logsHint(root, service)}`);
      if (health === 'unhealthy')
        throw new DockerStackError(`service ${service} is unhealthy; ${logsHint(root, service)}`);
    }
    if (services.every((service) => states[service]!.health === 'healthy')) return states;
    if (now() - started >= timeoutMs) {
      const waiting = services.filter((service) => states[service]!.health !== 'healthy');
      throw new DockerStackError(
        `timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${waiting.join(', ')} to be healthy ` +
          `(a first Oracle start creates the database and can take several minutes: retry with --timeout); ` +
          logsHint(root, waiting[0]!),
      );
    }
    await sleep(pollMs);
  }
};

const requireDocker = (code: number, stderr: string, what: string): void => {
  if (code === NOT_INSTALLED) throw new DockerStackError('docker is not installed (not on PATH)');
  if (code !== 0) throw new DockerStackError(`${what} failed (exit ${code}): ${stderr.trim()}`);
};

/**
 * Starts Oracle XE and DynamoDB Local (`docker compose up -d`), waits for both health checks, then runs
 * `seed` (the DynamoDB tables; Oracle seeds itself from its init scripts on the first start).
 */
export const startDockerStack = async <T>(
  options: WaitOptions & { seed: () => Promise<T> },
): Promise<{ states: Record<string, ServiceState>; seeded: T }> => {
  const { runner, root } = options;
  const up = await runner('docker', composeArgs(root, 'up', '--detach'));
  requireDocker(up.code, up.stderr, 'docker compose up');
  const states = await waitForHealthy(options);
  return { states, seeded: await options.seed() };
};

/** The ids of the stack's containers, running or stopped. Empty when Docker is absent or nothing exists. */
export const stackContainers = async (runner: CommandRunner, root: string): Promise<string[]> => {
  const listed = await runner('docker', composeArgs(root, 'ps', '--all', '--quiet'), { timeoutMs: 10_000 });
  return listed.code === 0 ? listed.stdout.split(/\s+/).filter(Boolean) : [];
};

/** Stops and removes the stack's containers and network. Named volumes (the data) are kept. */
export const stopDockerStack = async (runner: CommandRunner, root: string): Promise<void> => {
  const down = await runner('docker', composeArgs(root, 'down'));
  requireDocker(down.code, down.stderr, 'docker compose down');
};
