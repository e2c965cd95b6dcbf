/**
 * vitest globalSetup of `vitest.s3.config.ts`: the server package's single-node Ceph RADOS Gateway,
 * one per run, `provide`d to the test files as `objectStore` (read it with `injectObjectStore()`).
 */
export { default } from "@reel/server/test-support/object-store/global-setup";
