/**
 * Peer: Express 5 `express.static` (serve-static over `send`), the server most Node users would
 * reach for. Run as its own process; PORT and VIDEO_DIR come from the environment.
 */
import express from "express";

const app = express();
app.disable("x-powered-by");
app.use("/api/video", express.static(process.env.VIDEO_DIR ?? ".", { index: false }));
app.listen(Number(process.env.PORT), "127.0.0.1");
