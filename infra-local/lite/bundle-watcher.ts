import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, watch, writeFileSync } from 'node:fs';
import type { FSWatcher } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import { buildOptions } from '#build/build-options.ts';

/** Folders whose changes can change a bundle. dist/, node_modules/ and the template are not watched. */
export const WATCHED_FOLDERS = ['functions', 'common'] as const;
/** Editors often write a file in several steps; changes this close together make one rebuild. */
const SETTLE_MS = 15;

export interface BundleWatcherOptions {
  root: string;
  /** Function folder names (`price-fetcher`), as the template's CodeUri gives them. */
  names: string[];
  /** Keep watching after the first build (hot reload). */
  watch: boolean;
  /** Called once a changed bundle is on disk, before the next change is handled. */
  onReload: (name: string) => Promise<void>;
  log: (line: string) => void;
  /**
   * When a change affects several functions, the ones with the highest value rebuild first (start-api passes
   * when each last served a request: the function being worked on is served again soonest).
   */
  priority?: (name: string) => number;
}

interface FunctionBuild {
  name: string;
  context: esbuild.BuildContext<{ write: false; metafile: true }>;
  /** Absolute paths of every file the last successful build read. */
  inputs: Set<string>;
  /**
   * The files the last written bundle consists of (entry, chunks, maps), absolute path to content hash:
   * what a rebuild compares with to write only changed files, and to skip the reload when none changed.
   */
  outputs: Map<string, string>;
  /** The last build failed: any change may be the fix (a file it could not resolve, for one). */
  failed: boolean;
  /** A cancel of this context's rebuild in progress; the next rebuild waits for it, as esbuild asks. */
  canceling: Promise<void> | undefined;
}

/**
 * Builds each function with an incremental esbuild context and, with `watch`, rebuilds on save: a change
 * under functions/ or common/ rebuilds only the bundles whose last build read that file, writes the files
 * whose bytes changed (atomically, so a starting environment never reads half a file), and calls `onReload`
 * for it. A build error is printed and the previous bundle keeps serving. A newer save cancels a rebuild it
 * makes stale and starts the round over (see flush).
 */
export class BundleWatcher {
  private readonly options: BundleWatcherOptions;
  private readonly builds: FunctionBuild[] = [];
  private readonly watchers: FSWatcher[] = [];
  private pending = new Set<string>();
  private firstChangeAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** The function whose esbuild rebuild is in progress. */
  private building: FunctionBuild | undefined;
  /** Functions a round of rebuilds had not finished when a newer change cut it short: they go next. */
  private unfinished = new Set<FunctionBuild>();
  private closed = false;

  private constructor(options: BundleWatcherOptions) {
    this.options = options;
  }

  /** Builds every function once (throwing on a build error), then watches if asked to. */
  static async start(options: BundleWatcherOptions): Promise<BundleWatcher> {
    const watcher = new BundleWatcher(options);
    try {
      for (const name of options.names) {
        // Silent: errors and warnings go through `log`, so the server's output stays in one place.
        const context = await esbuild.context({
          ...buildOptions(options.root, name),
          write: false,
          logLevel: 'silent',
        });
        watcher.builds.push({
          name,
          context,
          inputs: new Set(),
          outputs: new Map(),
          failed: false,
          canceling: undefined,
        });
      }
      const results = await Promise.all(watcher.builds.map((build) => watcher.rebuild(build)));
      const failed = watcher.builds
        .filter((_, index) => results[index] === 'failed')
        .map((build) => build.name);
      if (failed.length > 0) throw new Error(`Build failed for ${failed.join(', ')} (errors above)`);
      if (options.watch) watcher.watch();
      else await watcher.disposeContexts();
    } catch (error) {
      await watcher.close();
      throw error;
    }
    return watcher;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    for (const watcher of this.watchers.splice(0)) watcher.close();
    await this.running;
    await this.disposeContexts();
  }

  private async disposeContexts(): Promise<void> {
    await Promise.all(this.builds.splice(0).map((build) => build.context.dispose()));
  }

  private watch(): void {
    for (const folder of WATCHED_FOLDERS) {
      const dir = join(this.options.root, folder);
      if (!existsSync(dir)) continue;
      const watcher = watch(dir, { recursive: true }, (_event, filename) =>
        this.changed(filename ? join(dir, filename) : undefined),
      );
      watcher.on('error', (error) =>
        this.options.log(`hot reload: watching ${folder}/ failed: ${error.message}`),
      );
      this.watchers.push(watcher);
    }
  }

  /** Records a changed path (undefined: the platform did not say which) and schedules a rebuild. */
  private changed(path: string | undefined): void {
    if (this.closed) return;
    this.pending.add(path ?? '*');
    this.firstChangeAt ??= performance.now();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), SETTLE_MS);
    // A newer save of a file the bundle being built reads makes that bundle stale: stop building it and
    // start over with the new change (in priority order), rather than finish a bundle nobody will run.
    const building = this.building;
    if (building && !building.canceling && (path === undefined || building.inputs.has(path))) {
      building.canceling = building.context.cancel().finally(() => {
        building.canceling = undefined;
      });
    }
  }

  /** Rebuilds what the pending changes affect. Runs one at a time; changes made meanwhile run next. */
  private async flush(): Promise<void> {
    if (this.running || this.closed) return;
    const changes = this.pending;
    const since = this.firstChangeAt ?? performance.now();
    this.pending = new Set();
    this.firstChangeAt = undefined;
    const unfinished = this.unfinished;
    this.unfinished = new Set();
    const affected = this.builds.filter(
      (build) =>
        build.failed ||
        unfinished.has(build) ||
        changes.has('*') ||
        [...changes].some((path) => build.inputs.has(path)),
    );
    // A change in common/ usually touches every function. They are reloaded one at a time, most recently used
    // first, each with the whole machine: in parallel, every function would be served later than the first
    // of a sequence is, and until its turn a function keeps serving its previous bundle.
    const priority = this.options.priority ?? (() => 0);
    const ordered = [...affected].sort((a, b) => priority(b.name) - priority(a.name));
    this.running = (async () => {
      for (const [index, build] of ordered.entries()) {
        // Saved again meanwhile: what is left joins the next round, which orders everything afresh.
        if (this.pending.size > 0) {
          for (const left of ordered.slice(index)) this.unfinished.add(left);
          return;
        }
        const buildStarted = performance.now();
        const outcome = await this.rebuild(build);
        if (outcome === 'canceled') {
          for (const left of ordered.slice(index)) this.unfinished.add(left);
          return;
        }
        await this.reload(build, outcome, changes, since, buildStarted);
      }
    })();
    try {
      await this.running;
    } catch (error) {
      // A reload that fails (a new environment that cannot start, a file system error) must not stop the
      // server: say so, keep serving, and let the next save try again.
      this.options.log(`hot reload failed: ${(error as Error).message}`);
    } finally {
      this.running = undefined;
    }
    if (this.pending.size > 0 || this.unfinished.size > 0) void this.flush();
  }

  /** Once `build` is rebuilt: swaps its environments to the new bundle if the output changed, and logs it. */
  private async reload(
    build: FunctionBuild,
    outcome: 'changed' | 'unchanged' | 'failed',
    changes: Set<string>,
    since: number,
    buildStarted: number,
  ): Promise<void> {
    if (outcome !== 'changed' || this.closed) return;
    const built = performance.now();
    await this.options.onReload(build.name);
    // Only now, with no environment left on the previous bundle, can its lazily loaded chunks go.
    this.removeStaleOutputs(build);
    const files = [...changes]
      .filter((path) => build.inputs.has(path))
      .map((path) => relative(this.options.root, path));
    const now = performance.now();
    this.options.log(
      `hot reload: ${build.name} rebuilt and reloaded in ${Math.round(now - since)} ms ` +
        `(build ${Math.round(built - buildStarted)} ms, warm start ${Math.round(now - built)} ms; ${files.join(', ') || 'changed files'})`,
    );
  }

  private async rebuild(build: FunctionBuild): Promise<'changed' | 'unchanged' | 'failed' | 'canceled'> {
    let result: esbuild.BuildResult<{ write: false; metafile: true }>;
    await build.canceling;
    this.building = build;
    try {
      result = await build.context.rebuild();
    } catch (error) {
      const errors = (error as Partial<esbuild.BuildFailure>).errors ?? [];
      // Only changed() cancels, and its cancel may have settled (clearing `canceling`) before this runs.
      if (errors.some((message) => /build was canceled/i.test(message.text))) return 'canceled';
      build.failed = true;
      const details =
        errors.length > 0 ? await esbuild.formatMessages(errors, { kind: 'error' }) : [String(error)];
      this.options.log(
        `hot reload: ${build.name} failed to build; still serving the previous bundle\n${details.join('').trimEnd()}`,
      );
      return 'failed';
    } finally {
      this.building = undefined;
    }
    if (result.warnings.length > 0) {
      const warnings = await esbuild.formatMessages(result.warnings, { kind: 'warning' });
      this.options.log(warnings.join('').trimEnd());
    }
    build.failed = false;
    build.inputs = new Set(
      Object.keys(result.metafile.inputs).map((input) => join(this.options.root, input)),
    );
    // Nothing written yet: the first build of this server. Same files, same hashes: the change did not
    // alter the output, and nothing reloads.
    const first = build.outputs.size === 0;
    const unchanged =
      !first &&
      result.outputFiles.length === build.outputs.size &&
      result.outputFiles.every((file) => build.outputs.get(file.path) === file.hash);
    if (unchanged) return 'unchanged';
    // Chunks first, the entry last: a worker starting meanwhile imports either the old entry (whose chunks
    // are still there) or the new one (whose chunks are already written).
    const isEntry = (path: string) => /\/index\.mjs(\.map)?$/.test(path) && !path.includes('/chunks/');
    const ordered = [...result.outputFiles].sort((a, b) => Number(isEntry(a.path)) - Number(isEntry(b.path)));
    for (const file of ordered) {
      // Unchanged files (most chunks, whose names carry their hash) are on disk as they are, unless
      // something removed them meanwhile (a clean of dist/).
      if (build.outputs.get(file.path) === file.hash && existsSync(file.path)) continue;
      mkdirSync(dirname(file.path), { recursive: true });
      const temporary = `${file.path}.${process.pid}.tmp`;
      writeFileSync(temporary, file.contents);
      renameSync(temporary, file.path);
    }
    build.outputs = new Map(result.outputFiles.map((file) => [file.path, file.hash]));
    // At start no environment runs yet: chunks left by an earlier build can go at once.
    if (first) this.removeStaleOutputs(build);
    return first ? 'unchanged' : 'changed';
  }

  /** Deletes files in the function's output folder that the last written bundle does not consist of. */
  private removeStaleOutputs(build: FunctionBuild): void {
    const outdir = buildOptions(this.options.root, build.name).outdir;
    if (!existsSync(outdir)) return;
    for (const entry of readdirSync(outdir, { recursive: true, withFileTypes: true })) {
      const path = join(entry.parentPath, entry.name);
      if (entry.isFile() && !build.outputs.has(path)) rmSync(path, { force: true });
    }
  }
}
