/** Builds the OpenAPI 3.1 document from the registry, as an object and as YAML text. */
import { OpenApiGeneratorV31 } from "@asteasolutions/zod-to-openapi";
import { stringify } from "yaml";
import { registry } from "./registry.js";

type OpenApiDocument = ReturnType<OpenApiGeneratorV31["generateDocument"]>;

/** The document every consumer sees: served, committed and fed to openapi-typescript. */
export function buildOpenApiDocument(): OpenApiDocument {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: "3.1.0",
    info: {
      title: "Reel",
      version: "0.1.0",
      description:
        "Streams MP4 videos from a directory with RFC 9110 range support, lists the library and announces changes live.",
      license: { name: "MIT", identifier: "MIT" },
    },
    // Relative: the document describes whichever Reel serves it, so /docs "try it" and clients
    // given only the document call that server (OpenAPI 3.1 §4.8.5: relative to the document).
    servers: [{ url: "/", description: "The Reel server that serves this document" }],
    security: [], // Reel has no authentication; stated so linters know it is deliberate
    tags: [
      { name: "videos", description: "Byte streaming of one video." },
      { name: "library", description: "Listing and live updates." },
      { name: "health", description: "Liveness." },
    ],
  });
}

/** The YAML form; the committed openapi.yaml is exactly this text. */
export function buildOpenApiYaml(): string {
  return stringify(buildOpenApiDocument(), { lineWidth: 0, aliasDuplicateObjects: false });
}
