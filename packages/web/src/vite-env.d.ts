/// <reference types="vite/client" />

// The build-time variables the player reads (see src/config/env.ts).
interface ImportMetaEnv {
  readonly VITE_API_URL?: string;
}

interface ImportMeta {
  readonly env: ImportMetaEnv;
}
