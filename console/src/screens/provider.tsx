// Provider screens (shared console-design §4.2): overview, members, roles, clients (with create,
// detail and launch), events, usage, settings. Only what the caller's role allows is shown; the
// server decides anyway (404/400).

import { useMemo, useState } from "preact/hooks";
import type { Profile, ProviderSummary } from "../agent-protocol";
import {
  type AddableOrganizationResponse,
  PERMISSION_DESCRIPTIONS,
  PERMISSIONS,
  type Permission,
  type ProviderClientResponse,
  type ProviderInviteResponse,
  type ProviderMemberResponse,
  type ProviderRoleRequest,
  type ProviderRoleResponse,
} from "../api/generated";
import type { ProviderTab } from "../routes";
import {
  ActionButton,
  ActionForm,
  CopyButton,
  Dialog,
  ErrorNote,
  Field,
  Loading,
  type Page,
  Table,
  call,
  downloadText,
  formatDate,
  profileChanged,
  useLoad,
  usePaged,
} from "../ui";

/**
 * What the caller may do in this provider: the rights the server sent for them
 * (`rolePermissions`), whatever their role. The server decides who holds what; the console only
 * shows what that allows.
 */
export function rightsOf(p: ProviderSummary): ReadonlySet<Permission> {
  return new Set(p.permissions);
}

const pidPath = (pid: string): string => `/api/providers/${encodeURIComponent(pid)}`;

type List<T> = { data: T[] };
type Name = { id: string; userId: string | null; name: string | null; email: string };

async function get<T>(path: string): Promise<T> {
  return (await call("api", { method: "GET", path })) as T;
}

function roleLabel(m: { role: string; roleName: string | null }): string {
  return m.role === "custom" ? (m.roleName ?? "Custom") : m.role.charAt(0).toUpperCase() + m.role.slice(1);
}

export function ProviderPage({
  profile,
  providerId,
  tab,
  clientId,
  member,
}: {
  readonly profile: Profile;
  readonly providerId: string;
  readonly tab: ProviderTab;
  readonly clientId: string | null;
  readonly member: string | null;
}) {
  const p = profile.providers.find((x) => x.id === providerId);
  if (p === undefined) {
    return (
      <section class="card" aria-labelledby="nf">
        <h2 id="nf">Not found</h2>
        <p>No provider here that you are an active member of.</p>
      </section>
    );
  }
  const rights = rightsOf(p);
  const admin = p.role === "owner" || p.role === "admin";
  const tabs: [ProviderTab, string, boolean][] = [
    ["overview", "Overview", true],
    ["clients", "Clients", rights.has("view_clients") || rights.has("launch_into_client")],
    ["members", "Members", rights.has("manage_members")],
    ["roles", "Roles", rights.has("manage_roles") || rights.has("manage_members")],
    ["events", "Events", rights.has("view_events")],
    ["usage", "Usage", rights.has("view_usage_and_billing")],
    ["settings", "Settings", admin],
  ];
  return (
    <div class="page">
      <h2 class="page-title">{p.name}</h2>
      <nav aria-label="Provider">
        <ul class="tabs">
          {tabs
            .filter(([, , ok]) => ok)
            .map(([t, label]) => (
              <li key={t}>
                <a href={`#/p/${providerId}/${t}`} aria-current={t === tab ? "page" : undefined}>
                  {label}
                </a>
              </li>
            ))}
        </ul>
      </nav>
      {tab === "overview" ? <Overview p={p} rights={rights} /> : null}
      {tab === "clients" && clientId === null ? <Clients p={p} rights={rights} /> : null}
      {tab === "clients" && clientId !== null ? <ClientDetail p={p} rights={rights} poid={clientId} /> : null}
      {tab === "members" ? <Members p={p} rights={rights} /> : null}
      {tab === "roles" ? <Roles p={p} rights={rights} /> : null}
      {tab === "events" ? <Events key={member ?? ""} p={p} member={member} /> : null}
      {tab === "usage" ? <Usage p={p} /> : null}
      {tab === "settings" ? <Settings p={p} /> : null}
    </div>
  );
}

function Overview({ p, rights }: { readonly p: ProviderSummary; readonly rights: ReadonlySet<Permission> }) {
  const clients = useLoad(
    () => (rights.has("view_clients") || rights.has("launch_into_client") ? get<List<ProviderClientResponse>>(`${pidPath(p.id)}/clients`) : Promise.resolve({ data: [] })),
    p.id,
  );
  return (
    <section aria-labelledby="ov-h">
      <h3 id="ov-h">Overview</h3>
      <p>
        Your role: <strong>{p.role}</strong> (clients in scope: {p.scope === "assigned" ? "assigned to you" : "all"}).
      </p>
      {clients.data === undefined ? <ErrorNote error={clients.error} /> : <p>{clients.data.data.length} client(s).</p>}
      {p.hasKey ? null : <p class="error">This provider's key is not available to your account yet.</p>}
    </section>
  );
}

// ---------------------------------------------------------------------------------------------
// Members (P2)

function Members({ p, rights }: { readonly p: ProviderSummary; readonly rights: ReadonlySet<Permission> }) {
  const [n, setN] = useState(0);
  const reload = (): void => setN((x) => x + 1);
  const members = useLoad(() => get<List<ProviderMemberResponse>>(`${pidPath(p.id)}/users`), `${p.id}:${n}`);
  const clients = useLoad(() => get<List<ProviderClientResponse>>(`${pidPath(p.id)}/clients`), `${p.id}:c`);
  const roles = useLoad(() => get<List<ProviderRoleResponse>>(`${pidPath(p.id)}/roles`), `${p.id}:r`);
  const [view, setView] = useState<"active" | "pending">("active");
  const [suspendedOnly, setSuspendedOnly] = useState(false);
  const [inviting, setInviting] = useState(false);
  const [links, setLinks] = useState<ProviderInviteResponse[]>([]);
  const [confirming, setConfirming] = useState<ProviderMemberResponse | null>(null);
  const [assigning, setAssigning] = useState<ProviderMemberResponse | null>(null);
  const [transferring, setTransferring] = useState<ProviderMemberResponse | null>(null);
  const [bulk, setBulk] = useState(false);
  const all = members.data?.data ?? [];
  const accepted = all.filter((m) => m.status === 1);
  const shown = all.filter(
    (m) => (view === "active" ? m.status === 2 : m.status !== 2) && (!suspendedOnly || m.suspended),
  );
  const act = (m: ProviderMemberResponse, how: "POST" | "DELETE", suffix: string) => async () => {
    await call("api", { method: how, path: `${pidPath(p.id)}/users/${m.id}${suffix}` });
    reload();
  };
  return (
    <section aria-labelledby="members-h">
      <h3 id="members-h">Members</h3>
      <div class="toolbar">
        <div role="group" aria-label="Member status">
          <button type="button" class={view === "active" ? "" : "secondary"} aria-pressed={view === "active"} onClick={() => setView("active")}>
            Active ({all.filter((m) => m.status === 2).length})
          </button>
          <button type="button" class={view === "pending" ? "" : "secondary"} aria-pressed={view === "pending"} onClick={() => setView("pending")}>
            Pending ({all.filter((m) => m.status !== 2).length})
          </button>
        </div>
        <label class="inline">
          <input type="checkbox" checked={suspendedOnly} onChange={(e) => setSuspendedOnly((e.currentTarget as HTMLInputElement).checked)} /> Suspended only
        </label>
        <button type="button" onClick={() => setInviting(true)}>
          Invite members
        </button>
        {view === "pending" && accepted.length > 1 ? (
          <button type="button" class="secondary" onClick={() => setBulk(true)}>
            Confirm several…
          </button>
        ) : null}
      </div>
      <ErrorNote error={clients.error} />
      <ErrorNote error={roles.error} />
      {links.length > 0 ? (
        <section aria-labelledby="links-h" class="links">
          <h4 id="links-h">Invitation links</h4>
          <p>These were not mailed: send each link to its person yourself.</p>
          <ul>
            {links.map((l) => (
              <li key={l.id}>
                <span>{l.email}</span>: <code class="wrap" data-testid="invite-link" data-email={l.email ?? ""}>{l.inviteUrl}</code>{" "}
                <CopyButton text={l.inviteUrl} label={`Copy the link for ${l.email ?? ""}`} />
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {members.data === undefined ? (
        members.error !== null ? <ErrorNote error={members.error} /> : <Loading what="members" />
      ) : (
        <Table>
          <caption class="sr-only">{view === "active" ? "Active members" : "Pending members"}</caption>
          <thead>
            <tr>
              <th scope="col">Member</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Two-step</th>
              <th scope="col">Clients</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((m) => (
              <tr key={m.id} data-email={m.email}>
                <td>
                  {m.name ?? ""} <span class="muted">{m.email}</span>
                </td>
                <td>
                  {m.role === "owner" ? (
                    "Owner"
                  ) : (
                    <RoleSelect p={p} m={m} roles={roles.data?.data ?? []} onDone={reload} />
                  )}
                </td>
                <td>
                  {["Invited", "Accepted", "Active"][m.status] ?? m.status}
                  {m.suspended ? " (suspended)" : ""}
                </td>
                <td>{m.twoFactorEnabled ? "On" : "Off"}</td>
                <td>{m.role === "owner" || m.role === "admin" ? "All" : m.assignedClients.length}</td>
                <td class="actions">
                  {m.status === 1 ? (
                    <button type="button" onClick={() => setConfirming(m)} aria-label={`Confirm ${m.email}`}>
                      Confirm
                    </button>
                  ) : null}
                  {m.status === 0 ? <ActionButton label="Resend" ariaLabel={`Resend the invitation to ${m.email}`} action={async () => {
                    const r = (await call("api", { method: "POST", path: `${pidPath(p.id)}/users/${m.id}/reinvite` })) as ProviderInviteResponse;
                    if (!r.mailed && r.inviteUrl) setLinks([{ ...r, email: m.email }]);
                  }} /> : null}
                  {m.role !== "owner" && m.role !== "admin" ? (
                    <button type="button" class="secondary" onClick={() => setAssigning(m)} aria-label={`Clients of ${m.email}`}>
                      Clients…
                    </button>
                  ) : null}
                  {m.role !== "owner" && m.status === 2 ? (
                    m.suspended ? (
                      <ActionButton label="Restore" ariaLabel={`Restore ${m.email}`} action={act(m, "POST", "/restore")} />
                    ) : (
                      <ActionButton label="Suspend" ariaLabel={`Suspend ${m.email}`} action={act(m, "POST", "/suspend")} />
                    )
                  ) : null}
                  {rights.has("view_events") ? (
                    <a class="button secondary" href={`#/p/${p.id}/events?member=${encodeURIComponent(m.id)}`} aria-label={`Activity of ${m.email}`}>
                      Activity
                    </a>
                  ) : null}
                  {p.role === "owner" && m.role !== "owner" && m.status === 2 ? (
                    <button type="button" class="secondary" onClick={() => setTransferring(m)} aria-label={`Make owner: ${m.email}`}>
                      Make owner…
                    </button>
                  ) : null}
                  {m.role !== "owner" ? (
                    <ActionButton
                      label="Remove"
                      class="danger"
                      ariaLabel={`Remove ${m.email}`}
                      action={async () => {
                        if (!confirm(`Remove ${m.email} from ${p.name}?`)) return;
                        await act(m, "DELETE", "")();
                      }}
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {inviting ? (
        <InviteDialog
          p={p}
          rights={rights}
          clients={clients.data?.data ?? []}
          roles={roles.data?.data ?? []}
          onClose={() => setInviting(false)}
          onInvited={(r) => {
            setLinks(r.filter((x) => !x.mailed));
            setInviting(false);
            setView("pending");
            reload();
          }}
        />
      ) : null}
      {confirming !== null ? (
        <ConfirmDialog
          who={confirming.email}
          fingerprint={async () => (await call("providerFingerprints", { providerId: p.id, ids: [confirming.id] }))[0]?.phrase ?? null}
          confirm={async () => {
            await call("confirmProviderMember", { providerId: p.id, id: confirming.id });
            setConfirming(null);
            reload();
          }}
          onClose={() => setConfirming(null)}
        />
      ) : null}
      {bulk ? (
        <BulkConfirmDialog
          p={p}
          members={accepted}
          onClose={() => setBulk(false)}
          onDone={() => {
            setBulk(false);
            reload();
          }}
        />
      ) : null}
      {assigning !== null ? (
        <AssignDialog
          title={`Clients of ${assigning.email}`}
          options={(clients.data?.data ?? []).map((c) => ({ id: c.id, label: c.organizationName }))}
          selected={assigning.assignedClients}
          save={async (ids) => {
            await call("api", { method: "PUT", path: `${pidPath(p.id)}/users/${assigning.id}/clients`, body: { clientIds: ids } });
            setAssigning(null);
            reload();
          }}
          onClose={() => setAssigning(null)}
        />
      ) : null}
      {transferring !== null ? (
        <PasswordDialog
          title={`Make ${transferring.email} the owner`}
          text="You become an admin. Confirm with your own master password."
          submit="Transfer ownership"
          onClose={() => setTransferring(null)}
          run={async (password) => {
            await call("apiWithPassword", {
              method: "POST",
              path: `${pidPath(p.id)}/users/${transferring.id}/transfer-ownership`,
              body: {},
              password,
            });
            setTransferring(null);
            reload();
            profileChanged();
          }}
        />
      ) : null}
    </section>
  );
}

function RoleSelect({
  p,
  m,
  roles,
  onDone,
}: {
  readonly p: ProviderSummary;
  readonly m: ProviderMemberResponse;
  readonly roles: ProviderRoleResponse[];
  readonly onDone: () => void;
}) {
  const [error, setError] = useState<unknown>(null);
  const value = m.role === "custom" ? `custom:${m.roleId ?? ""}` : m.role;
  return (
    <>
      <select
        aria-label={`Role of ${m.email}`}
        value={value}
        onChange={(e) => {
          const v = (e.currentTarget as HTMLSelectElement).value;
          const body = v.startsWith("custom:") ? { role: "custom", roleId: v.slice(7) } : { role: v };
          call("api", { method: "PUT", path: `${pidPath(p.id)}/users/${m.id}`, body }).then(onDone, setError);
        }}
      >
        {p.role === "owner" || p.role === "admin" ? <option value="admin">Admin</option> : null}
        <option value="technician">Technician</option>
        {roles.map((r) => (
          <option key={r.id} value={`custom:${r.id}`}>
            {r.name}
          </option>
        ))}
      </select>
      <ErrorNote error={error} />
      {roleLabel(m) === "" ? null : null}
    </>
  );
}

function InviteDialog({
  p,
  clients,
  roles,
  onClose,
  onInvited,
}: {
  readonly p: ProviderSummary;
  readonly rights: ReadonlySet<Permission>;
  readonly clients: ProviderClientResponse[];
  readonly roles: ProviderRoleResponse[];
  readonly onClose: () => void;
  readonly onInvited: (r: ProviderInviteResponse[]) => void;
}) {
  const [emails, setEmails] = useState("");
  const [role, setRole] = useState("technician");
  const [clientIds, setClientIds] = useState<string[]>([]);
  const admin = p.role === "owner" || p.role === "admin";
  return (
    <Dialog title="Invite members" onClose={onClose}>
      <ActionForm
        submit="Invite"
        action={async () => {
          const list = emails
            .split(/[\s,;]+/)
            .map((x) => x.trim())
            .filter((x) => x !== "");
          if (list.length === 0 || list.length > 100) throw new Error("Enter between 1 and 100 email addresses.");
          const body: Record<string, unknown> = role.startsWith("custom:")
            ? { emails: list, role: "custom", roleId: role.slice(7), clientIds }
            : { emails: list, role, clientIds };
          const r = (await call("api", { method: "POST", path: `${pidPath(p.id)}/users/invite`, body })) as
            | List<ProviderInviteResponse>
            | ProviderInviteResponse[];
          onInvited(Array.isArray(r) ? r : r.data);
        }}
      >
        <label for="invite-emails">Email addresses (one per line, up to 100)</label>
        <textarea id="invite-emails" rows={4} value={emails} onInput={(e) => setEmails((e.currentTarget as HTMLTextAreaElement).value)} required />
        <label for="invite-role">Role</label>
        <select id="invite-role" value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value)}>
          {admin ? <option value="admin">Admin</option> : null}
          <option value="technician">Technician</option>
          {roles.map((r) => (
            <option key={r.id} value={`custom:${r.id}`}>
              {r.name}
            </option>
          ))}
        </select>
        {clients.length > 0 && role !== "admin" ? (
          <fieldset>
            <legend>Clients</legend>
            {clients.map((c) => (
              <label class="inline" key={c.id}>
                <input
                  type="checkbox"
                  checked={clientIds.includes(c.id)}
                  onChange={(e) =>
                    setClientIds((e.currentTarget as HTMLInputElement).checked ? [...clientIds, c.id] : clientIds.filter((x) => x !== c.id))
                  }
                />{" "}
                {c.organizationName}
              </label>
            ))}
          </fieldset>
        ) : null}
      </ActionForm>
    </Dialog>
  );
}

/** Shows the member's fingerprint phrase (computed in the agent) before anything is wrapped to them. */
export function ConfirmDialog({
  who,
  fingerprint,
  confirm,
  onClose,
}: {
  readonly who: string;
  readonly fingerprint: () => Promise<string | null>;
  readonly confirm: () => Promise<void>;
  readonly onClose: () => void;
}) {
  const fp = useLoad(fingerprint, who);
  return (
    <Dialog title={`Confirm ${who}`} onClose={onClose}>
      <p>Ask {who} to read you their fingerprint phrase. Confirm only if it is exactly this:</p>
      {fp.data === undefined ? (
        fp.error !== null ? <ErrorNote error={fp.error} /> : <Loading what="the fingerprint phrase" />
      ) : fp.data === null ? (
        <p class="error">This member has no keys yet.</p>
      ) : (
        <>
          <p class="phrase" data-testid="member-fingerprint">
            {fp.data}
          </p>
          <ActionForm submit="The phrases match: confirm" action={confirm}>
            {null}
          </ActionForm>
        </>
      )}
    </Dialog>
  );
}

/**
 * Bulk confirm: every accepted member's fingerprint phrase, each confirmed only when ticked
 * (the agent wraps the provider key to each ticked member in turn).
 */
function BulkConfirmDialog({
  p,
  members,
  onClose,
  onDone,
}: {
  readonly p: ProviderSummary;
  readonly members: ProviderMemberResponse[];
  readonly onClose: () => void;
  readonly onDone: () => void;
}) {
  const fps = useLoad(
    () => call("providerFingerprints", { providerId: p.id, ids: members.map((m) => m.id) }),
    members.map((m) => m.id).join(","),
  );
  const [ids, setIds] = useState<string[]>([]);
  const phrase = new Map((fps.data ?? []).map((f) => [f.id, f.phrase]));
  return (
    <Dialog title="Confirm members" onClose={onClose}>
      <p>Ask each member to read you their fingerprint phrase. Tick only those whose phrase is exactly the one shown.</p>
      {fps.data === undefined ? (
        fps.error !== null ? <ErrorNote error={fps.error} /> : <Loading what="the fingerprint phrases" />
      ) : (
        <ActionForm
          submit="Confirm the ticked members"
          action={async () => {
            if (ids.length === 0) throw new Error("Tick at least one member whose phrase matches.");
            for (const id of ids) await call("confirmProviderMember", { providerId: p.id, id });
            onDone();
          }}
        >
          <fieldset>
            <legend>Phrases</legend>
            {members.map((m) => (
              <div key={m.id} class="bulk-member" data-email={m.email}>
                <label class="inline">
                  <input
                    type="checkbox"
                    disabled={!phrase.has(m.id)}
                    checked={ids.includes(m.id)}
                    onChange={(e) => setIds((e.currentTarget as HTMLInputElement).checked ? [...ids, m.id] : ids.filter((x) => x !== m.id))}
                  />{" "}
                  {m.email}
                </label>
                <p class="phrase" data-testid="bulk-fingerprint" data-email={m.email}>
                  {phrase.get(m.id) ?? "No keys yet."}
                </p>
              </div>
            ))}
          </fieldset>
        </ActionForm>
      )}
    </Dialog>
  );
}

function AssignDialog({
  title,
  options,
  selected,
  save,
  onClose,
}: {
  readonly title: string;
  readonly options: { id: string; label: string }[];
  readonly selected: readonly string[];
  readonly save: (ids: string[]) => Promise<void>;
  readonly onClose: () => void;
}) {
  const [ids, setIds] = useState<string[]>([...selected]);
  return (
    <Dialog title={title} onClose={onClose}>
      <ActionForm submit="Save" action={() => save(ids)}>
        <fieldset>
          <legend>Choose</legend>
          {options.length === 0 ? <p>Nothing to choose from yet.</p> : null}
          {options.map((o) => (
            <label class="inline" key={o.id}>
              <input
                type="checkbox"
                checked={ids.includes(o.id)}
                onChange={(e) => setIds((e.currentTarget as HTMLInputElement).checked ? [...ids, o.id] : ids.filter((x) => x !== o.id))}
              />{" "}
              {o.label}
            </label>
          ))}
        </fieldset>
      </ActionForm>
    </Dialog>
  );
}

export function PasswordDialog({
  title,
  text,
  submit,
  run,
  onClose,
}: {
  readonly title: string;
  readonly text: string;
  readonly submit: string;
  readonly run: (password: string) => Promise<void>;
  readonly onClose: () => void;
}) {
  const [password, setPassword] = useState("");
  return (
    <Dialog title={title} onClose={onClose}>
      <p>{text}</p>
      <ActionForm submit={submit} busyText="Checking…" action={() => run(password)}>
        <Field label="Your master password" type="password" value={password} onInput={setPassword} required autocomplete="current-password" />
      </ActionForm>
    </Dialog>
  );
}

// ---------------------------------------------------------------------------------------------
// Roles (P3)

function Roles({ p, rights }: { readonly p: ProviderSummary; readonly rights: ReadonlySet<Permission> }) {
  const [n, setN] = useState(0);
  const roles = useLoad(() => get<List<ProviderRoleResponse>>(`${pidPath(p.id)}/roles`), `${p.id}:${n}`);
  const [editing, setEditing] = useState<ProviderRoleResponse | "new" | null>(null);
  const [cloning, setCloning] = useState<ProviderRoleResponse | null>(null);
  const canEdit = rights.has("manage_roles");
  return (
    <section aria-labelledby="roles-h">
      <h3 id="roles-h">Roles</h3>
      <p>Owner and Admin can do everything; Technician views and launches into assigned clients. Custom roles:</p>
      {canEdit ? (
        <button type="button" onClick={() => setEditing("new")}>
          New role
        </button>
      ) : null}
      {roles.data === undefined ? (
        <ErrorNote error={roles.error} />
      ) : (
        <Table>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Permissions</th>
              <th scope="col">Scope</th>
              <th scope="col">Members</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {roles.data.data.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td>{r.permissions.join(", ")}</td>
                <td>{r.scope}</td>
                <td>{String(r.members)}</td>
                <td class="actions">
                  {canEdit ? (
                    <>
                      <button type="button" class="secondary" onClick={() => setEditing(r)} aria-label={`Edit ${r.name}`}>
                        Edit
                      </button>
                      <button type="button" class="secondary" onClick={() => setCloning(r)} aria-label={`Clone ${r.name}`}>
                        Clone
                      </button>
                      <ActionButton
                        label="Delete"
                        class="danger"
                        ariaLabel={`Delete ${r.name}`}
                        action={async () => {
                          await call("api", { method: "DELETE", path: `${pidPath(p.id)}/roles/${r.id}` });
                          setN(n + 1);
                        }}
                      />
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
      {editing !== null ? (
        <RoleDialog
          p={p}
          rights={rights}
          role={editing === "new" ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            setN(n + 1);
          }}
        />
      ) : null}
      {cloning !== null ? (
        <RoleDialog
          p={p}
          rights={rights}
          role={null}
          template={cloning}
          onClose={() => setCloning(null)}
          onSaved={() => {
            setCloning(null);
            setN(n + 1);
          }}
        />
      ) : null}
    </section>
  );
}

function RoleDialog({
  p,
  rights,
  role,
  template,
  onClose,
  onSaved,
}: {
  readonly p: ProviderSummary;
  readonly rights: ReadonlySet<Permission>;
  readonly role: ProviderRoleResponse | null;
  /** A clone: a new role starting from this one's permissions and scope. */
  readonly template?: ProviderRoleResponse;
  readonly onClose: () => void;
  readonly onSaved: () => void;
}) {
  const from = role ?? template ?? null;
  const [name, setName] = useState(role !== null ? role.name : template !== undefined ? `Copy of ${template.name}` : "");
  const [perms, setPerms] = useState<Permission[]>(from?.permissions ?? []);
  const [scope, setScope] = useState(from?.scope ?? "assigned");
  const mayAll = p.scope === "all";
  return (
    <Dialog title={role !== null ? `Edit ${role.name}` : template !== undefined ? `Clone ${template.name}` : "New role"} onClose={onClose}>
      <ActionForm
        submit="Save"
        action={async () => {
          const body: ProviderRoleRequest = { name, permissions: perms, scope };
          await call("api", {
            method: role === null ? "POST" : "PUT",
            path: role === null ? `${pidPath(p.id)}/roles` : `${pidPath(p.id)}/roles/${role.id}`,
            body,
          });
          onSaved();
        }}
      >
        <Field label="Name" value={name} onInput={setName} required />
        <fieldset>
          <legend>Permissions</legend>
          {PERMISSIONS.map((c) => (
            <label class="inline" key={c}>
              <input
                type="checkbox"
                disabled={!rights.has(c)}
                checked={perms.includes(c)}
                onChange={(e) => setPerms((e.currentTarget as HTMLInputElement).checked ? [...perms, c] : perms.filter((x) => x !== c))}
              />{" "}
              {PERMISSION_DESCRIPTIONS[c]}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>Scope</legend>
          <label class="inline">
            <input type="radio" name="scope" checked={scope === "assigned"} onChange={() => setScope("assigned")} /> Assigned clients
          </label>
          <label class="inline">
            <input type="radio" name="scope" disabled={!mayAll} checked={scope === "all"} onChange={() => setScope("all")} /> All clients
          </label>
        </fieldset>
      </ActionForm>
    </Dialog>
  );
}

// ---------------------------------------------------------------------------------------------
// Clients (P4, P5, P6)

const PAGE = 50;

function useNames(p: ProviderSummary): Map<string, string> {
  const names = useLoad(() => get<List<Name> | Name[]>(`${pidPath(p.id)}/users/names`).catch(() => ({ data: [] })), p.id);
  return useMemo(() => {
    const m = new Map<string, string>();
    const list = names.data === undefined ? [] : Array.isArray(names.data) ? names.data : names.data.data;
    for (const x of list) m.set(x.id, x.name === null || x.name === "" || x.name === x.email ? x.email : `${x.name} (${x.email})`);
    return m;
  }, [names.data]);
}

function Clients({ p, rights }: { readonly p: ProviderSummary; readonly rights: ReadonlySet<Permission> }) {
  const [n, setN] = useState(0);
  const clients = useLoad(() => get<List<ProviderClientResponse>>(`${pidPath(p.id)}/clients`), `${p.id}:${n}`);
  const names = useNames(p);
  const [search, setSearch] = useState("");
  const [sort, setSort] = useState<"name" | "seats">("name");
  const [page, setPage] = useState(0);
  const [creating, setCreating] = useState(false);
  const [linking, setLinking] = useState(false);
  const [launching, setLaunching] = useState<ProviderClientResponse | null>(null);
  const filtered = useMemo(() => {
    const q = search.trim().toLowerCase();
    const list = (clients.data?.data ?? []).filter((c) => q === "" || c.organizationName.toLowerCase().includes(q));
    return list.sort((a, b) => (sort === "name" ? a.organizationName.localeCompare(b.organizationName) : b.seats - a.seats));
  }, [clients.data, search, sort]);
  const pages = Math.max(1, Math.ceil(filtered.length / PAGE));
  const shown = filtered.slice(page * PAGE, page * PAGE + PAGE);
  return (
    <section aria-labelledby="clients-h">
      <h3 id="clients-h">Clients</h3>
      <div class="toolbar">
        <label for="client-search" class="inline">
          Search
        </label>
        <input
          id="client-search"
          type="search"
          class="narrow"
          value={search}
          onInput={(e) => {
            setSearch((e.currentTarget as HTMLInputElement).value);
            setPage(0);
          }}
        />
        <label for="client-sort" class="inline">
          Sort by
        </label>
        <select id="client-sort" value={sort} onChange={(e) => setSort((e.currentTarget as HTMLSelectElement).value as "name" | "seats")}>
          <option value="name">Name</option>
          <option value="seats">Seats</option>
        </select>
        {rights.has("add_or_link_client") ? (
          <>
            <button type="button" onClick={() => setCreating(true)}>
              New client
            </button>
            <button type="button" class="secondary" onClick={() => setLinking(true)}>
              Link existing organization
            </button>
          </>
        ) : null}
      </div>
      {clients.data === undefined ? (
        clients.error !== null ? <ErrorNote error={clients.error} /> : <Loading what="clients" />
      ) : (
        <>
          <Table>
            <caption class="sr-only">Clients</caption>
            <thead>
              <tr>
                <th scope="col">Client</th>
                <th scope="col">Plan</th>
                <th scope="col">Seats</th>
                <th scope="col">Managed by</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((c) => (
                <tr key={c.id}>
                  <td>
                    <a href={`#/p/${p.id}/clients/${c.id}`}>{c.organizationName}</a>
                  </td>
                  <td>{c.plan}</td>
                  <td>
                    {String(c.occupiedSeats)} / {c.seats}
                  </td>
                  <td>{c.assignedMembers.map((id) => names.get(id) ?? "…").join(", ") || "—"}</td>
                  <td>
                    {rights.has("launch_into_client") && c.key !== null ? (
                      <button type="button" onClick={() => setLaunching(c)} aria-label={`Launch ${c.organizationName}`}>
                        Launch
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </Table>
          {filtered.length === 0 ? <p>No clients.</p> : null}
          {pages > 1 ? (
            <nav aria-label="Pages" class="row">
              <button type="button" class="secondary" disabled={page === 0} onClick={() => setPage(page - 1)}>
                Previous
              </button>
              <span>
                Page {page + 1} of {pages}
              </span>
              <button type="button" class="secondary" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
                Next
              </button>
            </nav>
          ) : null}
        </>
      )}
      {creating ? (
        <CreateClientDialog
          p={p}
          onClose={() => setCreating(false)}
          onCreated={() => {
            setCreating(false);
            setN(n + 1);
          }}
        />
      ) : null}
      {linking ? (
        <LinkClientDialog
          p={p}
          onClose={() => setLinking(false)}
          onLinked={() => {
            setLinking(false);
            setN(n + 1);
          }}
        />
      ) : null}
      {launching !== null ? <LaunchDialog p={p} c={launching} onClose={() => setLaunching(null)} /> : null}
    </section>
  );
}

function LaunchDialog({ p, c, onClose }: { readonly p: ProviderSummary; readonly c: ProviderClientResponse; readonly onClose: () => void }) {
  return (
    <PasswordDialog
      title={`Launch ${c.organizationName}`}
      text="Launching is logged in the provider's and the client's event logs. Confirm with your own master password."
      submit="Launch"
      onClose={onClose}
      run={async (password) => {
        const l = await call("launch", { providerId: p.id, providerOrganizationId: c.id, password });
        window.open(`/console/#/c/${l.organizationId}`, "_blank");
        onClose();
      }}
    />
  );
}

/** P5b: an organization the user belongs to (as its owner) becomes a client of the provider. */
function LinkClientDialog({
  p,
  onClose,
  onLinked,
}: {
  readonly p: ProviderSummary;
  readonly onClose: () => void;
  readonly onLinked: () => void;
}) {
  // A bare array (the OpenAPI document's `array`), not a list object.
  const addable = useLoad(async () => {
    const r = await get<AddableOrganizationResponse[] | List<AddableOrganizationResponse>>(`${pidPath(p.id)}/clients/addable`);
    return Array.isArray(r) ? r : r.data;
  }, p.id);
  const [organizationId, setOrganizationId] = useState("");
  const [password, setPassword] = useState("");
  const list = (addable.data ?? []).filter((o) => !o.disabled);
  const chosen = organizationId !== "" ? organizationId : (list[0]?.id ?? "");
  return (
    <Dialog title="Link an existing organization" onClose={onClose}>
      {addable.data === undefined ? (
        addable.error !== null ? <ErrorNote error={addable.error} /> : <Loading what="your organizations" />
      ) : list.length === 0 ? (
        <p>You own no organization that could become a client.</p>
      ) : (
        <ActionForm
          submit="Link organization"
          busyText="Wrapping the key…"
          action={async () => {
            await call("linkClient", { providerId: p.id, organizationId: chosen, password });
            onLinked();
          }}
        >
          <p>The organization's key is wrapped under {p.name}'s key, so its members can launch into it. This is logged.</p>
          <label for="link-org">Organization</label>
          <select id="link-org" value={chosen} onChange={(e) => setOrganizationId((e.currentTarget as HTMLSelectElement).value)}>
            {list.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name} ({o.plan}, {String(o.seats)} seats)
              </option>
            ))}
          </select>
          <Field label="Your master password" type="password" value={password} onInput={setPassword} required autocomplete="current-password" />
        </ActionForm>
      )}
    </Dialog>
  );
}

function CreateClientDialog({
  p,
  onClose,
  onCreated,
}: {
  readonly p: ProviderSummary;
  readonly onClose: () => void;
  readonly onCreated: () => void;
}) {
  const [name, setName] = useState("");
  const [planType, setPlanType] = useState("17");
  const [seats, setSeats] = useState("10");
  const [ownerEmail, setOwnerEmail] = useState("");
  const [collectionName, setCollectionName] = useState("Default collection");
  const [invite, setInvite] = useState<ProviderInviteResponse | null>(null);
  if (invite !== null) {
    return (
      <Dialog title="Client created" onClose={onCreated}>
        <p>Send this invitation link to the client's owner ({invite.email}):</p>
        <p>
          <code class="wrap">{invite.inviteUrl}</code> <CopyButton text={invite.inviteUrl} label="Copy the owner's link" />
        </p>
      </Dialog>
    );
  }
  return (
    <Dialog title="New client" onClose={onClose}>
      <ActionForm
        submit="Create client"
        busyText="Creating keys…"
        action={async () => {
          const r = (await call("createClient", {
            providerId: p.id,
            client: { name, planType: Number(planType), seats: Number(seats), ownerEmail, collectionName },
          })) as { ownerInvite: ProviderInviteResponse | null };
          if (r.ownerInvite !== null && r.ownerInvite !== undefined && !r.ownerInvite.mailed) setInvite(r.ownerInvite);
          else onCreated();
        }}
      >
        <Field label="Client name" value={name} onInput={setName} required />
        <label for="plan">Plan</label>
        <select id="plan" value={planType} onChange={(e) => setPlanType((e.currentTarget as HTMLSelectElement).value)}>
          <option value="17">Teams (monthly)</option>
          <option value="18">Teams (annually)</option>
          <option value="19">Enterprise (monthly)</option>
          <option value="20">Enterprise (annually)</option>
        </select>
        <Field label="Seats" type="number" value={seats} onInput={setSeats} required />
        <Field label="Owner's email (optional)" type="email" value={ownerEmail} onInput={setOwnerEmail} />
        <Field label="First collection" value={collectionName} onInput={setCollectionName} required />
      </ActionForm>
    </Dialog>
  );
}

function ClientDetail({ p, rights, poid }: { readonly p: ProviderSummary; readonly rights: ReadonlySet<Permission>; readonly poid: string }) {
  const [n, setN] = useState(0);
  const c = useLoad(() => get<ProviderClientResponse>(`${pidPath(p.id)}/clients/${encodeURIComponent(poid)}`), `${poid}:${n}`);
  const names = useNames(p);
  const [assigning, setAssigning] = useState(false);
  const [editing, setEditing] = useState(false);
  const [launching, setLaunching] = useState(false);
  if (c.data === undefined) {
    if (c.loading) return <Loading what="the client" />;
    return (
      <section aria-labelledby="cnf">
        <h3 id="cnf">Client not found</h3>
        <p>No client here that you may see.</p>
      </section>
    );
  }
  const d = c.data;
  return (
    <section aria-labelledby="cd-h">
      <h3 id="cd-h">{d.organizationName}</h3>
      <dl class="facts">
        <dt>Plan</dt>
        <dd>{d.plan}</dd>
        <dt>Seats</dt>
        <dd>
          {String(d.occupiedSeats)} used of {d.seats}
        </dd>
        <dt>Website</dt>
        <dd>{d.website ?? "—"}</dd>
        <dt>Notes</dt>
        <dd>{d.notes ?? "—"}</dd>
        <dt>Managed by</dt>
        <dd>{d.assignedMembers.map((id) => names.get(id) ?? "…").join(", ") || "—"}</dd>
      </dl>
      <div class="row">
        {rights.has("launch_into_client") && d.key !== null ? (
          <button type="button" onClick={() => setLaunching(true)}>
            Launch
          </button>
        ) : null}
        {rights.has("manage_members") ? (
          <button type="button" class="secondary" onClick={() => setAssigning(true)}>
            Technicians…
          </button>
        ) : null}
        {rights.has("edit_client_info") ? (
          <button type="button" class="secondary" onClick={() => setEditing(true)}>
            Edit
          </button>
        ) : null}
        {rights.has("unlink_client") ? (
          <ActionButton
            label="Unlink"
            class="danger"
            action={async () => {
              if (!confirm(`Unlink ${d.organizationName}? The provider loses access.`)) return;
              await call("api", { method: "DELETE", path: `${pidPath(p.id)}/clients/${d.id}` });
              location.hash = `#/p/${p.id}/clients`;
            }}
          />
        ) : null}
      </div>
      {assigning ? (
        <AssignDialog
          title={`Technicians of ${d.organizationName}`}
          options={[...names.entries()].map(([id, label]) => ({ id, label }))}
          selected={d.assignedMembers}
          onClose={() => setAssigning(false)}
          save={async (ids) => {
            await call("api", { method: "PUT", path: `${pidPath(p.id)}/clients/${d.id}/members`, body: { memberIds: ids } });
            setAssigning(false);
            setN(n + 1);
          }}
        />
      ) : null}
      {editing ? (
        <EditClientDialog
          p={p}
          c={d}
          onClose={() => setEditing(false)}
          onSaved={() => {
            setEditing(false);
            setN(n + 1);
          }}
        />
      ) : null}
      {launching ? <LaunchDialog p={p} c={d} onClose={() => setLaunching(false)} /> : null}
    </section>
  );
}

function EditClientDialog({
  p,
  c,
  onClose,
  onSaved,
}: {
  readonly p: ProviderSummary;
  readonly c: ProviderClientResponse;
  readonly onClose: () => void;
  readonly onSaved: () => void;
}) {
  const [name, setName] = useState(c.organizationName);
  const [seats, setSeats] = useState(String(c.seats));
  const [website, setWebsite] = useState(c.website ?? "");
  const [notes, setNotes] = useState(c.notes ?? "");
  return (
    <Dialog title={`Edit ${c.organizationName}`} onClose={onClose}>
      <ActionForm
        submit="Save"
        action={async () => {
          await call("api", {
            method: "PUT",
            path: `${pidPath(p.id)}/clients/${c.id}`,
            body: { name, seats: Number(seats), website, notes },
          });
          onSaved();
        }}
      >
        <Field label="Name" value={name} onInput={setName} required />
        <Field label="Seats" type="number" value={seats} onInput={setSeats} />
        <Field label="Website" value={website} onInput={setWebsite} />
        <Field label="Notes" value={notes} onInput={setNotes} />
      </ActionForm>
    </Dialog>
  );
}

// ---------------------------------------------------------------------------------------------
// Events (P7), usage (P8), settings (P9)

interface ProviderEvent {
  type: number;
  date: string;
  eventName?: string;
  actingUserEmail?: string | null;
  providerOrganizationId: string | null;
  providerUserId: string | null;
}

function Events({ p, member: memberOf }: { readonly p: ProviderSummary; readonly member: string | null }) {
  const names = useNames(p);
  const clients = useLoad(() => get<List<ProviderClientResponse>>(`${pidPath(p.id)}/clients`).catch(() => ({ data: [] })), p.id);
  const [member, setMember] = useState(memberOf ?? "");
  const [client, setClient] = useState("");
  const [type, setType] = useState("");
  const [start, setStart] = useState("");
  const [end, setEnd] = useState("");
  const [applied, setApplied] = useState(memberOf === null ? "" : new URLSearchParams({ member: memberOf }).toString());
  const qs = (format: string): string => {
    const q = new URLSearchParams();
    if (member !== "") q.set("member", member);
    if (client !== "") q.set("client", client);
    if (type !== "") q.set("type", type);
    if (start !== "") q.set("start", new Date(start).toISOString());
    if (end !== "") q.set("end", new Date(`${end}T23:59:59`).toISOString());
    if (format !== "") q.set("format", format);
    return q.toString();
  };
  const events = usePaged(
    (token) =>
      get<Page<ProviderEvent>>(
        `${pidPath(p.id)}/events?${applied}${token === null ? "" : `${applied === "" ? "" : "&"}continuationToken=${encodeURIComponent(token)}`}`,
      ),
    `${p.id}?${applied}`,
  );
  const clientName = new Map((clients.data?.data ?? []).map((c) => [c.id, c.organizationName]));
  return (
    <section aria-labelledby="ev-h">
      <h3 id="ev-h">Events</h3>
      <form
        class="filters"
        aria-label="Event filters"
        onSubmit={(e) => {
          e.preventDefault();
          setApplied(qs(""));
        }}
      >
        <div>
          <label for="ev-member">Member</label>
          <select id="ev-member" value={member} onChange={(e) => setMember((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">Anyone</option>
            {[...names.entries()].map(([id, label]) => (
              <option key={id} value={id}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="ev-client">Client</label>
          <select id="ev-client" value={client} onChange={(e) => setClient((e.currentTarget as HTMLSelectElement).value)}>
            <option value="">Any client</option>
            {(clients.data?.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.organizationName}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="ev-type">Event type (number)</label>
          <input id="ev-type" inputMode="numeric" value={type} onInput={(e) => setType((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <div>
          <label for="ev-start">From</label>
          <input id="ev-start" type="date" value={start} onInput={(e) => setStart((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <div>
          <label for="ev-end">To</label>
          <input id="ev-end" type="date" value={end} onInput={(e) => setEnd((e.currentTarget as HTMLInputElement).value)} />
        </div>
        <button type="submit">Apply filters</button>
        <ActionButton
          label="Download CSV"
          action={async () => {
            const text = (await call("api", { method: "GET", path: `${pidPath(p.id)}/events?${qs("csv")}`, as: "text" })) as string;
            downloadText("provider-events.csv", text);
          }}
        />
      </form>
      {events.items === undefined ? (
        events.error !== null ? <ErrorNote error={events.error} /> : <Loading what="events" />
      ) : (
        <>
        <Table>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Event</th>
              <th scope="col">By</th>
              <th scope="col">Client</th>
              <th scope="col">Member</th>
            </tr>
          </thead>
          <tbody>
            {events.items.map((e, i) => (
              <tr key={i}>
                <td>{formatDate(e.date)}</td>
                <td>
                  {e.eventName ?? ""} ({e.type})
                </td>
                <td>{e.actingUserEmail ?? "—"}</td>
                <td>{e.providerOrganizationId === null ? "—" : (clientName.get(e.providerOrganizationId) ?? "—")}</td>
                <td>{e.providerUserId === null ? "—" : (names.get(e.providerUserId) ?? "—")}</td>
              </tr>
            ))}
          </tbody>
        </Table>
        {events.more !== null ? <ActionButton label="Load more" ariaLabel="Load more events" action={events.more} /> : null}
        </>
      )}
    </section>
  );
}

interface UsageRow {
  providerOrganizationId: string;
  name: string;
  plan: string;
  seats: number;
  seatsUsed: number;
  items: number;
  membersWithTwoStepLogin: number;
  lastActivity: string | null;
}

function Usage({ p }: { readonly p: ProviderSummary }) {
  const usage = useLoad(() => get<List<UsageRow>>(`${pidPath(p.id)}/reports/usage`), p.id);
  return (
    <section aria-labelledby="us-h">
      <h3 id="us-h">Usage</h3>
      <ActionButton
        label="Download usage CSV"
        action={async () => {
          const text = (await call("api", { method: "GET", path: `${pidPath(p.id)}/reports/usage?format=csv`, as: "text" })) as string;
          downloadText("client-usage.csv", text);
        }}
      />
      {usage.data === undefined ? (
        <ErrorNote error={usage.error} />
      ) : (
        <Table>
          <thead>
            <tr>
              <th scope="col">Client</th>
              <th scope="col">Plan</th>
              <th scope="col">Seats used</th>
              <th scope="col">Items</th>
              <th scope="col">Two-step</th>
              <th scope="col">Last activity</th>
            </tr>
          </thead>
          <tbody>
            {usage.data.data.map((u) => (
              <tr key={u.providerOrganizationId}>
                <td>{u.name}</td>
                <td>{u.plan}</td>
                <td>
                  {String(u.seatsUsed)} / {u.seats}
                </td>
                <td>{String(u.items)}</td>
                <td>{String(u.membersWithTwoStepLogin)}</td>
                <td>{formatDate(u.lastActivity)}</td>
              </tr>
            ))}
          </tbody>
        </Table>
      )}
    </section>
  );
}

interface ProviderSettings {
  name: string;
  businessName: string | null;
  billingEmail: string | null;
  launchRequiresPassword?: boolean;
}

function Settings({ p }: { readonly p: ProviderSummary }) {
  const s = useLoad(() => get<ProviderSettings>(pidPath(p.id)), p.id);
  if (s.data === undefined) return s.error !== null ? <ErrorNote error={s.error} /> : <Loading what="settings" />;
  return <SettingsForm p={p} s={s.data} />;
}

function SettingsForm({ p, s }: { readonly p: ProviderSummary; readonly s: ProviderSettings }) {
  const [name, setName] = useState(s.name);
  const [businessName, setBusinessName] = useState(s.businessName ?? "");
  const [billingEmail, setBillingEmail] = useState(s.billingEmail ?? "");
  const [launchPw, setLaunchPw] = useState(s.launchRequiresPassword ?? true);
  const [saved, setSaved] = useState(false);
  return (
    <section aria-labelledby="set-h">
      <h3 id="set-h">Settings</h3>
      <ActionForm
        submit="Save"
        action={async () => {
          await call("api", {
            method: "PUT",
            path: pidPath(p.id),
            body: { name, businessName, billingEmail, launchRequiresPassword: launchPw },
          });
          setSaved(true);
        }}
      >
        <Field label="Provider name" value={name} onInput={setName} required />
        <Field label="Business name" value={businessName} onInput={setBusinessName} />
        <Field label="Billing email" type="email" value={billingEmail} onInput={setBillingEmail} required />
        <label class="inline">
          <input type="checkbox" checked={launchPw} onChange={(e) => setLaunchPw((e.currentTarget as HTMLInputElement).checked)} /> Launching
          into a client requires the member's master password
        </label>
      </ActionForm>
      {saved ? <p role="status">Saved.</p> : null}
    </section>
  );
}
