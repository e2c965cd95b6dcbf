/**
 * The media-facts corpus: every kind of file producers make is generated with ffmpeg once per
 * run, ffprobe says what it holds, and the library's facts (read through the real server's
 * store) must agree field by field; each file is also streamed back byte for byte. Skipped when
 * ffmpeg is not installed; a kind whose encoder is missing (AV1, HEVC) is skipped alone.
 */
import { execFile, execFileSync } from "node:child_process";
import { copyFileSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MediaInfo, VideoInfo } from "../openapi/schemas.js";
import { makeTempDir, startTestServer, type TestServer } from "../test-support/server.js";

const run = promisify(execFile);

/** The encoders this ffmpeg has, or `undefined` when ffmpeg and ffprobe are not installed. */
function availableEncoders(): string | undefined {
  try {
    execFileSync("ffprobe", ["-version"], { stdio: "ignore" });
    return execFileSync("ffmpeg", ["-hide_banner", "-encoders"], { encoding: "utf8" });
  } catch {
    return undefined;
  }
}
const encoders = availableEncoders();
const has = (encoder: string) => encoders?.includes(` ${encoder} `) ?? false;
const av1Encoder = has("libsvtav1")
  ? ["-c:v", "libsvtav1", "-preset", "12"]
  : has("libaom-av1")
    ? ["-c:v", "libaom-av1", "-cpu-used", "8", "-usage", "realtime"]
    : undefined;

const SECONDS = "2"; // short, so the whole corpus encodes in a few seconds
const VIDEO_IN = ["-f", "lavfi", "-i", `testsrc=duration=${SECONDS}:size=320x180:rate=25`];
const AUDIO_IN = ["-f", "lavfi", "-i", `sine=frequency=440:duration=${SECONDS}`];
// One-second GOPs, so fragmented files hold a fragment per second, not one for the whole file.
const H264 = ["-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-pix_fmt", "yuv420p"];
const AAC = ["-c:a", "aac"];

/** One kind of file: how to make it, and what `faststart` must say about it. */
interface CorpusKind {
  name: string;
  /** ffmpeg arguments after the inputs, the output path last (`OUT`), or a derivation. */
  make: { args: string[] } | { from: string; args: string[] } | { from: string; cutTo: number };
  faststart: boolean;
  /** Skipped when the encoder is missing. */
  available: boolean;
}
const OUT = "{out}";

const KINDS: CorpusKind[] = [
  {
    name: "faststart.mp4",
    make: { args: [...VIDEO_IN, ...AUDIO_IN, ...H264, ...AAC, "-movflags", "+faststart", OUT] },
    faststart: true,
    available: true,
  },
  {
    name: "moov-at-end.mp4",
    make: { args: [...VIDEO_IN, ...AUDIO_IN, ...H264, ...AAC, OUT] },
    faststart: false,
    available: true,
  },
  {
    name: "fragmented.mp4",
    make: {
      args: [
        ...VIDEO_IN,
        ...AUDIO_IN,
        ...H264,
        ...AAC,
        "-movflags",
        "frag_keyframe+empty_moov",
        OUT,
      ],
    },
    faststart: true,
    available: true,
  },
  {
    name: "dash-fragmented.mp4",
    make: {
      args: [...VIDEO_IN, ...AUDIO_IN, ...H264, ...AAC, "-movflags", "+dash+frag_keyframe", OUT],
    },
    faststart: true,
    available: true,
  },
  {
    // Written to a pipe: no mfra at the end, no sidx, so only the last moof tells the duration.
    name: "fragmented-piped.mp4",
    make: {
      args: [
        ...[...VIDEO_IN, ...AUDIO_IN, ...H264, ...AAC],
        ...["-movflags", "frag_keyframe+empty_moov+default_base_moof", "-f", "mp4", "pipe:1"],
      ],
    },
    faststart: true,
    available: true,
  },
  {
    name: "quicktime.mov",
    make: { args: [...VIDEO_IN, ...AUDIO_IN, ...H264, ...AAC, OUT] },
    faststart: false,
    available: true,
  },
  {
    name: "video-only.m4v",
    make: { args: [...VIDEO_IN, ...H264, "-movflags", "+faststart", OUT] },
    faststart: true,
    available: true,
  },
  {
    name: "audio-only.mp4",
    make: { args: [...AUDIO_IN, ...AAC, "-movflags", "+faststart", OUT] },
    faststart: true,
    available: true,
  },
  {
    name: "vp9-opus.webm",
    make: {
      args: [
        ...[...VIDEO_IN, ...AUDIO_IN, "-c:v", "libvpx-vp9", "-deadline", "realtime"],
        ...["-cpu-used", "8", "-pix_fmt", "yuv420p", "-c:a", "libopus", OUT],
      ],
    },
    faststart: true,
    available: has("libvpx-vp9") && has("libopus"),
  },
  {
    name: "av1.mp4",
    make: {
      args: [
        ...VIDEO_IN,
        ...(av1Encoder ?? []),
        "-pix_fmt",
        "yuv420p",
        "-movflags",
        "+faststart",
        OUT,
      ],
    },
    faststart: true,
    available: av1Encoder !== undefined,
  },
  {
    name: "av1.webm",
    make: { args: [...VIDEO_IN, ...(av1Encoder ?? []), "-pix_fmt", "yuv420p", OUT] },
    faststart: true,
    available: av1Encoder !== undefined,
  },
  {
    name: "hevc.mp4",
    make: {
      args: [
        ...[...VIDEO_IN, ...AUDIO_IN, "-c:v", "libx265", "-preset", "ultrafast"],
        ...["-x265-params", "log-level=error", "-tag:v", "hvc1", "-pix_fmt", "yuv420p", ...AAC],
        ...["-movflags", "+faststart", OUT],
      ],
    },
    faststart: true,
    available: has("libx265"),
  },
  {
    // The legacy tag asks for 90° clockwise; ffmpeg writes the matrix its version means by it.
    name: "rotated-a.mp4",
    make: {
      from: "faststart.mp4",
      args: ["-c", "copy", "-metadata:s:v:0", "rotate=90", "-movflags", "+faststart", OUT],
    },
    faststart: true,
    available: true,
  },
  {
    name: "rotated-b.mp4",
    make: {
      from: "faststart.mp4",
      args: ["-c", "copy", "-metadata:s:v:0", "rotate=270", "-movflags", "+faststart", OUT],
    },
    faststart: true,
    available: true,
  },
  {
    // Cut before its moov: ffprobe cannot read it, and neither can a player.
    name: "truncated.mp4",
    make: { from: "moov-at-end.mp4", cutTo: 0.5 },
    faststart: false,
    available: true,
  },
];

/** What ffprobe says about one file, as Reel's `MediaInfo` would put it; `null` when it fails. */
async function probeExpected(path: string): Promise<ExpectedFacts | null> {
  let output: string;
  try {
    ({ stdout: output } = await run("ffprobe", [
      ...["-v", "error", "-print_format", "json", "-show_format", "-show_streams", path],
    ]));
  } catch {
    return null;
  }
  const probe = JSON.parse(output) as FfprobeOutput; // ffprobe's documented JSON writer output
  const video = probe.streams.find((stream) => stream.codec_type === "video");
  const audio = probe.streams.find((stream) => stream.codec_type === "audio");
  const rotation = video === undefined ? 0 : clockwiseRotationOf(video);
  const turned = rotation === 90 || rotation === 270;
  return {
    durationSeconds: Number(probe.format.duration),
    width: (turned ? video?.height : video?.width) ?? null,
    height: (turned ? video?.width : video?.height) ?? null,
    rotation,
    videoCodec: video?.codec_name ?? null,
    audioCodec: audio?.codec_name ?? null,
  };
}

/** ffprobe's output, as far as the corpus reads it. */
interface FfprobeOutput {
  format: { duration?: string };
  streams: FfprobeStream[];
}
interface FfprobeStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  tags?: { rotate?: string };
  side_data_list?: Array<{ rotation?: number }>;
}
interface ExpectedFacts {
  durationSeconds: number;
  width: number | null;
  height: number | null;
  rotation: MediaInfo["rotation"];
  /** ffprobe's codec names (`h264`, `vp9`); compared by family with Reel's RFC 6381 values. */
  videoCodec: string | null;
  audioCodec: string | null;
}

/**
 * Clockwise degrees from ffprobe: the legacy `rotate` tag is clockwise; the display matrix
 * side data is counterclockwise (libavutil `av_display_rotation_get`).
 */
function clockwiseRotationOf(stream: FfprobeStream): MediaInfo["rotation"] {
  const tagged = stream.tags?.rotate;
  const counterclockwise = stream.side_data_list?.find((data) => data.rotation !== undefined);
  const degrees = tagged !== undefined ? Number(tagged) : -(counterclockwise?.rotation ?? 0);
  const normalized = (((Math.round(degrees / 90) * 90) % 360) + 360) % 360;
  return normalized === 90 || normalized === 180 || normalized === 270 ? normalized : 0;
}

/** RFC 6381 values Reel may give for each ffprobe codec name. */
const CODEC_FAMILIES: Record<string, RegExp> = {
  h264: /^avc1\.[0-9a-f]{6}$/,
  hevc: /^(hvc1|hev1)\./,
  vp9: /^(vp9|vp09\.\d\d\.\d\d\.\d\d)$/,
  vp8: /^vp8$/,
  av1: /^av01\.\d\.\d\d[MH]\.\d\d$/,
  aac: /^mp4a\.40\.2$/,
  opus: /^opus$/i,
};

describe.skipIf(encoders === undefined)("the media corpus", () => {
  let dir: string;
  let server: TestServer;
  const expected = new Map<string, ExpectedFacts | null>();

  beforeAll(async () => {
    dir = makeTempDir("reel-corpus-");
    for (const kind of KINDS.filter((each) => each.available)) {
      await makeKind(dir, kind);
      expected.set(kind.name, await probeExpected(join(dir, kind.name)));
    }
    server = await startTestServer({ videoDir: dir });
  }, 180_000);

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rows = KINDS.map((kind) => [kind.name, kind] as const);

  describe.each(rows)("%s", (name, kind) => {
    it.skipIf(!kind.available)("has the facts ffprobe reports", async () => {
      const want = expected.get(name);
      const response = await fetch(`${server.baseUrl}/api/videos/${encodeURIComponent(name)}`);
      expect(response.status).toBe(200);
      const { media } = (await response.json()) as VideoInfo; // shape asserted below
      if (want === null || want === undefined) {
        expect(media).toBeNull();
        return;
      }
      expect(media).not.toBeNull();
      const facts = media as MediaInfo; // checked just above
      expect(Math.abs(facts.durationSeconds - want.durationSeconds)).toBeLessThanOrEqual(0.1);
      expect({ width: facts.width, height: facts.height, rotation: facts.rotation }).toEqual({
        width: want.width,
        height: want.height,
        rotation: want.rotation,
      });
      expectCodec(facts.videoCodec, want.videoCodec);
      expectCodec(facts.audioCodec, want.audioCodec);
      expect(facts.faststart).toBe(kind.faststart);
    });

    it.skipIf(!kind.available)("streams byte for byte, whole and ranged", async () => {
      const original = readFileSync(join(dir, name));
      const whole = await fetch(`${server.baseUrl}/api/video/${encodeURIComponent(name)}`);
      expect(whole.status).toBe(200);
      expect(Buffer.from(await whole.arrayBuffer()).equals(original)).toBe(true);
      const middle = Math.floor(original.length / 3);
      const ranged = await fetch(`${server.baseUrl}/api/video/${encodeURIComponent(name)}`, {
        headers: { range: `bytes=${middle}-${middle + 4095}` },
      });
      expect(ranged.status).toBe(206);
      expect(
        Buffer.from(await ranged.arrayBuffer()).equals(original.subarray(middle, middle + 4096)),
      ).toBe(true);
    });
  });
});

/** Reel's RFC 6381 value is in the family of ffprobe's codec name (both null when absent). */
function expectCodec(actual: string | null, ffprobeName: string | null): void {
  if (ffprobeName === null) {
    expect(actual).toBeNull();
    return;
  }
  const family = CODEC_FAMILIES[ffprobeName];
  expect(family, `a codec family for ${ffprobeName}`).toBeDefined();
  expect(actual).toMatch(family ?? /$^/);
}

/** Writes one corpus file into `dir`. */
async function makeKind(dir: string, kind: CorpusKind): Promise<void> {
  const out = join(dir, kind.name);
  const { make } = kind;
  if ("cutTo" in make) {
    const source = join(dir, make.from);
    copyFileSync(source, out);
    truncateSync(out, Math.floor(statSync(source).size * make.cutTo));
    return;
  }
  const input = "from" in make ? ["-i", join(dir, make.from)] : [];
  const args = make.args.map((arg) => (arg === OUT ? out : arg));
  const { stdout } = await run(
    "ffmpeg",
    ["-hide_banner", "-v", "error", "-y", "-threads", "2", ...input, ...args],
    { encoding: "buffer", maxBuffer: 64 * 1024 * 1024 },
  );
  if (args.at(-1) === "pipe:1") {
    writeFileSync(out, stdout);
  }
}
