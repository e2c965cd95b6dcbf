/**
 * Which stores this test run proves the HTTP contract on. The black-box route suites are
 * parametrised by store (`describe.each(storeKindsUnderTest())`): the default run (`pnpm test`)
 * covers the directory; the object-store run (`pnpm test:s3`, `vitest.s3.config.ts`, which starts a
 * real Ceph RADOS Gateway) runs the very same files again on an S3 bucket, by setting
 * `REEL_TEST_STORES=s3`.
 */
import { injectObjectStore } from "./object-store/provided.js";
import {
  type StoreFixture,
  type StoreFixtureOptions,
  type StoreKind,
  startStoreFixture,
} from "./store-fixture.js";

/** Every kind of store Reel serves from. */
export const STORE_KINDS: readonly StoreKind[] = ["directory", "s3"];

/**
 * The stores named by `REEL_TEST_STORES` (comma separated; default `directory`).
 *
 * @throws Error for a name that is not a store kind, so a typo cannot silently test nothing.
 */
export function storeKindsUnderTest(env: NodeJS.ProcessEnv = process.env): StoreKind[] {
  const names = (env.REEL_TEST_STORES ?? "directory").split(",").map((name) => name.trim());
  return names.map((name) => {
    const kind = STORE_KINDS.find((candidate) => candidate === name);
    if (kind === undefined) {
      throw new Error(
        `REEL_TEST_STORES names an unknown store "${name}" (known: ${STORE_KINDS.join(", ")})`,
      );
    }
    return kind;
  });
}

/**
 * Starts Reel over a fresh store of `kind`: a temp directory, or a new bucket on this run's
 * gateway (`injectObjectStore`, so only under `vitest.s3.config.ts`).
 */
export function startFixtureFor(
  kind: StoreKind,
  options: Omit<StoreFixtureOptions, "objectStore"> = {},
): Promise<StoreFixture> {
  return startStoreFixture(
    kind,
    kind === "s3" ? { ...options, objectStore: injectObjectStore() } : options,
  );
}
