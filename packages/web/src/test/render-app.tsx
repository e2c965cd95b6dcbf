import { type RenderResult, render } from "@testing-library/react";
import { App } from "../app/app";
import { ApiProvider } from "../app/client-context";
import type { FakeClient } from "./fake-client";

/** The base URL the fake client pretends to talk to. */
export const TEST_BASE_URL = "http://reel.test";

/** Renders the whole app against a fake SDK, optionally at a deep link (`?v=…&t=…`). */
export function renderApp(fake: FakeClient, search = ""): RenderResult {
  window.history.replaceState(null, "", `/${search}`);
  return render(
    <ApiProvider value={{ client: fake.client, baseUrl: TEST_BASE_URL }}>
      <App />
    </ApiProvider>,
  );
}
