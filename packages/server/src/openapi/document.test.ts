/**
 * The contract stays one source: the committed root openapi.yaml is exactly what the registry
 * emits and what the server serves (CI fails on drift; fix with `pnpm generate`), and it passes
 * `redocly lint` with the recommended rules.
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SAMPLES_DIR } from "../config.js";
import { startTestServer, type TestServer } from "../test-support/server.js";
import { buildOpenApiDocument, buildOpenApiYaml } from "./document.js";

const COMMITTED = fileURLToPath(new URL("../../../../openapi.yaml", import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL("../../", import.meta.url));

describe("the OpenAPI document", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ videoDir: SAMPLES_DIR });
  });
  afterAll(() => server.close());

  it("is committed exactly as the registry emits it (run `pnpm generate` after a change)", () => {
    expect(readFileSync(COMMITTED, "utf8")).toBe(buildOpenApiYaml());
  });

  it("is served at /openapi.yaml byte for byte as committed", async () => {
    const response = await fetch(`${server.baseUrl}/openapi.yaml`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/yaml; charset=utf-8");
    expect(Buffer.from(await response.arrayBuffer()).equals(readFileSync(COMMITTED))).toBe(true);
  });

  it("is served at /openapi.json with the same content", async () => {
    const response = await fetch(`${server.baseUrl}/openapi.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const served: unknown = await response.json();
    expect(served).toEqual(parse(readFileSync(COMMITTED, "utf8")));
    expect(served).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
  });

  it("points its server at whichever host serves it", () => {
    expect(buildOpenApiDocument().servers).toEqual([{ url: "/", description: expect.any(String) }]);
  });

  it("gives every operation an operationId, a summary, examples and a Problem body for each error", () => {
    const document = buildOpenApiDocument();
    for (const [path, item] of Object.entries(document.paths ?? {})) {
      for (const method of ["get", "head"] as const) {
        const operation = item[method];
        if (operation === undefined) {
          continue;
        }
        expect(operation.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z]+$/);
        expect(operation.summary, `${method} ${path}`).toBeTruthy();
        expect(JSON.stringify(operation), `${method} ${path} has examples`).toContain('"example"');
        for (const [status, response] of Object.entries(operation.responses ?? {})) {
          if (Number(status) >= 400 && "content" in response) {
            expect(
              response.content?.["application/json"]?.schema,
              `${method} ${path} ${status}`,
            ).toEqual({ $ref: "#/components/schemas/Problem" });
          }
        }
      }
    }
  });

  it("passes redocly lint (recommended rules)", async () => {
    const redocly = fileURLToPath(new URL("../../node_modules/.bin/redocly", import.meta.url));
    const { stdout, stderr } = await promisify(execFile)(
      redocly,
      ["lint", COMMITTED, "--config", "redocly.yaml", "--format", "stylish"],
      { cwd: PACKAGE_DIR, env: { ...process.env, REDOCLY_TELEMETRY: "off", NO_COLOR: "1" } },
    ); // rejects, failing the test, when lint exits non-zero
    expect(`${stdout}${stderr}`).toContain("Your API description is valid");
    // Stylish lines read `line:col  severity  rule  message`; none may be left.
    expect(`${stdout}${stderr}`).not.toMatch(/^\s*\d+:\d+\s+(error|warning)\s/m);
  }, 60_000);
});
