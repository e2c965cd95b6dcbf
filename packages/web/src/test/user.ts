import userEvent, { type UserEvent } from "@testing-library/user-event";
import { vi } from "vitest";

/**
 * A user-event session on the tests' fake clock (see setup.ts): its pause after each action
 * advances the fake timers instead of waiting on real ones, which would never fire.
 */
export function setupUser(): UserEvent {
  return userEvent.setup({ advanceTimers: (ms) => vi.advanceTimersByTime(ms) });
}
