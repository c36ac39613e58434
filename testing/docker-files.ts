import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { yamlParse } from 'yaml-cfn';
import { composeFilePath } from '#infra-local/docker/compose-stack.ts';

export const root = process.cwd();

/**
 * The schemas of what cannot run here live beside the repository (../shared/schemas), never in it. Where the
 * folder is missing, the suites that need it say so and skip, rather than pass silently.
 */
export const sharedSchema = (file: string): { path: string; schema?: Record<string, unknown> } => {
  const path = resolve(root, '..', 'shared', 'schemas', file);
  if (!existsSync(path)) {
    console.warn(`SKIPPED: ${path} is missing, so the checks against it did not run`);
    return { path };
  }
  return { path, schema: JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown> };
};

export interface ComposeService {
  image: string;
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string | string[]; interval?: string; timeout?: string; retries?: number };
  extra_hosts?: string[];
  networks?: string[];
}
export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
  networks?: Record<string, { name?: string }>;
}

export const composeFile = (): ComposeFile =>
  yamlParse(readFileSync(composeFilePath(root), 'utf8')) as ComposeFile;

/** A bind mount `./x:/y[:ro]`, resolved like Compose does: relative to the compose file's folder. */
export interface Mount {
  source: string;
  target: string;
  bind: boolean;
}
export const mountsOf = (service: ComposeService): Mount[] =>
  (service.volumes ?? []).map((spec) => {
    const [source = '', target = ''] = spec.split(':');
    const bind = source.startsWith('.') || source.startsWith('/');
    return { source: bind ? resolve(dirname(composeFilePath(root)), source) : source, target, bind };
  });

/** host port published for a container port (`'1521:1521'`). */
export const publishedPort = (service: ComposeService, containerPort: number): number | undefined => {
  for (const spec of service.ports ?? []) {
    const parts = spec.split(':');
    if (Number(parts[parts.length - 1]) === containerPort) return Number(parts[parts.length - 2]);
  }
  return undefined;
};

export const oracleInitDir = join(root, 'infra-local', 'seed', 'oracle');
