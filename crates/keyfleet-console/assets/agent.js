"use strict";
(() => {
  // src/agent-protocol.ts
  function portTransport(port) {
    return {
      post: (message) => port.postMessage(message),
      listen: (handler) => {
        port.addEventListener("message", (e) => handler(e.data));
        port.start();
      }
    };
  }
  var isObject = (x) => typeof x === "object" && x !== null;
  var METHODS = /* @__PURE__ */ new Set(["ping", "status"]);
  function serve(transport, handlers) {
    transport.listen((message) => {
      if (!isObject(message) || typeof message.id !== "number") return;
      const { id, method, params } = message;
      const fail = (code, text) => transport.post({ id, ok: false, error: { code, message: text } });
      if (typeof method !== "string" || !METHODS.has(method)) return fail("UnknownMethod", `no method ${String(method)}`);
      if (!isObject(params)) return fail("BadRequest", "params must be an object");
      const handler = handlers[method];
      handler(params).then(
        (result) => transport.post({ id, ok: true, result }),
        (e) => fail("Failed", e instanceof Error ? e.message : "failed")
      );
    });
  }

  // src/agent.ts
  var session = null;
  function status() {
    return session === null ? { signedIn: false } : { signedIn: true, email: session.email };
  }
  var scope = globalThis;
  scope.addEventListener("connect", (e) => {
    const port = e.ports[0];
    if (port === void 0) return;
    serve(portTransport(port), {
      ping: async () => ({ pong: true }),
      status: async () => status()
    });
  });
})();
