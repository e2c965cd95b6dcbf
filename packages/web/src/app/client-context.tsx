import { createContext, type ReactNode, useContext } from "react";
import type { PlayerClient } from "../lib/reel";

/** The SDK instance and the base URL it talks to. */
export interface ApiContextValue {
  client: PlayerClient;
  baseUrl: string;
}

const ApiContext = createContext<ApiContextValue | null>(null);

/** Provides the SDK to the app; tests pass a fake client here (the SDK's boundary). */
export function ApiProvider({ value, children }: { value: ApiContextValue; children: ReactNode }) {
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

/** The SDK from the nearest `ApiProvider`. */
export function useApi(): ApiContextValue {
  const value = useContext(ApiContext);
  if (!value) {
    throw new Error("useApi() needs an <ApiProvider> above it");
  }
  return value;
}
