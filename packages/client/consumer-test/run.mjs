// `pnpm -C packages/client test:consumer`: the package as a user meets it. Packs @reel/client,
// installs the tarball with npm into two fresh projects outside the repo (a Vite + React + TS app
// and a Node ESM script), typechecks both with `strict` against the shipped .d.ts files, builds
// the app, and runs the script against a live Reel server (packages/server/dist/main.js).
import { spawn } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const CLIENT_DIR = join(HERE, "..");
const ROOT = join(CLIENT_DIR, "..", "..");
const PNPM = ["-y", "pnpm@10.34.9"];
const SAMPLE = "sample_final.mp4";
// What may reach a user's production dependencies through @reel/client.
const ALLOWED_RUNTIME = new Set(["@reel/client", "openapi-fetch", "openapi-typescript-helpers"]);
// Prefer the npm cache over revalidating each package with the registry: the pins never change.
const NPM_INSTALL = ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"];

// npm settings a user's shell may carry (registry, cache, proxy); pnpm's own `npm_config_*`
// variables and the package-script context are left out, so npm behaves as in a fresh terminal.
const NPM_ENV_KEPT = new Set(
  [
    "registry",
    "cache",
    "userconfig",
    "proxy",
    "https_proxy",
    "noproxy",
    "cafile",
    "strict_ssl",
  ].map((key) => `npm_config_${key}`),
);
const USER_ENV = Object.fromEntries(
  Object.entries(process.env).filter(
    ([key]) => !key.toLowerCase().startsWith("npm_") || NPM_ENV_KEPT.has(key.toLowerCase()),
  ),
);

const started = performance.now();
const work = mkdtempSync(join(tmpdir(), "reel-consumer-"));
/** @type {import("node:child_process").ChildProcess | undefined} */
let server;

/** Runs a command, streaming its output; rejects when it fails. */
function run(command, args, cwd, env = USER_ENV) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ["ignore", "inherit", "inherit"] });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) {
        resolve(undefined);
      } else {
        reject(new Error(`${command} ${args.join(" ")} (in ${cwd}) failed: ${code ?? signal}`));
      }
    });
  });
}

/** Runs a command and returns its stdout. */
function capture(command, args, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: USER_ENV,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) {
        resolve(out);
      } else {
        reject(new Error(`${command} ${args.join(" ")} (in ${cwd}) failed: ${code}`));
      }
    });
  });
}

/** Runs `fn` as a named step and logs how long it took. */
async function step(name, fn) {
  const t0 = performance.now();
  console.log(`\n▶ ${name}`);
  const result = await fn();
  console.log(`✓ ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return result;
}

/** Copies a fixture project into the work dir and installs its pins plus the tarball with npm. */
async function createProject(fixture, tarball) {
  const dir = join(work, fixture);
  cpSync(join(HERE, fixture), dir, {
    recursive: true,
    filter: (path) => !/[/\\](node_modules|dist)$/.test(path),
  });
  await run("npm", [...NPM_INSTALL, tarball], dir);
  return dir;
}

/**
 * Copies the README's examples into the projects, so they are typechecked like the rest: each
 * block whose first line names its file (`// src/reel.ts: …`, `// list-and-download.mts: …`)
 * lands in `src/readme/` of the browser app, or of the Node script for `.mts`.
 */
function addReadmeExamples(appDir, scriptDir) {
  const readme = readFileSync(join(CLIENT_DIR, "README.md"), "utf8");
  let count = 0;
  for (const [, code] of readme.matchAll(/```tsx?\n(.*?)```/gs)) {
    const name = /^\/\/ (?:src\/)?([\w-]+\.(?:ts|tsx|mts))[:\s]/.exec(code)?.[1];
    if (name === undefined || (!code.startsWith("// src/") && !name.endsWith(".mts"))) {
      continue; // a fragment, not a file
    }
    const dir = join(name.endsWith(".mts") ? scriptDir : appDir, "src", "readme");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, name), code);
    count++;
  }
  if (count < 3) {
    throw new Error(`expected the README's 3 example files, found ${count}`);
  }
}

/** Starts the built server on an ephemeral port over `videoDir`; resolves with its URL. */
function startServer(videoDir) {
  const env = { ...USER_ENV, PORT: "0", HOST: "127.0.0.1", VIDEO_DIR: videoDir, EXTRAS: "off" };
  // The directory store over plain HTTP, whatever the calling shell has set.
  for (const name of ["VIDEO_STORE", "TLS_CERT", "TLS_KEY", "LOG_LEVEL"]) {
    delete env[name];
  }
  const child = spawn(process.execPath, [join(ROOT, "packages/server/dist/main.js")], {
    env,
    stdio: ["ignore", "pipe", "inherit"],
  });
  server = child;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("the server did not start in 20 s")), 20_000);
    child.on("exit", (code) => reject(new Error(`the server exited early: ${code}`)));
    // pino writes one JSON object per line; the "reel listening" record carries the URL.
    createInterface({ input: child.stdout }).on("line", (line) => {
      try {
        const record = JSON.parse(line);
        if (record.msg === "reel listening") {
          clearTimeout(timer);
          resolve(record.url);
        }
      } catch {
        // not a log record
      }
    });
  });
}

/** The names of every package `npm ls` reports among the project's production dependencies. */
function collectNames(tree, names = new Set()) {
  for (const [name, node] of Object.entries(tree.dependencies ?? {})) {
    names.add(name);
    collectNames(node, names);
  }
  return names;
}

function cleanUp() {
  server?.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
}
process.on("exit", cleanUp);
process.on("SIGINT", () => process.exit(130));
process.on("SIGTERM", () => process.exit(143));

try {
  await step("build @reel/client and @reel/server", () =>
    run(
      "npx",
      [
        ...PNPM,
        "exec",
        "turbo",
        "run",
        "build",
        "--filter=@reel/client",
        "--filter=@reel/server",
        "--output-logs=errors-only",
      ],
      ROOT,
    ),
  );
  const tarball = await step("pack @reel/client", async () => {
    const packDir = join(work, "pack");
    mkdirSync(packDir);
    await run("npx", [...PNPM, "pack", "--pack-destination", packDir], CLIENT_DIR);
    const [name] = readdirSync(packDir).filter((file) => file.endsWith(".tgz"));
    if (name === undefined) {
      throw new Error(`no tarball in ${packDir}`);
    }
    return join(packDir, name);
  });

  const videoDir = join(work, "videos");
  mkdirSync(videoDir);
  cpSync(join(ROOT, "samples", SAMPLE), join(videoDir, SAMPLE));
  const serverUrl = startServer(videoDir);
  serverUrl.catch(() => undefined); // awaited below; keep an early failure from going unhandled

  const [appDir, scriptDir] = await step("npm install the tarball into two fresh projects", () =>
    Promise.all([createProject("vite-app", tarball), createProject("node-script", tarball)]),
  );

  addReadmeExamples(appDir, scriptDir);

  await step("only openapi-fetch reaches production dependencies", async () => {
    // The script's own dependencies are all dev ones, so what is left came with the tarball.
    const args = ["ls", "--all", "--omit=dev", "--json"];
    const tree = JSON.parse(await capture("npm", args, scriptDir));
    const extra = [...collectNames(tree)].filter((name) => !ALLOWED_RUNTIME.has(name));
    if (extra.length > 0) {
      throw new Error(`unexpected runtime dependencies: ${extra.join(", ")}`);
    }
  });

  await step("Vite app and the README's React example: tsc --noEmit (strict)", () =>
    run(join(appDir, "node_modules/.bin/tsc"), ["--noEmit", "-p", "."], appDir),
  );
  await step("Vite app: vite build", async () => {
    await run(join(appDir, "node_modules/.bin/vite"), ["build", "--logLevel", "warn"], appDir);
    const assets = join(appDir, "dist", "assets");
    const bundle = readdirSync(assets)
      .filter((file) => file.endsWith(".js"))
      .map((file) => readFileSync(join(assets, file), "utf8"))
      .join("\n");
    if (!bundle.includes("/api/video/")) {
      throw new Error("the bundle does not contain the SDK");
    }
    // The browser entry must never pull in the Node one.
    if (bundle.includes("node:fs")) {
      throw new Error("the browser bundle imports node:fs");
    }
  });

  await step(
    "Node script and the README's Node example: tsc (strict), then run it against a live server",
    async () => {
      await run(join(scriptDir, "node_modules/.bin/tsc"), ["-p", "."], scriptDir);
      const outDir = join(work, "downloads");
      mkdirSync(outDir);
      const env = {
        ...USER_ENV,
        REEL_URL: await serverUrl,
        VIDEO: SAMPLE,
        SOURCE: join(videoDir, SAMPLE),
        OUT_DIR: outDir,
      };
      await run(process.execPath, ["dist/check.mjs"], scriptDir, env);
    },
  );

  console.log(`\n✓ consumer test passed in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`\n✗ consumer test failed: ${error instanceof Error ? error.message : error}`);
  process.exitCode = 1;
} finally {
  // The server's open keep-alive/SSE handles would hold the process; exit explicitly.
  process.exit();
}
