import { describe, expect, it } from "vitest";
import { type SseMessage, SseParser } from "./sse-parser.js";

function parse(chunks: string[], lastEventId = "") {
  const messages: SseMessage[] = [];
  const retries: number[] = [];
  const parser = new SseParser(
    { onMessage: (message) => messages.push(message), onRetry: (ms) => retries.push(ms) },
    lastEventId,
  );
  for (const chunk of chunks) {
    parser.feed(chunk);
  }
  return { messages, retries, parser };
}

describe("SseParser", () => {
  it("dispatches an event with its type, id and data on a blank line", () => {
    const { messages, parser } = parse(['id: a-1\nevent: removed\ndata: {"filename":"x.mp4"}\n\n']);
    expect(messages).toEqual([{ event: "removed", data: '{"filename":"x.mp4"}', id: "a-1" }]);
    expect(parser.lastEventId).toBe("a-1");
  });

  it("waits for the blank line before dispatching", () => {
    expect(parse(["data: x\n"]).messages).toEqual([]);
  });

  it("joins data lines with newlines and defaults the type to message", () => {
    expect(parse(["data: one\ndata:two\ndata\n\n"]).messages).toEqual([
      { event: "message", data: "one\ntwo\n", id: "" },
    ]);
  });

  it("reassembles lines split across chunks at any point", () => {
    const wire = 'id: b-2\nevent: added\ndata: {"filename":"a.mp4"}\n\n';
    for (let cut = 1; cut < wire.length; cut += 1) {
      const { messages } = parse([wire.slice(0, cut), wire.slice(cut)]);
      expect(messages).toEqual([{ event: "added", data: '{"filename":"a.mp4"}', id: "b-2" }]);
    }
  });

  it("accepts CR, LF and CRLF line ends, also a CRLF split between chunks", () => {
    const { messages } = parse(["data: a\r", "\ndata: b\rdata: c\r\n\r", "\n", "data: d\n\n"]);
    expect(messages).toEqual([
      { event: "message", data: "a\nb\nc", id: "" },
      { event: "message", data: "d", id: "" },
    ]);
  });

  it("ignores comments such as the heartbeat", () => {
    expect(parse([": ping\n\n:\n", "data: x\n\n"]).messages).toEqual([
      { event: "message", data: "x", id: "" },
    ]);
  });

  it("takes the id of an event without data, as the server's opening bare id", () => {
    const { messages, parser } = parse(["retry: 2000\nid: c-7\n\n"]);
    expect(messages).toEqual([]);
    expect(parser.lastEventId).toBe("c-7");
  });

  it("keeps the last id for later events that carry none", () => {
    const { messages } = parse(["id: d-1\ndata: a\n\ndata: b\n\n"]);
    expect(messages.map((message) => message.id)).toEqual(["d-1", "d-1"]);
  });

  it("does not take the id of an event cut off before its blank line", () => {
    const { parser } = parse(["id: e-1\ndata: a\n\nid: e-2\ndata: b\n"]);
    expect(parser.lastEventId).toBe("e-1");
  });

  it("drops a half-received event on reset, keeping the last dispatched id", () => {
    const { messages, parser } = parse(["id: h-1\ndata: a\n\nid: h-2\nevent: added\ndata: cut"]);
    parser.reset();
    parser.feed("data: b\n\n");
    expect(messages).toEqual([
      { event: "message", data: "a", id: "h-1" },
      { event: "message", data: "b", id: "h-1" },
    ]);
  });

  it("starts from the id it was given", () => {
    expect(parse(["data: a\n\n"], "f-9").messages[0]?.id).toBe("f-9");
  });

  it("ignores an id containing NUL", () => {
    expect(parse(["id: g-1\n\nid: bad\0id\ndata: a\n\n"]).messages[0]?.id).toBe("g-1");
  });

  it("reports a numeric retry and ignores any other", () => {
    expect(parse(["retry: 1500\nretry: soon\nretry: 15x\n\n"]).retries).toEqual([1500]);
  });

  it("ignores unknown fields and strips only one leading space", () => {
    expect(parse(["foo: bar\ndata:  two spaces\n\n"]).messages).toEqual([
      { event: "message", data: " two spaces", id: "" },
    ]);
  });
});
