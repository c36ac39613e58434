// Docker cannot run on the machines this suite runs on, so the Docker-mode orchestration is tested against a
// fake of the docker CLI: it executes nothing, records every command, and answers `docker inspect` with a
// scripted sequence of health states. The real runner is tested separately on commands that exist here.
import { join } from 'node:path';
import type { CommandResult, CommandRunner } from '../docker/command-runner.ts';
import { NOT_INSTALLED, runCommand } from '../docker/command-runner.ts';
import {
  COMPOSE_PROJECT,
  DockerStackError,
  chooseMode,
  composeFilePath,
  startDockerStack,
  stopDockerStack,
} from '../docker/compose-stack.ts';

const root = process.cwd();
const COMPOSE = ['compose', '-p', COMPOSE_PROJECT, '-f', composeFilePath(root)];

/** Scripted `docker`: each service walks through its states, one per poll; the last state repeats. */
const fakeDocker = (script: Record<string, string[]>, overrides: Record<string, CommandResult> = {}) => {
  const calls: string[] = [];
  const polls: Record<string, number> = {};
  const runner: CommandRunner = async (command, args) => {
    const line = [command, ...args].join(' ');
    calls.push(line);
    for (const [prefix, result] of Object.entries(overrides)) if (line.startsWith(prefix)) return result;
    const ps = line.match(/ ps --all --quiet (\w+)$/);
    if (ps) return { code: 0, stdout: script[ps[1]!] ? `${ps[1]}-container-id\n` : '', stderr: '' };
    const inspect = line.match(/^docker inspect .* (\w+)-container-id$/);
    if (inspect) {
      const service = inspect[1]!;
      const states = script[service]!;
      const state = states[Math.min(polls[service] ?? 0, states.length - 1)]!;
      polls[service] = (polls[service] ?? 0) + 1;
      return { code: 0, stdout: `${state}\n`, stderr: '' };
    }
    return { code: 0, stdout: '', stderr: '' };
  };
  return { runner, calls };
};

/** A clock that moves only when the code under test sleeps: no real waiting, no timing in assertions. */
const fakeClock = () => {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
};

const start = (runner: CommandRunner, timeoutMs = 60_000) => {
  const progress: string[] = [];
  const seed = jest.fn(async () => ({ 'pricing-audit-local': 'created' }));
  const clock = fakeClock();
  const run = startDockerStack({
    runner,
    root,
    timeoutMs,
    pollMs: 2000,
    progress: (line) => progress.push(line),
    seed,
    ...clock,
  });
  return { run, progress, seed };
};

describe('startDockerStack', () => {
  it('starts the compose stack, waits until both health checks pass, then seeds DynamoDB once', async () => {
    const { runner, calls } = fakeDocker({
      oracle: ['running starting', 'running starting', 'running healthy'],
      dynamodb: ['running starting', 'running healthy'],
    });
    const { run, progress, seed } = start(runner);

    const { states, seeded } = await run;

    expect(calls[0]).toBe(['docker', ...COMPOSE, 'up', '--detach'].join(' '));
    expect(states).toEqual({
      oracle: { status: 'running', health: 'healthy' },
      dynamodb: { status: 'running', health: 'healthy' },
    });
    expect(progress).toEqual([
      'oracle: starting, dynamodb: starting (0 s of 60 s)',
      'oracle: starting, dynamodb: healthy (2 s of 60 s)',
      'oracle: healthy, dynamodb: healthy (4 s of 60 s)',
    ]);
    expect(seed).toHaveBeenCalledTimes(1);
    expect(seeded).toEqual({ 'pricing-audit-local': 'created' });
  });

  it('when Oracle turns unhealthy, fails naming it with the logs command, and seeds nothing', async () => {
    const { runner } = fakeDocker({
      oracle: ['running starting', 'running unhealthy'],
      dynamodb: ['running healthy'],
    });
    const { run, seed } = start(runner);

    await expect(run).rejects.toThrow(
      new DockerStackError(
        `service oracle is unhealthy; see: docker ${[...COMPOSE, 'logs', 'oracle'].join(' ')}`,
      ),
    );
    expect(seed).not.toHaveBeenCalled();
  });

  it('when a container exits (e.g. an init script failed), fails at once instead of waiting for the timeout', async () => {
    const { runner, calls } = fakeDocker({ oracle: ['exited none'], dynamodb: ['running healthy'] });
    const { run } = start(runner);

    await expect(run).rejects.toThrow(/service oracle stopped \(exited\)/);
    expect(calls.filter((call) => call.startsWith('docker inspect'))).toHaveLength(2);
  });

  it('when a service never turns healthy, fails after the timeout naming it and the --timeout option', async () => {
    const { runner } = fakeDocker({ oracle: ['running starting'], dynamodb: ['running healthy'] });
    const { run, progress } = start(runner, 10_000);

    await expect(run).rejects.toThrow(/timed out after 10 s waiting for oracle to be healthy .*--timeout/);
    expect(progress.at(-1)).toBe('oracle: starting, dynamodb: healthy (10 s of 10 s)');
  });

  it('when docker compose up fails, reports its error and polls nothing', async () => {
    const { runner, calls } = fakeDocker(
      {},
      {
        'docker compose': {
          code: 1,
          stdout: '',
          stderr: 'Bind for 0.0.0.0:8000 failed: port is already allocated\n',
        },
      },
    );
    const { run } = start(runner);

    await expect(run).rejects.toThrow(
      'docker compose up failed (exit 1): Bind for 0.0.0.0:8000 failed: port is already allocated',
    );
    expect(calls).toHaveLength(1);
  });

  it('when docker is not installed, says so', async () => {
    const { runner } = fakeDocker({}, { docker: { code: NOT_INSTALLED, stdout: '', stderr: '' } });
    await expect(start(runner).run).rejects.toThrow('docker is not installed (not on PATH)');
  });
});

describe('stopDockerStack', () => {
  it('runs docker compose down, keeping the named volumes (no -v)', async () => {
    const { runner, calls } = fakeDocker({});
    await stopDockerStack(runner, root);
    expect(calls).toEqual([['docker', ...COMPOSE, 'down'].join(' ')]);
  });
});

describe('chooseMode', () => {
  const engine = (answers: boolean) => jest.fn(async () => answers);

  it.each([
    [{ docker: false, lite: false, liteRunning: false }, true, 'docker'],
    [{ docker: false, lite: false, liteRunning: false }, false, 'lite'],
    [{ docker: false, lite: true, liteRunning: false }, true, 'lite'],
    [{ docker: true, lite: false, liteRunning: false }, false, 'docker'],
    [{ docker: false, lite: false, liteRunning: true }, true, 'lite'],
  ])('with %o and an engine that answers=%s, picks %s', async (flags, answers, mode) => {
    expect((await chooseMode({ ...flags, engineAnswers: engine(answers) })).mode).toBe(mode);
  });

  it('refuses --docker together with --lite', async () => {
    await expect(
      chooseMode({ docker: true, lite: true, liteRunning: false, engineAnswers: engine(true) }),
    ).rejects.toThrow('pass --docker or --lite, not both');
  });
});

describe('runCommand (the real runner)', () => {
  it('returns the exit code and output of a command, without a shell', async () => {
    const result = await runCommand(process.execPath, ['-e', 'process.stdout.write("a b"); process.exit(3)']);
    expect(result).toMatchObject({ code: 3, stdout: 'a b' });
  });

  it('returns 127 for a program that is not installed', async () => {
    const result = await runCommand(join(root, 'no-such-program'), []);
    expect(result.code).toBe(NOT_INSTALLED);
  });
});
