/**
 * Hands finished bytes to the browser as a download named `filename`. An <a download> on a
 * Blob URL works in every browser (the File System Access API would need the save dialog at
 * click time, before the bytes exist, and only Chromium has it).
 */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement("a");
  anchor.href = url;
  anchor.download = filename;
  anchor.hidden = true;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  // The click starts the download asynchronously; revoking at once can cancel it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
