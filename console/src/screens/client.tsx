// Client screens (shared console-design §4.3), in the tab a launch opened: overview, members,
// collections, items. The org key stays in the agent; names and fields are decrypted there.

import { useState } from "preact/hooks";
import type { CollectionView, ItemView, LaunchedClient } from "../agent-protocol";
import { MIN_MASTER_PASSWORD_LENGTH, newPasswordProblem } from "../login";
import type { ClientTab } from "../routes";
import { ActionButton, ActionForm, CopyButton, Dialog, ErrorNote, Field, Loading, type Page, Table, call, downloadText, formatDate, useLoad, usePaged } from "../ui";
import { ConfirmDialog } from "./provider";

const ITEM_TYPES: Record<number, string> = { 1: "login", 2: "secure note", 3: "card", 4: "identity", 5: "SSH key" };

const orgPath = (id: string): string => `/api/organizations/${encodeURIComponent(id)}`;

interface OrgUser {
  id: string;
  userId: string | null;
  name: string | null;
  email: string;
  type: number;
  status: number;
  twoFactorEnabled?: boolean;
  resetPasswordEnrolled?: boolean;
}

const TYPE_NAMES: Record<number, string> = { 0: "Owner", 1: "Admin", 2: "User", 3: "Manager", 4: "Custom" };
const STATUS_NAMES: Record<string, string> = { "-1": "Revoked", "0": "Invited", "1": "Accepted", "2": "Confirmed" };

export function ClientPage({ organizationId, tab }: { readonly organizationId: string; readonly tab: ClientTab }) {
  const launched = useLoad(() => call("launched", { organizationId }), organizationId);
  if (launched.loading) return <Loading what="the client" />;
  const l = launched.data;
  if (l === null || l === undefined) {
    return (
      <section class="card" aria-labelledby="cnf">
        <h2 id="cnf">Client not found</h2>
        <p>There is no launched client here. Launch a client from your provider's client list.</p>
      </section>
    );
  }
  const tabs: [ClientTab, string][] = [
    ["overview", "Overview"],
    ["members", "Members"],
    ["collections", "Collections"],
    ["items", "Items"],
    ["groups", "Groups"],
    ["policies", "Policies"],
    ["events", "Events"],
  ];
  return (
    <div class="page">
      <p class="banner" role="note">
        Launched by you from {l.providerName}; your actions are logged in {l.organizationName}'s event log.
      </p>
      <h2 class="page-title">{l.organizationName}</h2>
      <nav aria-label="Client">
        <ul class="tabs">
          {tabs.map(([t, label]) => (
            <li key={t}>
              <a href={`#/c/${organizationId}/${t}`} aria-current={t === tab ? "page" : undefined}>
                {label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {tab === "overview" ? <Overview l={l} /> : null}
      {tab === "members" ? <Members l={l} /> : null}
      {tab === "collections" ? <Collections l={l} /> : null}
      {tab === "items" ? <Items l={l} /> : null}
      {tab === "groups" ? <Groups l={l} /> : null}
      {tab === "policies" ? <Policies l={l} /> : null}
      {tab === "events" ? <Events l={l} /> : null}
    </div>
  );
}

function Overview({ l }: { readonly l: LaunchedClient }) {
  const o = useLoad(
    async () => (await call("api", { method: "GET", path: orgPath(l.organizationId) })) as { plan: string; seats: number | null },
    l.organizationId,
  );
  const users = useLoad(async () => (await call("api", { method: "GET", path: `${orgPath(l.organizationId)}/users` })) as { data: OrgUser[] }, `${l.organizationId}u`);
  return (
    <section aria-labelledby="cov-h">
      <h3 id="cov-h">Overview</h3>
      {o.data === undefined ? (
        <ErrorNote error={o.error} />
      ) : (
        <dl class="facts">
          <dt>Plan</dt>
          <dd>{o.data.plan}</dd>
          <dt>Seats</dt>
          <dd>
            {users.data === undefined ? "…" : users.data.data.filter((u) => u.status >= 0).length} used of {o.data.seats ?? "unlimited"}
          </dd>
        </dl>
      )}
    </section>
  );
}

function Members({ l }: { readonly l: LaunchedClient }) {
  const [n, setN] = useState(0);
  const users = useLoad(async () => (await call("api", { method: "GET", path: `${orgPath(l.organizationId)}/users` })) as { data: OrgUser[] }, `${l.organizationId}:${n}`);
  const collections = useLoad(() => call("collections", { organizationId: l.organizationId, details: false }), l.organizationId);
  const [inviting, setInviting] = useState(false);
  const [links, setLinks] = useState<{ email: string | null; inviteUrl: string | null }[]>([]);
  const [confirming, setConfirming] = useState<OrgUser | null>(null);
  const [recovering, setRecovering] = useState<OrgUser | null>(null);
  const reload = (): void => setN(n + 1);
  const act = (u: OrgUser, method: "PUT" | "DELETE", suffix: string) => async () => {
    await call("api", { method, path: `${orgPath(l.organizationId)}/users/${u.id}${suffix}` });
    reload();
  };
  return (
    <section aria-labelledby="cm-h">
      <h3 id="cm-h">Members</h3>
      <button type="button" onClick={() => setInviting(true)}>
        Invite members
      </button>
      {links.length > 0 ? (
        <section aria-labelledby="olinks-h" class="links">
          <h4 id="olinks-h">Invitation links</h4>
          <ul>
            {links.map((x, i) => (
              <li key={i}>
                {x.email}: <code class="wrap" data-testid="org-invite-link" data-email={x.email ?? ""}>{x.inviteUrl}</code>{" "}
                <CopyButton text={x.inviteUrl ?? ""} label={`Copy the link for ${x.email ?? ""}`} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {users.data === undefined ? (
        users.error !== null ? <ErrorNote error={users.error} /> : <Loading what="members" />
      ) : (
        <Table>
          <caption class="sr-only">Members of {l.organizationName}</caption>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.data.data.map((u) => (
              <tr key={u.id} data-email={u.email}>
                <td>
                  {u.name ?? ""} <span class="muted">{u.email}</span>
                </td>
                <td>{TYPE_NAMES[u.type] ?? u.type}</td>
                <td>{STATUS_NAMES[String(u.status)] ?? u.status}</td>
                <td class="actions">
                  {u.status === 1 ? (
                    <button type="button" onClick={() => setConfirming(u)} aria-label={`Confirm ${u.email}`}>
                      Confirm
                    </button>
                  ) : null}
                  {u.resetPasswordEnrolled === true && u.status !== 0 ? (
                    // Who may recover whom is the server's call (owners, admins, provider
                    // members): its refusal shows in the dialog.
                    <button type="button" onClick={() => setRecovering(u)} aria-label={`Recover the account of ${u.email}`}>
                      Recover account
                    </button>
                  ) : null}
                  {u.status === -1 ? (
                    <ActionButton label="Restore" ariaLabel={`Restore ${u.email}`} action={act(u, "PUT", "/restore")} />
                  ) : (
                    <ActionButton label="Revoke" ariaLabel={`Revoke ${u.email}`} action={act(u, "PUT", "/revoke")} />
                  )}
                  <ActionButton
                    label="Remove"
                    class="danger"
                    ariaLabel={`Remove ${u.email}`}
                    action={async () => {
                      if (!confirm(`Remove ${u.email}?`)) return;
                      await act(u, "DELETE", "")();
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {inviting ? (
        <OrgInviteDialog
          l={l}
          collections={collections.data ?? []}
          onClose={() => setInviting(false)}
          onInvited={(r) => {
            setLinks(r.filter((x) => x.inviteUrl !== null && x.inviteUrl !== undefined));
            setInviting(false);
            reload();
          }}
        />
      ) : null}
      {confirming !== null ? (
        <ConfirmDialog
          who={confirming.email}
          fingerprint={async () =>
            (await call("orgFingerprints", { organizationId: l.organizationId, ids: [confirming.id] }))[0]?.phrase ?? null
          }
          confirm={async () => {
            await call("confirmOrgMember", { organizationId: l.organizationId, id: confirming.id });
            setConfirming(null);
            reload();
          }}
          onClose={() => setConfirming(null)}
        />
      ) : null}
      {recovering !== null ? (
        <RecoverDialog l={l} member={recovering} onClose={() => setRecovering(null)} />
      ) : null}
    </section>
  );
}

/**
 * Account recovery (issue 16): a new master password for a member enrolled in the organization's
 * account recovery. The agent unwraps their user key and re-wraps it under the new password, so
 * their vault stays readable; every session of theirs ends and they must choose their own
 * password at their next sign-in.
 */
function RecoverDialog({
  l,
  member,
  onClose,
}: {
  readonly l: LaunchedClient;
  readonly member: OrgUser;
  readonly onClose: () => void;
}) {
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const [resetTwoFactor, setResetTwoFactor] = useState(false);
  const [done, setDone] = useState(false);
  return (
    <Dialog title={`Recover the account of ${member.email}`} onClose={onClose}>
      {done ? (
        <p role="status" data-testid="recovered">
          {member.email} now signs in with the new master password
          {resetTwoFactor ? " and no two-step login" : ""}. Give it to them safely: they will be asked
          to choose their own master password when they sign in.
        </p>
      ) : (
        <>
          <p>
            Sets a new master password for {member.email}; their items stay readable. Every session of
            theirs ends.
          </p>
          <ActionForm
            submit="Recover account"
            busyText="Deriving keys…"
            action={async () => {
              const problem = newPasswordProblem(password, again);
              if (problem !== null) throw new Error(problem);
              await call("recoverAccount", {
                organizationId: l.organizationId,
                id: member.id,
                email: member.email,
                password,
                resetTwoFactor,
              });
              setDone(true);
            }}
          >
            <Field
              label="New master password"
              type="password"
              value={password}
              onInput={setPassword}
              required
              autocomplete="new-password"
              hint={`At least ${MIN_MASTER_PASSWORD_LENGTH} characters.`}
            />
            <Field
              label="New master password again"
              type="password"
              value={again}
              onInput={setAgain}
              required
              autocomplete="new-password"
            />
            <label class="inline">
              <input
                type="checkbox"
                checked={resetTwoFactor}
                onChange={(e) => setResetTwoFactor((e.currentTarget as HTMLInputElement).checked)}
              />{" "}
              Also turn off two-step login
            </label>
          </ActionForm>
        </>
      )}
    </Dialog>
  );
}

function OrgInviteDialog({
  l,
  collections,
  onClose,
  onInvited,
}: {
  readonly l: LaunchedClient;
  readonly collections: CollectionView[];
  readonly onClose: () => void;
  readonly onInvited: (r: { email: string | null; inviteUrl: string | null }[]) => void;
}) {
  const [emails, setEmails] = useState("");
  const [type, setType] = useState("2");
  const [ids, setIds] = useState<string[]>([]);
  return (
    <Dialog title={`Invite to ${l.organizationName}`} onClose={onClose}>
      <ActionForm
        submit="Invite"
        action={async () => {
          const list = emails.split(/[\s,;]+/).filter((x) => x !== "");
          if (list.length === 0) throw new Error("Enter at least one email address.");
          const r = (await call("api", {
            method: "POST",
            path: `${orgPath(l.organizationId)}/users/invite`,
            body: {
              emails: list,
              type: Number(type),
              collections: ids.map((id) => ({ id, readOnly: false, hidePasswords: false, manage: false })),
              groups: [],
            },
          })) as { data?: { email: string | null; inviteUrl: string | null }[] } | null;
          onInvited(r?.data ?? []);
        }}
      >
        <label for="org-invite-emails">Email addresses</label>
        <textarea id="org-invite-emails" rows={3} value={emails} onInput={(e) => setEmails((e.currentTarget as HTMLTextAreaElement).value)} required />
        <label for="org-invite-type">Role</label>
        <select id="org-invite-type" value={type} onChange={(e) => setType((e.currentTarget as HTMLSelectElement).value)}>
          <option value="2">User</option>
          <option value="3">Manager</option>
        </select>
        {collections.length > 0 ? (
          <fieldset>
            <legend>Collections</legend>
            {collections.map((c) => (
              <label class="inline" key={c.id}>
                <input
                  type="checkbox"
                  checked={ids.includes(c.id)}
                  onChange={(e) => setIds((e.currentTarget as HTMLInputElement).checked ? [...ids, c.id] : ids.filter((x) => x !== c.id))}
                />{" "}
                {c.name}
              </label>
            ))}
          </fieldset>
        ) : null}
      </ActionForm>
    </Dialog>
  );
}

function Collections({ l }: { readonly l: LaunchedClient }) {
  const [n, setN] = useState(0);
  const list = useLoad(() => call("collections", { organizationId: l.organizationId, details: true }), `${l.organizationId}:${n}`);
  const users = useLoad(async () => (await call("api", { method: "GET", path: `${orgPath(l.organizationId)}/users` })) as { data: OrgUser[] }, l.organizationId);
  const [editing, setEditing] = useState<CollectionView | "new" | null>(null);
  return (
    <section aria-labelledby="cc-h">
      <h3 id="cc-h">Collections</h3>
      <button type="button" onClick={() => setEditing("new")}>
        New collection
      </button>
      {list.data === undefined ? (
        list.error !== null ? <ErrorNote error={list.error} /> : <Loading what="collections" />
      ) : (
        <Table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Members with access</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td>{c.users.length}</td>
                <td class="actions">
                  <button type="button" class="secondary" onClick={() => setEditing(c)} aria-label={`Edit ${c.name}`}>
                    Edit
                  </button>
                  <ActionButton
                    label="Delete"
                    class="danger"
                    ariaLabel={`Delete ${c.name}`}
                    action={async () => {
                      if (!confirm(`Delete the collection ${c.name}?`)) return;
                      await call("api", { method: "DELETE", path: `${orgPath(l.organizationId)}/collections/${c.id}` });
                      setN(n + 1);
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {editing !== null ? (
        <CollectionDialog
          l={l}
          c={editing === "new" ? null : editing}
          users={(users.data?.data ?? []).filter((u) => u.status >= 0 && u.type !== 0 && u.type !== 1)}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            setN(n + 1);
          }}
        />
      ) : null}
    </section>
  );
}

function CollectionDialog({
  l,
  c,
  users,
  onClose,
  onSaved,
}: {
  readonly l: LaunchedClient;
  readonly c: CollectionView | null;
  readonly users: OrgUser[];
  readonly onClose: () => void;
  readonly onSaved: () => void;
}) {
  const [name, setName] = useState(c?.name ?? "");
  const [ids, setIds] = useState<string[]>(c?.users.map((u) => u.id) ?? []);
  return (
    <Dialog title={c === null ? "New collection" : `Edit ${c.name}`} onClose={onClose}>
      <ActionForm
        submit="Save"
        action={async () => {
          await call("saveCollection", {
            organizationId: l.organizationId,
            id: c?.id ?? null,
            name,
            users: ids.map((id) => ({ id, readOnly: false, hidePasswords: false, manage: false })),
          });
          onSaved();
        }}
      >
        <Field label="Name" value={name} onInput={setName} required />
        <fieldset>
          <legend>Members with access</legend>
          {users.length === 0 ? <p>No members to give access to.</p> : null}
          {users.map((u) => (
            <label class="inline" key={u.id}>
              <input
                type="checkbox"
                checked={ids.includes(u.id)}
                onChange={(e) => setIds((e.currentTarget as HTMLInputElement).checked ? [...ids, u.id] : ids.filter((x) => x !== u.id))}
              />{" "}
              {u.email}
            </label>
          ))}
        </fieldset>
      </ActionForm>
    </Dialog>
  );
}

function Items({ l }: { readonly l: LaunchedClient }) {
  const [n, setN] = useState(0);
  const items = useLoad(() => call("items", { organizationId: l.organizationId }), `${l.organizationId}:${n}`);
  const collections = useLoad(() => call("collections", { organizationId: l.organizationId, details: false }), l.organizationId);
  const [editing, setEditing] = useState<ItemView | "new" | null>(null);
  const [revealed, setRevealed] = useState<Record<string, string>>({});
  const [trash, setTrash] = useState(false);
  const colName = new Map((collections.data ?? []).map((c) => [c.id, c.name]));
  const reload = (): void => setN(n + 1);
  const cipher = (id: string): string => `/api/ciphers/${encodeURIComponent(id)}`;
  return (
    <section aria-labelledby="ci-h">
      <h3 id="ci-h">Items</h3>
      <div class="toolbar">
        <button type="button" onClick={() => setEditing("new")}>
          New login item
        </button>
        <label class="inline">
          <input type="checkbox" checked={trash} onChange={(e) => setTrash((e.currentTarget as HTMLInputElement).checked)} /> Show trash
        </label>
      </div>
      {items.data === undefined ? (
        items.error !== null ? <ErrorNote error={items.error} /> : <Loading what="items" />
      ) : (
        <Table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Username</th>
              <th scope="col">Password</th>
              <th scope="col">Collections</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {items.data
              .filter((i) => i.deleted === trash)
              .map((i) => (
                <tr key={i.id}>
                  <td>
                    {i.name}
                    {i.type === 1 ? null : <span class="muted"> ({ITEM_TYPES[i.type] ?? "item"})</span>}
                  </td>
                  <td>{i.username}</td>
                  <td>
                    {i.type === 1 ? (
                      <>
                    {revealed[i.id] !== undefined ? <code>{revealed[i.id]}</code> : "••••••••"}{" "}
                    <ActionButton
                      label={revealed[i.id] !== undefined ? "Hide" : "Reveal"}
                      ariaLabel={`${revealed[i.id] !== undefined ? "Hide" : "Reveal"} the password of ${i.name}`}
                      action={async () => {
                        if (revealed[i.id] !== undefined) {
                          const { [i.id]: _, ...rest } = revealed;
                          setRevealed(rest);
                          return;
                        }
                        const r = await call("revealPassword", { organizationId: l.organizationId, id: i.id, copy: false });
                        setRevealed({ ...revealed, [i.id]: r.password });
                      }}
                    />
                    <ActionButton
                      label="Copy"
                      ariaLabel={`Copy the password of ${i.name}`}
                      action={async () => {
                        const r = await call("revealPassword", { organizationId: l.organizationId, id: i.id, copy: true });
                        await navigator.clipboard?.writeText(r.password).catch(() => undefined);
                      }}
                    />
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>{i.collectionIds.map((c) => colName.get(c) ?? "…").join(", ")}</td>
                  <td class="actions">
                    {trash ? (
                      <>
                        <ActionButton label="Restore" ariaLabel={`Restore ${i.name}`} action={async () => {
                          await call("api", { method: "PUT", path: `${cipher(i.id)}/restore-admin` });
                          reload();
                        }} />
                        <ActionButton label="Delete forever" class="danger" ariaLabel={`Delete forever: ${i.name}`} action={async () => {
                          if (!confirm(`Delete ${i.name} forever?`)) return;
                          await call("api", { method: "DELETE", path: `${cipher(i.id)}/admin` });
                          reload();
                        }} />
                      </>
                    ) : (
                      <>
                        <button type="button" class="secondary" onClick={() => setEditing(i)} aria-label={`Edit ${i.name}`}>
                          Edit
                        </button>
                        <ActionButton label="Move to trash" ariaLabel={`Move to trash: ${i.name}`} action={async () => {
                          await call("api", { method: "PUT", path: `${cipher(i.id)}/delete-admin` });
                          reload();
                        }} />
                      </>
                    )}
                  </td>
                </tr>
              ))}
          </tbody>
        </Table>
      )}
      {editing !== null ? (
        <ItemDialog
          l={l}
          item={editing === "new" ? null : editing}
          collections={collections.data ?? []}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            reload();
          }}
        />
      ) : null}
    </section>
  );
}

function ItemDialog({
  l,
  item,
  collections,
  onClose,
  onSaved,
}: {
  readonly l: LaunchedClient;
  readonly item: ItemView | null;
  readonly collections: CollectionView[];
  readonly onClose: () => void;
  readonly onSaved: () => void;
}) {
  const [name, setName] = useState(item?.name ?? "");
  const [username, setUsername] = useState(item?.username ?? "");
  const [password, setPassword] = useState("");
  const [uri, setUri] = useState(item?.uri ?? "");
  const [ids, setIds] = useState<string[]>(item === null ? [] : [...item.collectionIds]);
  return (
    <Dialog title={item === null ? "New login item" : `Edit ${item.name}`} onClose={onClose}>
      <ActionForm
        submit="Save"
        busyText="Encrypting…"
        action={async () => {
          if (ids.length === 0) throw new Error("Choose at least one collection.");
          // An empty password on an edit keeps the current one: never decrypted (nor logged as seen).
          await call("saveItem", {
            organizationId: l.organizationId,
            id: item?.id ?? null,
            item: { name, username, password: item !== null && password === "" ? null : password, uri, collectionIds: ids },
          });
          onSaved();
        }}
      >
        <Field label="Name" value={name} onInput={setName} required />
        {item === null || item.type === 1 ? (
          <>
            <Field label="Username" value={username} onInput={setUsername} />
            <Field
              label="Password"
              type="password"
              value={password}
              onInput={setPassword}
              autocomplete="new-password"
              {...(item === null ? {} : { hint: "Leave empty to keep the current password." })}
            />
            <Field label="Website" value={uri} onInput={setUri} />
          </>
        ) : (
          <p class="note">Only the name and collections of a {ITEM_TYPES[item.type] ?? "non-login item"} are edited here; the rest is kept.</p>
        )}
        <fieldset>
          <legend>Collections</legend>
          {collections.map((c) => (
            <label class="inline" key={c.id}>
              <input
                type="checkbox"
                checked={ids.includes(c.id)}
                onChange={(e) => setIds((e.currentTarget as HTMLInputElement).checked ? [...ids, c.id] : ids.filter((x) => x !== c.id))}
              />{" "}
              {c.name}
            </label>
          ))}
        </fieldset>
      </ActionForm>
    </Dialog>
  );
}

interface OrgEvent {
  type: number;
  date: string;
  actingUserId: string | null;
  cipherId: string | null;
}

/** Names of the Bitwarden event types a client's log shows most; others show their number. */
const EVENT_NAMES: Record<number, string> = {
  1100: "Item created",
  1101: "Item edited",
  1102: "Item deleted forever",
  1103: "Attachment added",
  1104: "Attachment deleted",
  1106: "Item collections changed",
  1107: "Item viewed",
  1108: "Password revealed",
  1111: "Password copied",
  1115: "Item moved to trash",
  1116: "Item restored",
  1300: "Collection created",
  1301: "Collection edited",
  1302: "Collection deleted",
  1400: "Group created",
  1401: "Group edited",
  1402: "Group deleted",
  1500: "Member invited",
  1501: "Member confirmed",
  1502: "Member edited",
  1503: "Member removed",
  1511: "Member revoked",
  1512: "Member restored",
  1600: "Organization edited",
  1602: "Vault exported",
  1700: "Policy changed",
};

export function eventName(type: number): string {
  const n = EVENT_NAMES[type];
  return n === undefined ? `Event ${type}` : `${n} (${type})`;
}

function Events({ l }: { readonly l: LaunchedClient }) {
  const ev = usePaged(
    async (token) =>
      (await call("api", {
        method: "GET",
        path: `${orgPath(l.organizationId)}/events${token === null ? "" : `?continuationToken=${encodeURIComponent(token)}`}`,
      })) as Page<OrgEvent>,
    l.organizationId,
  );
  // Item names come from the items the agent decrypts (a deleted-forever item shows its id).
  const items = useLoad(() => call("items", { organizationId: l.organizationId }), l.organizationId);
  const itemName = new Map((items.data ?? []).map((i) => [i.id, i.name]));
  return (
    <section aria-labelledby="ce-h">
      <h3 id="ce-h">Events</h3>
      {ev.items === undefined ? (
        ev.error !== null ? <ErrorNote error={ev.error} /> : <Loading what="events" />
      ) : (
        <>
          <ActionButton
            label="Download CSV"
            action={async () => {
              const rows = ["date,type,actingUserId,cipherId", ...ev.items!.map((e) => [e.date, e.type, e.actingUserId ?? "", e.cipherId ?? ""].join(","))];
              downloadText("client-events.csv", `${rows.join("\r\n")}\r\n`);
            }}
          />
          <Table>
            <caption class="sr-only">Events of {l.organizationName}</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Event</th>
                <th scope="col">Item</th>
                <th scope="col">Acting user</th>
              </tr>
            </thead>
            <tbody>
              {ev.items.map((e, i) => (
                <tr key={i} data-type={e.type}>
                  <td>{formatDate(e.date)}</td>
                  <td>{eventName(e.type)}</td>
                  <td>{e.cipherId === null ? "—" : (itemName.get(e.cipherId) ?? e.cipherId)}</td>
                  <td>{e.actingUserId ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </Table>
          {ev.more !== null ? <ActionButton label="Load more" ariaLabel="Load more events" action={ev.more} /> : null}
        </>
      )}
    </section>
  );
}

interface Group {
  id: string;
  name: string;
}

function Groups({ l }: { readonly l: LaunchedClient }) {
  const [n, setN] = useState(0);
  const groups = useLoad(async () => (await call("api", { method: "GET", path: `${orgPath(l.organizationId)}/groups` })) as { data: Group[] }, `${l.organizationId}:${n}`);
  const users = useLoad(async () => (await call("api", { method: "GET", path: `${orgPath(l.organizationId)}/users` })) as { data: OrgUser[] }, l.organizationId);
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  const [ids, setIds] = useState<string[]>([]);
  return (
    <section aria-labelledby="cg-h">
      <h3 id="cg-h">Groups</h3>
      <button type="button" onClick={() => setCreating(true)}>
        New group
      </button>
      {groups.data === undefined ? (
        <ErrorNote error={groups.error} />
      ) : (
        <Table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {groups.data.data.map((g) => (
              <tr key={g.id}>
                <td>{g.name}</td>
                <td class="actions">
                  <ActionButton
                    label="Delete"
                    class="danger"
                    ariaLabel={`Delete ${g.name}`}
                    action={async () => {
                      await call("api", { method: "DELETE", path: `${orgPath(l.organizationId)}/groups/${g.id}` });
                      setN(n + 1);
                    }}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {creating ? (
        <Dialog title="New group" onClose={() => setCreating(false)}>
          <ActionForm
            submit="Save"
            action={async () => {
              await call("api", {
                method: "POST",
                path: `${orgPath(l.organizationId)}/groups`,
                body: { name, collections: [], users: ids },
              });
              setCreating(false);
              setName("");
              setIds([]);
              setN(n + 1);
            }}
          >
            <Field label="Group name" value={name} onInput={setName} required />
            <fieldset>
              <legend>Members</legend>
              {(users.data?.data ?? [])
                .filter((u) => u.status >= 0)
                .map((u) => (
                  <label class="inline" key={u.id}>
                    <input
                      type="checkbox"
                      checked={ids.includes(u.id)}
                      onChange={(e) => setIds((e.currentTarget as HTMLInputElement).checked ? [...ids, u.id] : ids.filter((x) => x !== u.id))}
                    />{" "}
                    {u.email}
                  </label>
                ))}
            </fieldset>
          </ActionForm>
        </Dialog>
      ) : null}
    </section>
  );
}

/** Policies that are a plain on/off switch (no settings to edit here). */
const SIMPLE_POLICIES: [number, string][] = [
  [0, "Require two-step login"],
  [3, "Single organization"],
  [5, "Remove individual vault"],
  [6, "Remove Send"],
  [10, "Remove individual vault export"],
];

function Policies({ l }: { readonly l: LaunchedClient }) {
  const [n, setN] = useState(0);
  const policies = useLoad(
    async () => (await call("api", { method: "GET", path: `${orgPath(l.organizationId)}/policies` })) as { data: { type: number; enabled: boolean }[] },
    `${l.organizationId}:${n}`,
  );
  if (policies.data === undefined) return <ErrorNote error={policies.error} />;
  const on = (t: number): boolean => policies.data?.data.some((p) => p.type === t && p.enabled) ?? false;
  return (
    <section aria-labelledby="cp-h">
      <h3 id="cp-h">Policies</h3>
      <Table>
        <thead>
          <tr>
            <th scope="col">Policy</th>
            <th scope="col">State</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {SIMPLE_POLICIES.map(([t, label]) => (
            <tr key={t}>
              <td>{label}</td>
              <td>{on(t) ? "On" : "Off"}</td>
              <td class="actions">
                <ActionButton
                  label={on(t) ? "Turn off" : "Turn on"}
                  ariaLabel={`${on(t) ? "Turn off" : "Turn on"}: ${label}`}
                  action={async () => {
                    await call("api", {
                      method: "PUT",
                      path: `${orgPath(l.organizationId)}/policies/${t}`,
                      body: { policy: { enabled: !on(t), data: null } },
                    });
                    setN(n + 1);
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </Table>
    </section>
  );
}
