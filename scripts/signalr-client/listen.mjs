// Connects to a Keyfleet notification hub as the Bitwarden apps do (WebSockets without
// negotiation, MessagePack or JSON) and prints one JSON line per event on stdout:
//   {"event":"connected"} | {"event":"message","data":{…}} | {"event":"closed","error":…}
// Usage: node listen.mjs HUB_URL TOKEN messagepack|json header|query
// The token goes in the Authorization header (what the client library does under Node) or in
// the access_token query (what it does in browsers). Ends when stdin closes.
import * as signalR from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";

const [url, token, protocol, tokenIn] = process.argv.slice(2);
const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const target = tokenIn === "query" ? `${url}?access_token=${encodeURIComponent(token)}` : url;
const options = { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets };
if (tokenIn !== "query") options.accessTokenFactory = () => token;
let builder = new signalR.HubConnectionBuilder()
  .withUrl(target, options)
  .configureLogging(signalR.LogLevel.None);
if (protocol === "messagepack") builder = builder.withHubProtocol(new MessagePackHubProtocol());
const connection = builder.build();
connection.on("ReceiveMessage", (data) => say({ event: "message", data }));
connection.on("Heartbeat", () => {});
connection.onclose((error) => {
  say({ event: "closed", error: error ? String(error.message ?? error) : null });
  process.exit(0);
});
try {
  await connection.start();
  say({ event: "connected" });
} catch (e) {
  say({ event: "failed", error: String(e?.message ?? e) });
  process.exit(0);
}
process.stdin.resume();
process.stdin.on("end", async () => {
  await connection.stop();
  process.exit(0);
});
