// Where the browser tests leave their screenshots (git-ignored), one directory for all suites.
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** packages/web/screenshots/: look at them after a run. */
export const SCREENSHOTS = fileURLToPath(new URL("../screenshots/", import.meta.url));
mkdirSync(SCREENSHOTS, { recursive: true });
