/**
 * The Node.js flags every Reel server process runs with. V8 cannot take them once the process
 * runs (`v8.setFlagsFromString` does not resize a heap already set up), so each launcher passes
 * them: the `reel` command's shebang (src/cli/reel.ts), `pnpm start` (package.json), the root
 * `npm start` (scripts/start.mjs), the cluster's workers (`withNodeFlags`), and the benchmark, which runs Reel as
 * shipped. `node-flags.test.ts` fails when one of them drifts from this list.
 *
 * `--max-semi-space-size=2` (MiB): V8 lets the young generation grow to 3 × 16 MiB under
 * allocation pressure, and a server answering thousands of small ranges a second is exactly that:
 * under W3 Reel's resident set went from 80 MB idle to ~133 MB, where 2 MiB semi-spaces keep it
 * at ~101 MB. Request garbage dies young, so the more frequent scavenges cost no measurable CPU
 * (W3 µs per request within the run-to-run spread; bench/RESULTS.md, "What each change gained").
 */
export const NODE_FLAGS: readonly string[] = ["--max-semi-space-size=2"];

/**
 * `execArgv` with every flag of `NODE_FLAGS` that it lacks appended: what a cluster worker is
 * forked with, so workers run with the flags even when the primary was started without them.
 */
export function withNodeFlags(execArgv: readonly string[]): string[] {
  return [...execArgv, ...NODE_FLAGS.filter((flag) => !execArgv.includes(flag))];
}
