/** Temporary directories for tests. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh empty temporary directory; removed by the caller. */
export function makeTempDir(prefix = "reel-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
