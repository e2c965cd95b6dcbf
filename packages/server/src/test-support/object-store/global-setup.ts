/**
 * vitest globalSetup: one RADOS Gateway for the whole test run (a start costs ~3 s, ~115 MB), its
 * connection facts `provide`d to every test file as `objectStore` (read them with
 * `injectObjectStore()`), stopped in teardown. Test files share it, so each uses its own bucket.
 */
import type { TestProject } from "vitest/node";
import { startCephRgw } from "./ceph-rgw.js";

/** Starts the gateway and returns the teardown that stops it. Throws when it cannot start. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const rgw = await startCephRgw();
  project.provide("objectStore", {
    endpoint: rgw.endpoint,
    region: rgw.region,
    accessKeyId: rgw.accessKeyId,
    secretAccessKey: rgw.secretAccessKey,
  });
  return () => rgw.stop();
}
