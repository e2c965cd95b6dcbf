import { createContext, type ReactNode, useContext } from "react";
import type { Api } from "../lib/api";

const ApiContext = createContext<Api | null>(null);

/** Provides the SDK to the app; tests pass a fake client here (the SDK's boundary). */
export function ApiProvider({ value, children }: { value: Api; children: ReactNode }) {
  return <ApiContext.Provider value={value}>{children}</ApiContext.Provider>;
}

/** The SDK from the nearest `ApiProvider`. */
export function useApi(): Api {
  const value = useContext(ApiContext);
  if (!value) {
    throw new Error("useApi() needs an <ApiProvider> above it");
  }
  return value;
}
