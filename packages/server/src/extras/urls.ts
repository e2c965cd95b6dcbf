/** URL paths of a video's extras, as `VideoInfo` carries them (the name percent-encoded). */

const base = (name: string) => `/api/videos/${encodeURIComponent(name)}`;

/** `/api/videos/{name}/poster.jpg` */
export const posterPathOf = (name: string): string => `${base(name)}/poster.jpg`;

/** `/api/videos/{name}/previews.vtt` */
export const previewsPathOf = (name: string): string => `${base(name)}/previews.vtt`;

/** `/api/videos/{name}/previews/{sheet}.jpg`, the target of the previews track's cues. */
export const sheetPathOf = (name: string, sheet: number): string =>
  `${base(name)}/previews/${sheet}.jpg`;

/** `/api/videos/{name}/subtitles/{lang}.vtt` */
export const subtitlePathOf = (name: string, lang: string): string =>
  `${base(name)}/subtitles/${encodeURIComponent(lang)}.vtt`;
