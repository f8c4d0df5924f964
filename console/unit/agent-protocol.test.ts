// The key agent's protocol over a MessageChannel: the same code a tab and the SharedWorker run,
// with no worker involved.
import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { AgentCallError, AgentClient, type AgentStatus, ApiFailure, portTransport, serve } from "../src/agent-protocol";

// Every channel a test opens is closed when the test ends, passed or failed: an open port keeps
// Node's event loop (and so `npm run unit`) alive.
const open: MessageChannel[] = [];
function newChannel(): MessageChannel {
  const c = new MessageChannel();
  open.push(c);
  return c;
}
afterEach(() => {
  for (const c of open.splice(0)) {
    c.port1.close();
    c.port2.close();
  }
});

function connected(status: () => Promise<AgentStatus>): { client: AgentClient; close: () => void } {
  const channel = newChannel();
  serve(portTransport(channel.port1), { ping: async () => ({ pong: true }), status });
  return {
    client: new AgentClient(portTransport(channel.port2)),
    close: () => {
      channel.port1.close();
      channel.port2.close();
    },
  };
}

test("a tab's calls are answered by id, each with its own result", async () => {
  const { client, close } = connected(async () => ({ signedIn: true, email: "a@example.com", userId: "u1", locked: false }));
  const [pong, status] = await Promise.all([client.call("ping", {}), client.call("status", {})]);
  assert.deepEqual(pong, { pong: true });
  assert.deepEqual(status, { signedIn: true, email: "a@example.com", userId: "u1", locked: false });
  close();
});

test("a failing handler becomes an error for the caller, not a hang", async () => {
  const { client, close } = connected(async () => {
    throw new Error("no session store");
  });
  await assert.rejects(
    client.call("status", {}),
    (e: unknown) => e instanceof AgentCallError && e.error.code === "Failed" && e.message === "no session store",
  );
  close();
});

test("unknown methods and malformed params are refused", async () => {
  const channel = newChannel();
  serve(portTransport(channel.port1), { ping: async () => ({ pong: true }), status: async () => ({ signedIn: false }) });
  const answers: unknown[] = [];
  const done = new Promise<void>((resolve) => {
    channel.port2.addEventListener("message", (e: MessageEvent<unknown>) => {
      answers.push(e.data);
      if (answers.length === 2) resolve();
    });
    channel.port2.start();
  });
  channel.port2.postMessage({ id: 1, method: "exportKeys", params: {} });
  channel.port2.postMessage({ id: 2, method: "ping", params: "x" });
  await done;
  assert.deepEqual(answers, [
    { id: 1, ok: false, error: { code: "UnknownMethod", message: "no method exportKeys", status: 0, validationErrors: null } },
    { id: 2, ok: false, error: { code: "BadRequest", message: "params must be an object", status: 0, validationErrors: null } },
  ]);
  channel.port1.close();
  channel.port2.close();
});

test("a server refusal keeps its status and validation errors across the protocol", async () => {
  const channel = newChannel();
  serve(portTransport(channel.port1), {
    status: async () => {
      throw new ApiFailure(400, "Two-step login is required.", { twoStepLoginRequired: ["Two-step login is required."] });
    },
  });
  const client = new AgentClient(portTransport(channel.port2));
  await assert.rejects(
    client.call("status", {}),
    (e: unknown) => e instanceof AgentCallError && e.error.status === 400 && e.twoStepRequired,
  );
  await assert.rejects(
    client.call("ping", {}),
    (e: unknown) => e instanceof AgentCallError && e.error.code === "UnknownMethod",
  );
  channel.port1.close();
  channel.port2.close();
});
