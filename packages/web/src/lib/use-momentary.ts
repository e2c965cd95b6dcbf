import { useCallback, useEffect, useRef, useState } from "react";

/**
 * A value that shows for `durationMs` after each `show(value)`, then goes back to null (a hint
 * after a keyboard action). A new `show` restarts the clock.
 */
export function useMomentary<T>(durationMs: number): [T | null, (value: T) => void] {
  const [value, setValue] = useState<T | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const show = useCallback(
    (next: T) => {
      if (timer.current !== null) {
        clearTimeout(timer.current);
      }
      setValue(next);
      timer.current = setTimeout(() => {
        timer.current = null;
        setValue(null);
      }, durationMs);
    },
    [durationMs],
  );
  useEffect(
    () => () => {
      if (timer.current !== null) {
        clearTimeout(timer.current);
      }
    },
    [],
  );
  return [value, show];
}
