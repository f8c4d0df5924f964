// Connects to a Keyfleet notification hub as the Bitwarden apps do (WebSockets without
// negotiation, MessagePack or JSON) and prints one JSON line per event on stdout:
//   {"event":"connected"} | {"event":"message","target":…,"data":{…}} | {"event":"closed","error":…}
// Usage: node listen.mjs HUB_URL TOKEN messagepack|json header|query|none
// The token goes in the Authorization header (what the client library does under Node) or in
// the access_token query (what it does in browsers); `none` for the anonymous hub, whose URL
// names the login request. Ends when stdin closes.
import * as signalR from "@microsoft/signalr";
import { MessagePackHubProtocol } from "@microsoft/signalr-protocol-msgpack";

const [url, token, protocol, tokenIn] = process.argv.slice(2);
const say = (o) => process.stdout.write(JSON.stringify(o) + "\n");
const target = tokenIn === "query" ? `${url}?access_token=${encodeURIComponent(token)}` : url;
const options = { skipNegotiation: true, transport: signalR.HttpTransportType.WebSockets };
if (tokenIn === "header") options.accessTokenFactory = () => token;
let builder = new signalR.HubConnectionBuilder()
  .withUrl(target, options)
  .configureLogging(signalR.LogLevel.None);
if (protocol === "messagepack") builder = builder.withHubProtocol(new MessagePackHubProtocol());
const connection = builder.build();
for (const target of ["ReceiveMessage", "AuthRequestResponseRecieved"]) {
  connection.on(target, (data) => say({ event: "message", target, data }));
}
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
