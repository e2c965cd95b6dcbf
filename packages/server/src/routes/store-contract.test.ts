/** The store contract on a local directory (`VIDEO_DIR`). */

import { describeStoreContract } from "../test-support/store-contract.js";
import { startStoreFixture } from "../test-support/store-fixture.js";

describeStoreContract("a directory", () => startStoreFixture("directory"));
