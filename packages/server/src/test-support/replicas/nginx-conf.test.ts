import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { nginxConfPath, renderNginxConf } from "./nginx-conf.js";
import { findNginx } from "./replica-set.js";

describe("renderNginxConf", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "reel-nginx-conf-"));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it("is a configuration Debian's nginx accepts (nginx -t)", () => {
    const layout = { dir, host: "127.0.0.1", port: 8080, upstreamPorts: [9001, 9002, 9003] };
    mkdirSync(join(dir, "nginx-temp"));
    writeFileSync(nginxConfPath(layout), renderNginxConf(layout));
    const check = spawnSync(
      findNginx(),
      ["-t", "-p", dir, "-e", join(dir, "nginx-error.log"), "-c", nginxConfPath(layout)],
      { encoding: "utf8" },
    );
    expect(check.stderr).toContain("test is successful");
    expect(check.status).toBe(0);
  });

  it("writes nothing outside the set's directory: no root needed, no system paths", () => {
    const conf = renderNginxConf({ dir, host: "127.0.0.1", port: 8080, upstreamPorts: [9001] });
    const fileDirectives = /^\s*(pid|error_log|access_log|\w+_temp_path) (\S+?);?(?: |$)/gm;
    const files = [...conf.matchAll(fileDirectives)].map((match) => [match[1], match[2]]);
    expect(files.map(([directive]) => directive).sort()).toEqual([
      "access_log",
      "client_body_temp_path",
      "error_log",
      "fastcgi_temp_path",
      "pid",
      "proxy_temp_path",
      "scgi_temp_path",
      "uwsgi_temp_path",
    ]);
    expect(files.filter(([, path]) => !path?.startsWith(`${dir}/`))).toEqual([]);
  });

  it("refuses to balance no replica at all", () => {
    expect(() =>
      renderNginxConf({ dir, host: "127.0.0.1", port: 8080, upstreamPorts: [] }),
    ).toThrow(RangeError);
  });
});
