interface ImportMetaEnv {
  readonly VITE_REEL_URL?: string;
}
