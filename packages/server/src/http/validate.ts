/** Runs a zod schema on request input; a failure becomes a 400 whose detail names the field. */
import type { z } from "zod";
import { HttpError } from "./errors.js";

type Part = "path" | "query" | "header";

/** Parses `input` with `schema` or throws `HttpError(400)`. Custom messages (filenames) pass through as is. */
export function parseRequestPart<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  part: Part,
): z.infer<Schema> {
  const parsed = schema.safeParse(input);
  if (parsed.success) {
    return parsed.data;
  }
  const issue = parsed.error.issues[0];
  if (issue === undefined) {
    throw new HttpError(400, `Invalid ${part}`);
  }
  if (issue.code === "custom") {
    throw new HttpError(400, issue.message);
  }
  const field = issue.path.map(String).join(".") || part;
  throw new HttpError(400, `Invalid ${part} parameter ${field}: ${issue.message}`);
}
