// The hash router, including the links the server mails, and CSV reading.
import assert from "node:assert/strict";
import { test } from "node:test";
import { parseCsv, parseRoute } from "../src/routes";

test("invitation and set-up links from the server keep their query", () => {
  const setup = parseRoute("#/providers/setup-provider?providerId=p1&providerUserId=u1&email=o%40x.test&token=t.k");
  assert.deepEqual(setup, { name: "setupProvider", q: { providerId: "p1", providerUserId: "u1", email: "o@x.test", token: "t.k" } });
  const accept = parseRoute("#/providers/accept-provider?providerId=p&providerUserId=u&email=a%40b&providerName=Fleet%20MSP&token=t");
  assert.equal(accept.name, "acceptProvider");
  if (accept.name === "acceptProvider") assert.equal(accept.q.providerName, "Fleet MSP");
  const org = parseRoute("#/accept-organization?organizationId=o&organizationUserId=ou&email=e%40acme.test&organizationName=Acme&token=t");
  assert.equal(org.name, "acceptOrg");
});

test("provider and client routes", () => {
  assert.deepEqual(parseRoute(""), { name: "home" });
  assert.deepEqual(parseRoute("#/"), { name: "home" });
  assert.deepEqual(parseRoute("#/p/abc"), { name: "provider", providerId: "abc", tab: "overview", clientId: null, member: null });
  assert.deepEqual(parseRoute("#/p/abc/clients/po1"), { name: "provider", providerId: "abc", tab: "clients", clientId: "po1", member: null });
  assert.deepEqual(parseRoute("#/p/abc/events?member=pu1"), { name: "provider", providerId: "abc", tab: "events", clientId: null, member: "pu1" });
  assert.deepEqual(parseRoute("#/p/abc/members?member=pu1"), { name: "provider", providerId: "abc", tab: "members", clientId: null, member: null });
  assert.deepEqual(parseRoute("#/c/org1/items"), { name: "client", organizationId: "org1", tab: "items" });
  assert.deepEqual(parseRoute("#/two-step?next=%23%2Fp%2Fx"), { name: "twoStep", next: "#/p/x" });
});

test("unknown paths and tabs are not found", () => {
  assert.deepEqual(parseRoute("#/p/abc/members/x"), { name: "notFound", path: "/p/abc/members/x" });
  assert.deepEqual(parseRoute("#/c/org1/secrets"), { name: "notFound", path: "/c/org1/secrets" });
  assert.deepEqual(parseRoute("#/admin"), { name: "notFound", path: "/admin" });
});

test("CSV: quoted fields, doubled quotes, CRLF", () => {
  assert.deepEqual(parseCsv('a,b,c\r\n"x, y","say ""hi""",\r\nlast,"multi\nline",z\r\n'), [
    ["a", "b", "c"],
    ["x, y", 'say "hi"', ""],
    ["last", "multi\nline", "z"],
  ]);
  assert.deepEqual(parseCsv("one"), [["one"]]);
});
