/**
 * Development entry point (`npm start`, `pnpm dev`): configuration from the environment only, the
 * player served by Vite on :5173. `reel serve` (cli/reel.ts) is the same server for real use.
 */
import { ConfigError, loadConfig } from "./config.js";
import { ListenError, serve } from "./serve.js";

function start(): void {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error: unknown) {
    if (error instanceof ConfigError) {
      console.error(`reel: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  serve(config).catch((error: unknown) => {
    if (error instanceof ListenError) {
      console.error(`reel: ${error.message}`);
      process.exit(1);
    }
    throw error;
  });
}

start();
