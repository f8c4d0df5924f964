// The hash router's parsing: pure, so the unit tests cover it. Links the server mails keep their
// fragment through its `/` -> `/console/` redirect (`#/providers/accept-provider?…`).

export type ProviderTab = "overview" | "members" | "roles" | "clients" | "events" | "usage" | "settings";
export type ClientTab = "overview" | "members" | "collections" | "items" | "groups" | "policies" | "events";

export type Route =
  | { readonly name: "home" }
  | { readonly name: "signIn" }
  | { readonly name: "twoStep"; readonly next: string }
  | { readonly name: "account" }
  | { readonly name: "setupProvider"; readonly q: Readonly<Record<string, string>> }
  | { readonly name: "acceptProvider"; readonly q: Readonly<Record<string, string>> }
  | { readonly name: "acceptOrg"; readonly q: Readonly<Record<string, string>> }
  | {
      readonly name: "provider";
      readonly providerId: string;
      readonly tab: ProviderTab;
      readonly clientId: string | null;
      /** The events tab's member filter (`#/p/ID/events?member=PUID`: a member's activity). */
      readonly member: string | null;
    }
  | { readonly name: "client"; readonly organizationId: string; readonly tab: ClientTab }
  | { readonly name: "notFound"; readonly path: string };

const PROVIDER_TABS: readonly string[] = ["overview", "members", "roles", "clients", "events", "usage", "settings"];
const CLIENT_TABS: readonly string[] = ["overview", "members", "collections", "items", "groups", "policies", "events"];

function query(s: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(s)) out[k] = v;
  return out;
}

export function parseRoute(hash: string): Route {
  const raw = hash.replace(/^#/, "");
  const qi = raw.indexOf("?");
  const path = (qi < 0 ? raw : raw.slice(0, qi)) || "/";
  const q = query(qi < 0 ? "" : raw.slice(qi + 1));
  const parts = path.split("/").filter((p) => p !== "").map(decodeURIComponent);
  switch (path) {
    case "/":
      return { name: "home" };
    case "/sign-in":
      return { name: "signIn" };
    case "/two-step":
      return { name: "twoStep", next: q.next ?? "" };
    case "/account":
      return { name: "account" };
    case "/providers/setup-provider":
    case "/setup-provider":
      return { name: "setupProvider", q };
    case "/providers/accept-provider":
    case "/accept-provider":
      return { name: "acceptProvider", q };
    case "/accept-organization":
      return { name: "acceptOrg", q };
  }
  if (parts[0] === "p" && parts[1] !== undefined) {
    const tab = parts[2] ?? "overview";
    if (PROVIDER_TABS.includes(tab) && parts.length <= 4 && (parts[3] === undefined || tab === "clients")) {
      const member = tab === "events" ? (q.member ?? null) : null;
      return { name: "provider", providerId: parts[1], tab: tab as ProviderTab, clientId: parts[3] ?? null, member };
    }
  }
  if (parts[0] === "c" && parts[1] !== undefined && parts.length <= 3) {
    const tab = parts[2] ?? "overview";
    if (CLIENT_TABS.includes(tab)) return { name: "client", organizationId: parts[1], tab: tab as ClientTab };
  }
  return { name: "notFound", path };
}

/** CSV text -> rows (RFC 4180: quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
