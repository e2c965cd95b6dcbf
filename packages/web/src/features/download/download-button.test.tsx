import { render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { PlayerClient } from "../../lib/reel";
import { createFakeClient, makeVideo } from "../../test/fake-client";
import { setupUser } from "../../test/user";
import { DownloadButton } from "./download-button";

const video = makeVideo("big_final.mp4", { size: 10, etag: '"v1"' });
const BYTES = new TextEncoder().encode("0123456789");

type DownloadResult = Awaited<ReturnType<PlayerClient["download"]>>;

/** A body that sends `chunks` one per read, then ends, fails, or hangs until aborted. */
function body(
  chunks: Uint8Array[],
  end: "close" | "error" | "hang",
  signal?: AbortSignal,
): ReadableStream<Uint8Array> {
  const queue = [...chunks];
  return new ReadableStream({
    pull(controller) {
      const next = queue.shift();
      if (next) {
        controller.enqueue(next);
      } else if (end === "close") {
        controller.close();
      } else if (end === "error") {
        controller.error(new TypeError("network error"));
      } else {
        return new Promise<void>((_resolve, reject) => {
          signal?.addEventListener("abort", () =>
            reject(new DOMException("aborted", "AbortError")),
          );
        });
      }
    },
  });
}

function result(stream: ReadableStream<Uint8Array>, offset: number, etag = '"v1"'): DownloadResult {
  return { body: stream, size: 10, etag, offset };
}

let saved: { name: string; blob: Blob }[] = [];

beforeEach(() => {
  saved = [];
  let lastBlob: Blob | null = null;
  URL.createObjectURL = vi.fn((blob: Blob) => {
    lastBlob = blob;
    return "blob:test";
  });
  URL.revokeObjectURL = vi.fn();
  vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function click(
    this: HTMLAnchorElement,
  ) {
    if (lastBlob) {
      saved.push({ name: this.download, blob: lastBlob });
    }
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function savedText(index: number): Promise<string> {
  const file = saved[index];
  if (!file) {
    throw new Error("nothing saved");
  }
  return new TextDecoder().decode(await file.blob.arrayBuffer());
}

describe("DownloadButton", () => {
  it("downloads through the SDK and saves the file under its own name", async () => {
    const user = setupUser();
    const fake = createFakeClient([video]);
    fake.download.mockResolvedValue(result(body([BYTES.slice(0, 4), BYTES.slice(4)], "close"), 0));
    render(<DownloadButton client={fake.client} video={video} />);

    await user.click(screen.getByRole("button", { name: "Download big_final.mp4" }));
    expect(await screen.findByText("Downloaded 10 B.")).toBeInTheDocument();
    expect(fake.download).toHaveBeenCalledWith(
      "big_final.mp4",
      expect.objectContaining({ from: undefined }),
    );
    expect(saved).toHaveLength(1);
    expect(saved[0]?.name).toBe("big_final.mp4");
    expect(await savedText(0)).toBe("0123456789");
  });

  it("shows progress, and resumes a cancelled download from the bytes it holds", async () => {
    const user = setupUser();
    const fake = createFakeClient([video]);
    fake.download.mockImplementationOnce(async (_name, options) =>
      result(body([BYTES.slice(0, 4)], "hang", options?.signal), 0),
    );
    render(<DownloadButton client={fake.client} video={video} />);

    await user.click(screen.getByRole("button", { name: "Download big_final.mp4" }));
    const progress = await screen.findByRole("progressbar", { name: "Download progress" });
    await waitFor(() => expect(progress).toHaveAttribute("value", "4"));
    expect(screen.getByText("4 B of 10 B (40 %)")).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Cancel download" }));
    expect(await screen.findByText("Download paused.")).toBeInTheDocument();

    fake.download.mockResolvedValueOnce(result(body([BYTES.slice(4)], "close"), 4));
    await user.click(screen.getByRole("button", { name: "Resume download" }));
    expect(await screen.findByText("Downloaded 10 B.")).toBeInTheDocument();
    expect(fake.download).toHaveBeenLastCalledWith(
      "big_final.mp4",
      expect.objectContaining({ from: { offset: 4, etag: '"v1"' } }),
    );
    expect(await savedText(0)).toBe("0123456789");
  });

  it("offers resume after the connection drops mid-download", async () => {
    const user = setupUser();
    const fake = createFakeClient([video]);
    fake.download.mockResolvedValueOnce(result(body([BYTES.slice(0, 6)], "error"), 0));
    render(<DownloadButton client={fake.client} video={video} />);

    await user.click(screen.getByRole("button", { name: "Download big_final.mp4" }));
    expect(await screen.findByText(/Download interrupted: network error/)).toBeInTheDocument();

    fake.download.mockResolvedValueOnce(result(body([BYTES.slice(6)], "close"), 6));
    await user.click(screen.getByRole("button", { name: "Resume download" }));
    expect(await screen.findByText("Downloaded 10 B.")).toBeInTheDocument();
    expect(await savedText(0)).toBe("0123456789");
  });

  it("starts over instead of splicing when the file changed before the resume", async () => {
    const user = setupUser();
    const fake = createFakeClient([video]);
    fake.download.mockResolvedValueOnce(result(body([BYTES.slice(0, 6)], "error"), 0));
    render(<DownloadButton client={fake.client} video={video} />);
    await user.click(screen.getByRole("button", { name: "Download big_final.mp4" }));
    await screen.findByText(/Download interrupted/);

    const changed = new TextEncoder().encode("abcdefghij");
    fake.download.mockResolvedValueOnce(result(body([changed], "close"), 0, '"v2"'));
    await user.click(screen.getByRole("button", { name: "Resume download" }));
    expect(await screen.findByText("Downloaded 10 B.")).toBeInTheDocument();
    expect(await savedText(0)).toBe("abcdefghij");
  });

  it("discards the partial bytes on request and starts from zero next time", async () => {
    const user = setupUser();
    const fake = createFakeClient([video]);
    fake.download.mockResolvedValueOnce(result(body([BYTES.slice(0, 6)], "error"), 0));
    render(<DownloadButton client={fake.client} video={video} />);
    await user.click(screen.getByRole("button", { name: "Download big_final.mp4" }));
    await user.click(await screen.findByRole("button", { name: "Discard partial download" }));

    fake.download.mockResolvedValueOnce(result(body([BYTES], "close"), 0));
    await user.click(screen.getByRole("button", { name: "Download big_final.mp4" }));
    await screen.findByText("Downloaded 10 B.");
    expect(fake.download).toHaveBeenLastCalledWith(
      "big_final.mp4",
      expect.objectContaining({ from: undefined }),
    );
  });
});
