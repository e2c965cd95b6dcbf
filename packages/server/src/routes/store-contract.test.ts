/** The store contract on a local directory (`VIDEO_DIR`). */
import { startStoreFixture } from "../test-support/store-fixture.js";
import { describeStoreContract } from "./store-contract.js";

describeStoreContract("a directory", () => startStoreFixture("directory"));
