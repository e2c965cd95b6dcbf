/**
 * The one `z` every module imports: zod extended with `.openapi()` so a schema that validates a
 * request is the same object that documents it.
 */
import { extendZodWithOpenApi } from "@asteasolutions/zod-to-openapi";
import { z } from "zod";

extendZodWithOpenApi(z);

export { z };
