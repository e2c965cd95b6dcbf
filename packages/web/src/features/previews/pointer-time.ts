/** The horizontal extent of the seek bar on screen (a `DOMRect`'s part that matters). */
export interface BarBox {
  left: number;
  width: number;
}

/**
 * The media time under a pointer at `clientX` over a bar spanning `box` that stands for
 * `duration` seconds, clamped to the bar; null while the bar has no width or the duration is
 * unknown.
 */
export function timeAtPointer(clientX: number, box: BarBox, duration: number): number | null {
  if (!(box.width > 0) || !Number.isFinite(duration) || duration <= 0) {
    return null;
  }
  const fraction = Math.min(1, Math.max(0, (clientX - box.left) / box.width));
  return fraction * duration;
}
