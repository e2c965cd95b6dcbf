/**
 * The gateway's connection facts as vitest `provide`s them to test files (see `global-setup.ts`).
 * `objectStore` is only there when the run uses that globalSetup (`vitest.s3.config.ts`).
 */
import { inject } from "vitest";
import type { ObjectStoreConnection } from "./connection.js";

/**
 * The shared gateway of this test run. Throws `Error` when the run does not start one (the test
 * was run with the default vitest config instead of `vitest.s3.config.ts`).
 */
export function injectObjectStore(): ObjectStoreConnection {
  const connection = inject("objectStore");
  if (connection === undefined) {
    throw new Error(
      "No object store in this test run: run it with `vitest run -c vitest.s3.config.ts` (pnpm test:s3), " +
        "or add src/test-support/object-store/global-setup.ts to the config's globalSetup",
    );
  }
  return connection;
}
