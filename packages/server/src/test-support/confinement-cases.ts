/**
 * Request paths that break the filename rules, with the 400 detail each must get: the encoding
 * tricks every store is tested against (the names never reach a store, whatever it is).
 */

/** Paths under /api/video/ that break the filename rules, with the 400 detail they get. */
export const INVALID_NAMES: Array<[path: string, detail: string]> = [
  ["/api/video/..", "Invalid filename: .."],
  ["/api/video/%2e%2e", "Invalid filename: .."],
  ["/api/video/%2E%2E%2Fsecret.mp4", "Invalid filename: ../secret.mp4"],
  ["/api/video/..%2fsecret.mp4", "Invalid filename: ../secret.mp4"],
  ["/api/video/..%5csecret.mp4", "Invalid filename: ..\\secret.mp4"],
  ["/api/video/sub%2fnested.mp4", "Invalid filename: sub/nested.mp4"],
  ["/api/video/%2fetc%2fpasswd", "Invalid filename: /etc/passwd"],
  ["/api/video/%2Ftmp%2Fsecret.mp4", "Invalid filename: /tmp/secret.mp4"],
  ["/api/video/ok.mp4%00", "Invalid filename: ok.mp4\u0000"],
  ["/api/video/ok%00.mp4", "Invalid filename: ok\u0000.mp4"],
  ["/api/video/%0aok.mp4", "Invalid filename: \nok.mp4"],
  ["/api/video/%ff.mp4", "Invalid filename: %ff.mp4"],
  ["/api/video/%c0%ae%c0%ae%c0%afsecret.mp4", "Invalid filename: %c0%ae%c0%ae%c0%afsecret.mp4"],
  ["/api/video/%ed%a0%80.mp4", "Invalid filename: %ed%a0%80.mp4"], // a UTF-8 encoded surrogate
  ["/api/video/.env", "Invalid filename: .env"],
  ["/api/video/.hidden.mp4", "Invalid filename: .hidden.mp4"],
  ["/api/video/%2ehidden.mp4", "Invalid filename: .hidden.mp4"],
  ["/api/video/notes.txt", "Invalid filename: notes.txt"],
  ["/api/video/ok.mp4.txt", "Invalid filename: ok.mp4.txt"],
  ["/api/video/ok.mp4%2f", "Invalid filename: ok.mp4/"],
  [`/api/video/${"a".repeat(252)}.mp4`, `Invalid filename: ${"a".repeat(252)}.mp4`],
];
