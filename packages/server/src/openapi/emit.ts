/** `pnpm generate`: writes the root openapi.yaml from the registry (CI fails on drift). */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildOpenApiYaml } from "./document.js";

const target = fileURLToPath(new URL("../../../../openapi.yaml", import.meta.url));
writeFileSync(target, buildOpenApiYaml());
