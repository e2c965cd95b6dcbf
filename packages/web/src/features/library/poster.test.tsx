import { act, fireEvent, render, screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { createFakeClient, makeVideo } from "../../test/fake-client";
import { renderApp } from "../../test/render-app";
import { Poster } from "./poster";

const POSTER = "http://reel.test/api/videos/a.mp4/poster.jpg";

function box(container: HTMLElement): HTMLElement {
  const element = container.querySelector<HTMLElement>(".poster");
  if (!element) {
    throw new Error("no poster box");
  }
  return element;
}

describe("Poster", () => {
  it("shows only the placeholder while the poster is not rendered yet", () => {
    const { container } = render(<Poster src={null} alt="Poster of a.mp4" />);
    expect(box(container)).toHaveAttribute("data-poster-state", "pending");
    expect(screen.queryByRole("img")).not.toBeInTheDocument();
  });

  it("lazy-loads the image over the placeholder and says when it has loaded", () => {
    const { container } = render(<Poster src={POSTER} alt="Poster of a.mp4" />);
    const image = screen.getByRole("img", { name: "Poster of a.mp4" });
    expect(image).toHaveAttribute("src", POSTER);
    expect(image).toHaveAttribute("loading", "lazy");
    expect(box(container)).toHaveAttribute("data-poster-state", "loading");
    fireEvent.load(image);
    expect(box(container)).toHaveAttribute("data-poster-state", "loaded");
  });

  it("falls back to the placeholder when the image fails, and tries a new URL again", () => {
    const { container, rerender } = render(<Poster src={POSTER} alt="Poster of a.mp4" />);
    fireEvent.error(screen.getByRole("img"));
    expect(box(container)).toHaveAttribute("data-poster-state", "failed");
    expect(screen.queryByRole("img")).not.toBeInTheDocument();

    rerender(<Poster src={`${POSTER}?v=2`} alt="Poster of a.mp4" />);
    expect(box(container)).toHaveAttribute("data-poster-state", "loading");
    expect(screen.getByRole("img")).toHaveAttribute("src", `${POSTER}?v=2`);
  });
});

describe("the library's posters", () => {
  it("resolves each row's poster path against the API base URL", async () => {
    renderApp(
      createFakeClient([
        makeVideo("a.mp4", { poster: "/api/videos/a.mp4/poster.jpg" }),
        makeVideo("b c.mp4"),
      ]),
    );
    const withPoster = await screen.findByRole("button", { name: "Play a.mp4" });
    expect(within(withPoster).getByRole("img", { name: "Poster of a.mp4" })).toHaveAttribute(
      "src",
      POSTER,
    );
    const without = screen.getByRole("button", { name: "Play b c.mp4" });
    expect(within(without).queryByRole("img")).not.toBeInTheDocument();
    expect(without.querySelector(".poster")).toHaveAttribute("data-poster-state", "pending");
  });

  it("shows a poster that a live `changed` event brings", async () => {
    const video = makeVideo("b c.mp4");
    const fake = createFakeClient([video]);
    renderApp(fake);
    const row = await screen.findByRole("button", { name: "Play b c.mp4" });
    act(() =>
      fake.emit({
        event: "changed",
        id: "1",
        data: { ...video, poster: "/api/videos/b%20c.mp4/poster.jpg" },
      }),
    );
    expect(within(row).getByRole("img")).toHaveAttribute(
      "src",
      "http://reel.test/api/videos/b%20c.mp4/poster.jpg",
    );
  });
});
