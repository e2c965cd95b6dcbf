// Never run: compiles only while the package's types are real. Were any of them `any`, an
// `@ts-expect-error` below would be unused, which is itself an error.
import type { RangeResponse, ReelClient, VideoInfo } from "@reel/client";

export async function checkTypes(reel: ReelClient, video: VideoInfo): Promise<void> {
  const size: number = video.size;
  const contentType: "video/mp4" | "video/webm" | "video/quicktime" = video.contentType;
  const range: RangeResponse = await reel.fetchRange(video.filename, { start: 0, end: size - 1 });
  const status: 200 | 206 = range.status;
  void [contentType, status];
  // @ts-expect-error the listing's sort keys are a closed union
  await reel.listVideos({ sort: "duration" });
  // @ts-expect-error VideoInfo has no such field
  void video.duration;
}
