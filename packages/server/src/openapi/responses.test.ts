/**
 * What the server sends matches what the document promises: for real requests to every route,
 * the status is one the operation documents, the media type is one documented for that status
 * (or none, when no body is documented), and every header documented as required is present.
 */
import { request as httpRequest } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SAMPLES_DIR } from "../config.js";
import { startTestServer, type TestServer } from "../test-support/server.js";
import { buildOpenApiDocument } from "./document.js";

interface Observed {
  status: number;
  headers: Record<string, string | string[] | undefined>;
}

/** Sends one request and resolves on the response head, then drops the connection. */
function observe(url: string, method: string, headers: Record<string, string>): Promise<Observed> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers, agent: false }, (res) => {
      resolve({ status: res.statusCode ?? 0, headers: res.headers });
      req.destroy(); // the events route never ends; the head is all this test needs
    });
    req.on("error", reject);
    req.end();
  });
}

type Case = [
  method: "GET" | "HEAD",
  path: string,
  template: string,
  headers?: Record<string, string>,
];

const CASES: Case[] = [
  ["GET", "/api/videos", "/api/videos"],
  ["GET", "/api/videos?limit=0", "/api/videos"],
  ["GET", "/api/videos/sample_final.mp4", "/api/videos/{filename}"],
  ["GET", "/api/videos/missing.mp4", "/api/videos/{filename}"],
  ["GET", "/api/videos/.hidden.mp4", "/api/videos/{filename}"],
  ["GET", "/api/videos/events", "/api/videos/events"],
  ["GET", "/api/videos/events", "/api/videos/events", { "Last-Event-ID": "x".repeat(65) }],
  ["GET", "/api/health", "/api/health"],
  ["GET", "/api/video/sample_final.mp4", "/api/video/{filename}"],
  ["GET", "/api/video/sample_final.mp4", "/api/video/{filename}", { Range: "bytes=0-99" }],
  ["GET", "/api/video/sample_final.mp4", "/api/video/{filename}", { Range: "bytes=0-9,20-29" }],
  ["GET", "/api/video/sample_final.mp4", "/api/video/{filename}", { Range: "bytes=999999999-" }],
  ["GET", "/api/video/missing.mp4", "/api/video/{filename}"],
  ["GET", "/api/video/notes.txt", "/api/video/{filename}"],
  ["HEAD", "/api/video/sample_final.mp4", "/api/video/{filename}"],
  ["HEAD", "/api/video/sample_final.mp4", "/api/video/{filename}", { Range: "bytes=-100" }],
  // Extras are off in this server: every artifact is a documented 404.
  ["GET", "/api/videos/sample_final.mp4/poster.jpg", "/api/videos/{filename}/poster.jpg"],
  ["GET", "/api/videos/missing.mp4/poster.jpg", "/api/videos/{filename}/poster.jpg"],
  ["GET", "/api/videos/sample_final.mp4/previews.vtt", "/api/videos/{filename}/previews.vtt"],
  [
    "GET",
    "/api/videos/sample_final.mp4/previews/x.jpg",
    "/api/videos/{filename}/previews/{sheet}.jpg",
  ],
  [
    "GET",
    "/api/videos/sample_final.mp4/subtitles/en.vtt",
    "/api/videos/{filename}/subtitles/{lang}.vtt",
  ],
  ["HEAD", "/api/videos/.x.mp4/poster.jpg", "/api/videos/{filename}/poster.jpg"],
];

describe("documented responses", () => {
  let server: TestServer;
  const document = buildOpenApiDocument();

  beforeAll(async () => {
    server = await startTestServer({ videoDir: SAMPLES_DIR });
  });
  afterAll(() => server.close());

  it("covers a 304 too, with the ETag the stream route gives", async () => {
    const first = await observe(`${server.baseUrl}/api/video/sample_final.mp4`, "HEAD", {});
    const etag = String(first.headers.etag);
    const revalidated = await observe(`${server.baseUrl}/api/video/sample_final.mp4`, "GET", {
      "If-None-Match": etag,
    });
    expect(revalidated.status).toBe(304);
    const documented = document.paths?.["/api/video/{filename}"]?.get?.responses?.["304"];
    for (const name of Object.keys(
      (documented && "headers" in documented && documented.headers) || {},
    )) {
      expect(revalidated.headers[name.toLowerCase()], name).toBeDefined();
    }
  });

  for (const [method, path, template, headers = {}] of CASES) {
    const label = `${method} ${path}${Object.keys(headers).length > 0 ? ` ${JSON.stringify(headers)}` : ""}`;
    it(`match for ${label}`, async () => {
      const operation = document.paths?.[template]?.[method === "GET" ? "get" : "head"];
      expect(operation, `${method} ${template} is documented`).toBeDefined();
      const observed = await observe(`${server.baseUrl}${path}`, method, headers);
      const response = operation?.responses?.[String(observed.status)];
      expect(response, `status ${observed.status} is documented`).toBeDefined();
      if (response === undefined || "$ref" in response) {
        return;
      }
      const mediaType = String(observed.headers["content-type"] ?? "")
        .split(";")[0]
        ?.trim();
      const documentedTypes = Object.keys(response.content ?? {});
      if (method === "HEAD" || documentedTypes.length === 0) {
        // No documented body: a HEAD mirrors GET's type, and a 304 has none to describe.
        const getTypes = Object.keys(
          (
            document.paths?.[template]?.get?.responses?.[String(observed.status)] as
              | { content?: Record<string, unknown> }
              | undefined
          )?.content ?? {}, // a ResponseObject here: the generator inlines them
        );
        if (mediaType !== "" && mediaType !== undefined) {
          expect(getTypes).toContain(mediaType);
        }
      } else {
        expect(documentedTypes).toContain(mediaType);
      }
      for (const [name, documented] of Object.entries(response.headers ?? {})) {
        if (isRequiredHeader(documented)) {
          expect(observed.headers[name.toLowerCase()], `required header ${name}`).toBeDefined();
        }
      }
    });
  }
});

/** True for a header object marked `required: true` (the generator's type leaves it `unknown`). */
function isRequiredHeader(header: unknown): boolean {
  return (
    typeof header === "object" &&
    header !== null &&
    "required" in header &&
    header.required === true
  );
}
