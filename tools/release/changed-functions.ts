// Files outside functions/ that change every bundle: shared code, dependencies and the build itself
// (build/ holds the esbuild options, the Lambda entry wrapper and the zip writer).
const AFFECTS_ALL = [
  /^common\//,
  /^build\//,
  /^package(-lock)?\.json$/,
  /^esbuild\.config\.js$/,
  /^tsconfig\.json$/,
];

/**
 * The functions a change touches: a file under `functions/<name>/` touches that function, and shared code
 * (`common/`), dependencies or the build (`build/`, esbuild.config.js) touch every function. Docs and the like touch none.
 */
export function changedFunctions(changedPaths: readonly string[], allFunctions: readonly string[]): string[] {
  if (changedPaths.some((p) => AFFECTS_ALL.some((re) => re.test(p)))) return [...allFunctions].sort();
  const touched = new Set<string>();
  for (const p of changedPaths) {
    const m = /^functions\/([^/]+)\//.exec(p);
    if (m?.[1] && allFunctions.includes(m[1])) touched.add(m[1]);
  }
  return [...touched].sort();
}
