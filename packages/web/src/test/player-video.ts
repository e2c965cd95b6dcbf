// The player's <video> in component tests: found once React has subscribed to it, and given
// the state a browser would have after loading metadata (jsdom loads no media).
import { act, fireEvent, screen } from "@testing-library/react";

/** Gives a jsdom <video> the state a browser would have after loading metadata. */
export function loadMetadata(video: HTMLVideoElement, duration: number): void {
  let time = 0;
  Object.defineProperty(video, "duration", { configurable: true, get: () => duration });
  Object.defineProperty(video, "currentTime", {
    configurable: true,
    get: () => time,
    set: (value: number) => {
      time = value;
    },
  });
  fireEvent(video, new Event("loadedmetadata"));
}

/** The open video named `name`, once its listeners are attached. */
export async function findVideo(name: string): Promise<HTMLVideoElement> {
  const element = await screen.findByLabelText(`Video: ${name}`);
  if (!(element instanceof HTMLVideoElement)) {
    throw new Error("not a <video>");
  }
  // findBy can see the element before React ran its effects (the listeners): flush them.
  await act(async () => {});
  return element;
}
