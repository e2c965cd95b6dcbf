// `node scripts/replicas.mjs [--replicas N] [--port P] [--host H] [--with-gateway [--bucket B]] [--source]`:
// N Reel processes on one store behind Debian's nginx as the load balancer, until Ctrl-C. The
// replicas get this shell's environment (VIDEO_STORE=s3://…, S3_ENDPOINT, AWS_*, S3_POLL_MS…);
// with --with-gateway the script also starts a local Ceph RADOS Gateway (the test harness's),
// creates the bucket and uploads samples/*.mp4 to it. The code that starts and stops the
// processes is packages/server/src/test-support/replicas/, the same the failover tests run.
import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { ensureDependencies, pnpm, ROOT } from "./lib.mjs";

const USAGE = `usage: node scripts/replicas.mjs [--replicas N] [--port P] [--host H] [--with-gateway [--bucket NAME]] [--source]
  --replicas N     Reel processes (default 2)
  --port P         nginx's port (default 8080; 0 picks a free one)
  --host H         nginx's listen address (default 127.0.0.1)
  --with-gateway   also start a local Ceph RADOS Gateway, bucket NAME (default reel), with samples/
  --source         run src/main.ts through tsx instead of building dist/ first`;
const TEST_SUPPORT = "../packages/server/src/test-support";

const { values } = parseArgs({
  options: {
    replicas: { type: "string", default: "2" },
    port: { type: "string", default: "8080" },
    host: { type: "string", default: "127.0.0.1" },
    "with-gateway": { type: "boolean", default: false },
    bucket: { type: "string", default: "reel" },
    source: { type: "boolean", default: false },
    help: { type: "boolean", short: "h" },
  },
});
const replicas = Number(values.replicas);
const port = Number(values.port);
if (
  values.help ||
  !/^\d+$/.test(values.replicas) ||
  replicas < 1 ||
  !/^\d+$/.test(values.port) ||
  port > 65535
) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}

ensureDependencies();
if (!values.source) {
  // turbo replays its cache when nothing changed, so this costs ~1 s once built.
  pnpm(["exec", "turbo", "run", "build", "--filter=@reel/server", "--output-logs=errors-only"]);
}
// tsx is a dependency of the server package, so resolve it from there (pnpm does not hoist it);
// its ESM entry comes from `exports`, as in scripts/object-store.mjs.
const serverRequire = createRequire(`${ROOT}packages/server/package.json`);
const tsxManifest = pathToFileURL(serverRequire.resolve("tsx/package.json"));
const tsxApi = serverRequire("tsx/package.json").exports["./esm/api"].import.default;
const { tsImport } = await import(new URL(tsxApi, tsxManifest).href);
const load = (path) => tsImport(`${TEST_SUPPORT}/${path}`, import.meta.url);
const { startReplicaSet } = await load("replicas/replica-set.ts");

const started = Date.now();
const env = { ...process.env };
let rgw;
if (values["with-gateway"]) {
  const { startCephRgw } = await load("object-store/ceph-rgw.ts");
  const { createBucket } = await load("object-store/s3-client.ts");
  const { putObject } = await load("object-store/put-object.ts");
  console.error("Starting Ceph (monitor, OSD, RADOS Gateway)…");
  rgw = await startCephRgw({ onStep: (message) => console.error(`  ${message}`) });
  try {
    await createBucket(rgw, values.bucket);
    const samples = readdirSync(`${ROOT}samples`).filter((name) => name.endsWith(".mp4"));
    for (const name of samples) {
      // What a producer does: upload the finished file as one object under the prefix.
      await putObject(rgw, values.bucket, `videos/${name}`, readFileSync(`${ROOT}samples/${name}`));
    }
    console.error(`  uploaded ${samples.length} samples to s3://${values.bucket}/videos/`);
  } catch (error) {
    console.error(`Could not prepare bucket ${values.bucket}: ${error.message}`);
    await rgw.stop();
    process.exit(1);
  }
  Object.assign(env, {
    VIDEO_STORE: `s3://${values.bucket}/videos`,
    S3_ENDPOINT: rgw.endpoint,
    AWS_REGION: rgw.region,
    AWS_ACCESS_KEY_ID: rgw.accessKeyId,
    AWS_SECRET_ACCESS_KEY: rgw.secretAccessKey,
  });
}
const store = env.VIDEO_STORE ?? `VIDEO_DIR ${env.VIDEO_DIR ?? "samples/ (default)"}`;

const setStarted = Date.now();
console.error(`Starting ${replicas} replica(s) on ${store} and nginx…`);
let set;
try {
  set = await startReplicaSet({
    replicas,
    env,
    port: port === 0 ? undefined : port,
    host: values.host,
    entry: values.source ? "source" : "dist",
    onStep: (message) => console.error(`  ${message}`),
  });
} catch (error) {
  console.error(error.message);
  await rgw?.stop();
  process.exit(1);
}
const lines = [
  "",
  `Reel on ${set.url} (${replicas} replica(s) behind nginx; store ${store})`,
  `  replicas + nginx answering in ${Date.now() - setStarted} ms (everything: ${Date.now() - started} ms)`,
  ...set.replicas.map(
    (replica) =>
      `  replica ${replica.index}: pid ${replica.pid}, ${replica.url}, log ${replica.logPath}`,
  ),
  `  nginx: pid ${set.nginx.pid}, ${set.nginx.confPath}`,
  `         access log (JSON, with $upstream_addr) ${set.nginx.accessLogPath}`,
  `         error log ${set.nginx.errorLogPath}`,
];
if (rgw !== undefined) {
  lines.push(
    `  S3 gateway ${rgw.endpoint}: upload with AWS_ACCESS_KEY_ID=${rgw.accessKeyId} AWS_SECRET_ACCESS_KEY=${rgw.secretAccessKey}`,
  );
}
lines.push("Kill a replica (kill -9 PID) to watch nginx route around it. Ctrl-C stops everything.");
console.log(lines.join("\n"));

let stopping = false;
for (const replica of set.replicas) {
  replica.exited.then(({ code, signal }) => {
    if (!stopping) {
      console.error(
        `replica ${replica.index} (pid ${replica.pid}) exited (${signal ?? `code ${code}`}); nginx routes around it. Log: ${replica.logPath}`,
      );
    }
  });
}

async function shutdown(signal) {
  if (stopping) {
    return;
  }
  stopping = true;
  console.error(`\n${signal}: stopping…`);
  const stopStarted = Date.now();
  try {
    await set.stop();
    await rgw?.stop();
    console.error(`Stopped in ${Date.now() - stopStarted} ms.`);
  } catch (error) {
    console.error(`Stop failed: ${error.message}`);
    process.exitCode = 1;
  }
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    shutdown(signal).catch(() => {});
  });
}
