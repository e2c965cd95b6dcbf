// `node scripts/object-store.mjs start [--bucket NAME]`: a real S3 store on loopback for local
// development: a single-node Ceph cluster with its RADOS Gateway, the same one the S3 tests use
// (packages/server/src/test-support/object-store/). Prints the connection as env lines on stdout
// and runs until Ctrl-C, then stops the daemons and removes their directory. Needs the Debian
// packages radosgw, ceph-mon, ceph-osd (scripts/test.mjs installs them when run as root).
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { ensureDependencies, ROOT } from "./lib.mjs";

const USAGE = "usage: node scripts/object-store.mjs start [--bucket NAME]";
const HARNESS = "../packages/server/src/test-support/object-store";

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { bucket: { type: "string" }, help: { type: "boolean", short: "h" } },
});
if (values.help || positionals.length !== 1 || positionals[0] !== "start") {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}

ensureDependencies();
// tsx is a dependency of the server package, so resolve it from there (pnpm does not hoist it).
// Its ESM entry is taken from its `exports`: require.resolve would give the CommonJS build, whose
// `tsImport` fails to find tsx's loader when called from an ES module (tsx 4.23).
const serverRequire = createRequire(`${ROOT}packages/server/package.json`);
const tsxManifest = pathToFileURL(serverRequire.resolve("tsx/package.json"));
const tsxApi = serverRequire("tsx/package.json").exports["./esm/api"].import.default;
const { tsImport } = await import(new URL(tsxApi, tsxManifest).href);
const { startCephRgw } = await tsImport(`${HARNESS}/ceph-rgw.ts`, import.meta.url);

const started = Date.now();
console.error("Starting Ceph (monitor, OSD, RADOS Gateway)…");
const rgw = await startCephRgw({ onStep: (message) => console.error(`  ${message}`) });
const lines = [
  `S3_ENDPOINT=${rgw.endpoint}`,
  `AWS_ACCESS_KEY_ID=${rgw.accessKeyId}`,
  `AWS_SECRET_ACCESS_KEY=${rgw.secretAccessKey}`,
  `AWS_REGION=${rgw.region}`,
];
if (values.bucket !== undefined) {
  const { createBucket } = await tsImport(`${HARNESS}/s3-client.ts`, import.meta.url);
  try {
    await createBucket(rgw, values.bucket);
  } catch (error) {
    console.error(`Could not create bucket ${values.bucket}: ${error.message}`);
    await rgw.stop();
    process.exit(1);
  }
  lines.push(`S3_BUCKET=${values.bucket}`);
}
console.log(lines.join("\n"));
console.error(
  `Ready in ${Date.now() - started} ms; path-style addressing. Logs: ${rgw.dir}/log. Ctrl-C stops it.`,
);

// Nothing else keeps the event loop alive: the daemons run in the background.
const keepAlive = setInterval(() => {}, 1 << 30);
let stopping = false;
async function shutdown(signal) {
  if (stopping) {
    return;
  }
  stopping = true;
  console.error(`\n${signal}: stopping…`);
  const stopStarted = Date.now();
  try {
    await rgw.stop();
    console.error(`Stopped in ${Date.now() - stopStarted} ms; ${rgw.dir} removed.`);
  } catch (error) {
    console.error(`Stop failed: ${error.message}`);
    process.exitCode = 1;
  } finally {
    clearInterval(keepAlive);
  }
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    shutdown(signal).catch(() => {});
  });
}
