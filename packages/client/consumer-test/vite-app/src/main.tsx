import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { VideoLibrary } from "./video-library";

const root = document.getElementById("root");
if (root === null) {
  throw new Error("#root is missing from index.html");
}
createRoot(root).render(
  <StrictMode>
    <VideoLibrary />
  </StrictMode>,
);
