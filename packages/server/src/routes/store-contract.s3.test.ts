/** The store contract on a real Ceph RADOS Gateway bucket (`VIDEO_STORE=s3://…`). */
import { injectObjectStore } from "../test-support/object-store/provided.js";
import { describeStoreContract } from "../test-support/store-contract.js";
import { startStoreFixture } from "../test-support/store-fixture.js";

describeStoreContract("an S3 bucket", () =>
  startStoreFixture("s3", { objectStore: injectObjectStore(), changeMs: 100 }),
);
