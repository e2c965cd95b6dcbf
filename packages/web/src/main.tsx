import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./app/app";
import { ApiProvider } from "./app/client-context";
import { createApi } from "./lib/api";
import "./app/app.css";

const root = document.getElementById("root");
if (!root) {
  throw new Error("index.html has no #root element");
}
createRoot(root).render(
  <StrictMode>
    <ApiProvider value={createApi()}>
      <App />
    </ApiProvider>
  </StrictMode>,
);
