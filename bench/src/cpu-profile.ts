/** Reads a V8 `.cpuprofile` (from `node --cpu-prof`) into self-time tables. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** A function (or a package) and the time spent in its own code. */
export interface SelfTime {
  name: string;
  selfMs: number;
  /** Share of the busy (non-idle) time, 0..1. */
  share: number;
}

/** Top functions and packages by self time. */
export interface ProfileSummary {
  busyMs: number;
  idleMs: number;
  functions: SelfTime[];
  packages: SelfTime[];
}

/** Parses the JSON text of a `.cpuprofile`. */
export function parseCpuProfile(text: string): CpuProfile {
  const value: unknown = JSON.parse(text);
  if (
    typeof value !== "object" ||
    value === null ||
    !("nodes" in value && Array.isArray(value.nodes)) ||
    !("samples" in value && Array.isArray(value.samples)) ||
    !("timeDeltas" in value && Array.isArray(value.timeDeltas))
  ) {
    throw new Error("not a V8 cpu profile");
  }
  return value as CpuProfile; // the three arrays were checked above; node shapes are V8's own
}

/** Self time per function and per package, largest first. */
export function summariseProfile(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfByNode = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0; // µs since the previous sample
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + Math.max(delta, 0));
  });
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let idleUs = 0;
  let busyUs = 0;
  for (const [id, us] of selfByNode) {
    const frame = byId.get(id)?.callFrame;
    if (frame === undefined) {
      continue;
    }
    if (frame.functionName === "(idle)") {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const key = `${frame.functionName || "(anonymous)"} ${shortUrl(frame.url)}${frame.url ? `:${frame.lineNumber + 1}` : ""}`;
    functions.set(key, (functions.get(key) ?? 0) + us);
    const pkg = packageOf(frame.url, frame.functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const rank = (map: Map<string, number>): SelfTime[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: busyUs > 0 ? us / busyUs : 0 }));
  return {
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    functions: rank(functions),
    packages: rank(packages),
  };
}

/** `file:///…/node_modules/.pnpm/koa@3.2.1/node_modules/koa/lib/x.js` → `koa/lib/x.js`. */
function shortUrl(url: string): string {
  const modules = url.lastIndexOf("node_modules/");
  if (modules !== -1) {
    return url.slice(modules + "node_modules/".length);
  }
  const dist = url.indexOf("packages/server/");
  return dist !== -1 ? url.slice(dist) : url;
}

/** Which package (or runtime part) a frame belongs to. */
function packageOf(url: string, functionName: string): string {
  if (url === "") {
    return functionName.startsWith("(") ? functionName : "(native / V8 builtins)";
  }
  if (url.startsWith("node:")) {
    return "node core (JS)";
  }
  const modules = url.lastIndexOf("node_modules/");
  if (modules !== -1) {
    const rest = url.slice(modules + "node_modules/".length).split("/");
    return rest[0]?.startsWith("@") ? `${rest[0]}/${rest[1] ?? ""}` : (rest[0] ?? url);
  }
  return url.includes("packages/server/") ? "reel (packages/server)" : url;
}
