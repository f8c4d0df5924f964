// Generated from the Rust types in crates/keyfleet-api by its `typescript` test.
// Do not edit: change the Rust types and run
// KEYFLEET_BLESS=1 cargo test -p keyfleet-api --test typescript

export type JsonValue = number | string | boolean | Array<JsonValue> | { [key in string]?: JsonValue } | null;

export enum OrganizationUserType { "Owner" = 0, "Admin" = 1, "User" = 2, "Manager" = 3, "Custom" = 4 }

export enum OrganizationUserStatus { "Revoked" = -1, "Invited" = 0, "Accepted" = 1, "Confirmed" = 2 }

export enum PlanType { "Free" = 0, "TeamsMonthly" = 17, "TeamsAnnually" = 18, "EnterpriseMonthly" = 19, "EnterpriseAnnually" = 20 }

export enum ProductTierType { "Free" = 0, "Families" = 1, "Teams" = 2, "Enterprise" = 3, "TeamsStarter" = 4 }

export enum PolicyType { "TwoFactorAuthentication" = 0, "MasterPassword" = 1, "PasswordGenerator" = 2, "SingleOrg" = 3, "RequireSso" = 4, "PersonalOwnership" = 5, "DisableSend" = 6, "SendOptions" = 7, "ResetPassword" = 8, "MaximumVaultTimeout" = 9, "DisablePersonalVaultExport" = 10, "ActivateAutofill" = 11, "AutomaticUserConfirmation" = 18 }

export enum EventType { "UserClientExportedVault" = 1007, "UserUpdatedTempPassword" = 1008, "UserRequestedDeviceApproval" = 1010, "CipherCreated" = 1100, "CipherUpdated" = 1101, "CipherDeleted" = 1102, "CipherAttachmentCreated" = 1103, "CipherAttachmentDeleted" = 1104, "CipherShared" = 1105, "CipherUpdatedCollections" = 1106, "CipherClientViewed" = 1107, "CipherClientToggledPasswordVisible" = 1108, "CipherClientToggledHiddenFieldVisible" = 1109, "CipherClientToggledCardCodeVisible" = 1110, "CipherClientCopiedPassword" = 1111, "CipherClientCopiedHiddenField" = 1112, "CipherClientCopiedCardCode" = 1113, "CipherClientAutofilled" = 1114, "CipherSoftDeleted" = 1115, "CipherRestored" = 1116, "CipherClientToggledCardNumberVisible" = 1117, "CipherClientToggledTotpSeedVisible" = 1118, "CollectionCreated" = 1300, "CollectionUpdated" = 1301, "CollectionDeleted" = 1302, "GroupCreated" = 1400, "GroupUpdated" = 1401, "GroupDeleted" = 1402, "OrganizationUserInvited" = 1500, "OrganizationUserConfirmed" = 1501, "OrganizationUserUpdated" = 1502, "OrganizationUserRemoved" = 1503, "OrganizationUserUpdatedGroups" = 1504, "OrganizationUserResetPasswordEnroll" = 1506, "OrganizationUserResetPasswordWithdraw" = 1507, "OrganizationUserAdminResetPassword" = 1508, "OrganizationUserRevoked" = 1511, "OrganizationUserRestored" = 1512, "OrganizationUserApprovedAuthRequest" = 1513, "OrganizationUserRejectedAuthRequest" = 1514, "OrganizationUserLeft" = 1516, "OrganizationUserAdminResetTwoFactor" = 1519, "OrganizationUpdated" = 1600, "OrganizationClientExportedVault" = 1602, "OrganizationVaultAccessed" = 1603, "PolicyUpdated" = 1700, "ProviderUserInvited" = 1800, "ProviderUserConfirmed" = 1801, "ProviderUserUpdated" = 1802, "ProviderUserRemoved" = 1803, "ProviderRoleCreated" = 1850, "ProviderRoleUpdated" = 1851, "ProviderRoleDeleted" = 1852, "ProviderUserSuspended" = 1853, "ProviderUserRestored" = 1854, "ProviderOwnershipTransferred" = 1855, "ProviderClientAssigned" = 1856, "ProviderUpdated" = 1857, "ProviderSetUp" = 1858, "ProviderClientUnassigned" = 1859, "ProviderOrganizationCreated" = 1900, "ProviderOrganizationAdded" = 1901, "ProviderOrganizationRemoved" = 1902, "ProviderOrganizationVaultAccessed" = 1903, "ProviderOrganizationUpdated" = 1904 }

export enum ProviderUserStatus { "Invited" = 0, "Accepted" = 1, "Confirmed" = 2 }

export enum ProviderStatus { "Pending" = 0, "Created" = 1 }

export enum ProviderUserType { "ProviderAdmin" = 0, "ServiceUser" = 1 }

export enum ProviderType { "Msp" = 0 }

export type ProviderRole = "owner" | "admin" | "technician" | "custom";

export type ProviderScope = "all" | "assigned";

export type Permission = "view_clients" | "add_or_link_client" | "unlink_client" | "launch_into_client" | "edit_client_info" | "manage_members" | "manage_roles" | "view_usage_and_billing" | "manage_integrations" | "view_events";

export enum TwoFactorProviderType { "Authenticator" = 0, "Email" = 1, "Remember" = 5, "WebAuthn" = 7, "RecoveryCode" = 8 }

export enum RevocationReason { "TwoFactorPolicy" = 1 }

export enum EmergencyAccessStatusType { "Invited" = 0, "Accepted" = 1, "Confirmed" = 2, "RecoveryInitiated" = 3, "RecoveryApproved" = 4 }

export enum EmergencyAccessType { "View" = 0, "Takeover" = 1 }

export type VerificationRequest = { 
/**
 * The master password hash.
 */
masterPasswordHash?: string, 
/**
 * The token an earlier setup answer carried.
 */
userVerificationToken?: string, };

export type AuthenticatorRequest = { 
/**
 * The base32 secret the app was given.
 */
key: string, 
/**
 * The app's current code.
 */
token: string, 
/**
 * The master password hash.
 */
masterPasswordHash?: string, 
/**
 * The token an earlier setup answer carried.
 */
userVerificationToken?: string, };

export type DisableTwoFactorRequest = { 
/**
 * The provider to turn off (a number outside the set is refused by the server).
 */
type: number, 
/**
 * The master password hash.
 */
masterPasswordHash?: string, 
/**
 * The token an earlier setup answer carried.
 */
userVerificationToken?: string, };

export type EmailRequest = { 
/**
 * The address codes go to.
 */
email: string, 
/**
 * The mailed code (left out when empty, as `send-email` carries none).
 */
token?: string, 
/**
 * The master password hash.
 */
masterPasswordHash?: string, 
/**
 * The token an earlier setup answer carried.
 */
userVerificationToken?: string, };

export type EmailLoginRequest = { 
/**
 * The account.
 */
email: string, 
/**
 * The master password hash.
 */
masterPasswordHash?: string, 
/**
 * The token the "second factor needed" answer carried.
 */
ssoEmail2FaSessionToken?: string, };

export type WebauthnKeyRequest = { 
/**
 * The key slot.
 */
id?: number, 
/**
 * The key's name (left out when empty: deleting a key names only its slot).
 */
name: string, 
/**
 * The browser's attestation (only when registering).
 */
deviceResponse?: unknown, 
/**
 * The master password hash.
 */
masterPasswordHash?: string, 
/**
 * The token an earlier setup answer carried.
 */
userVerificationToken?: string, };

export type TwoFactorProviderResponse = { 
/**
 * On or off.
 */
enabled: boolean, 
/**
 * The provider.
 */
type: TwoFactorProviderType, 
/**
 * `"twoFactorProvider"`.
 */
object: string, };

export type AuthenticatorDetails = { 
/**
 * On or off.
 */
enabled: boolean, 
/**
 * The base32 secret.
 */
key: string, };

export type TwoFactorAuthenticatorResponse = { 
/**
 * On or off.
 */
enabled: boolean, 
/**
 * The base32 secret (a fresh proposal until enabled).
 */
key: string, 
/**
 * The same, nested.
 */
authenticator: AuthenticatorDetails, 
/**
 * Stands in for the password on the next call of this setup.
 */
userVerificationToken: string | null, 
/**
 * `"twoFactorAuthenticator"`.
 */
object: string, };

export type TwoFactorRecoverResponse = { 
/**
 * The code.
 */
code: string, 
/**
 * `"twoFactorRecover"`.
 */
object: string, };

export type WebauthnKeyResponse = { 
/**
 * Its name.
 */
name: string, 
/**
 * Its slot.
 */
id: number, 
/**
 * Migrated from U2F (never, here).
 */
migrated: boolean, };

export type TwoFactorWebAuthnResponse = { 
/**
 * On or off.
 */
enabled: boolean, 
/**
 * The registered keys.
 */
keys: Array<WebauthnKeyResponse>, 
/**
 * Stands in for the password on the next call of this setup.
 */
userVerificationToken: string | null, 
/**
 * `"twoFactorWebAuthn"`.
 */
object: string, };

export type TwoFactorEmailDetails = { 
/**
 * On or off.
 */
enabled: boolean, 
/**
 * The address codes go to.
 */
email: string | null, };

export type TwoFactorEmailResponse = { 
/**
 * On or off.
 */
enabled: boolean, 
/**
 * The details.
 */
email: TwoFactorEmailDetails, 
/**
 * Stands in for the password on the next call of this setup (absent once enabled).
 */
userVerificationToken?: string | null, 
/**
 * `"twoFactorEmail"` or `"twoFactorEmailUpdate"`.
 */
object: string, };

export type ListResponse<T> = { 
/**
 * Always `"list"`.
 */
object: string, 
/**
 * The items.
 */
data: Array<T>, 
/**
 * Paging cursor; `null` when everything was returned.
 */
continuationToken: string | null, };

export type Permissions = { 
/**
 * Read the event log.
 */
accessEventLogs: boolean, 
/**
 * Import and export.
 */
accessImportExport: boolean, 
/**
 * Reports.
 */
accessReports: boolean, 
/**
 * Create collections.
 */
createNewCollections: boolean, 
/**
 * Edit every collection.
 */
editAnyCollection: boolean, 
/**
 * Delete every collection.
 */
deleteAnyCollection: boolean, 
/**
 * Manage groups.
 */
manageGroups: boolean, 
/**
 * Manage policies.
 */
managePolicies: boolean, 
/**
 * Manage SSO.
 */
manageSso: boolean, 
/**
 * Manage members.
 */
manageUsers: boolean, 
/**
 * Account recovery.
 */
manageResetPassword: boolean, 
/**
 * SCIM.
 */
manageScim: boolean, };

export type SelectionResponse = { 
/**
 * Collection, member or group id.
 */
id: string, 
/**
 * Read only.
 */
readOnly: boolean, 
/**
 * Passwords hidden.
 */
hidePasswords: boolean, 
/**
 * May manage the collection.
 */
manage: boolean, };

export type OrganizationFeatures = { usePolicies: boolean, useGroups: boolean, useDirectory: boolean, useEvents: boolean, useTotp: boolean, use2fa: boolean, useApi: boolean, useSso: boolean, useOrganizationDomains: boolean, useKeyConnector: boolean, useScim: boolean, useCustomPermissions: boolean, useResetPassword: boolean, useSecretsManager: boolean, usePasswordManager: boolean, usePam: boolean, useActivateAutofillPolicy: boolean, useAutomaticUserConfirmation: boolean, useRiskInsights: boolean, useAdminSponsoredFamilies: boolean, useDisableSMAdsForUsers: boolean, usePhishingBlocker: boolean, useMyItems: boolean, useInviteLinks: boolean, selfHost: boolean, usersGetPremium: boolean, };

export type CollectionLimits = { limitCollectionCreation: boolean, limitCollectionDeletion: boolean, limitItemDeletion: boolean, allowAdminAccessToAllCollectionItems: boolean, };

export type OrganizationResponse = { 
/**
 * Id.
 */
id: string, 
/**
 * SSO identifier (always null).
 */
identifier: string | null, 
/**
 * Name.
 */
name: string, 
/**
 * Business name.
 */
businessName: string | null, 
/**
 * Billing email.
 */
billingEmail: string, 
/**
 * Plan display name.
 */
plan: string, 
/**
 * PlanType number.
 */
planType: PlanType, 
/**
 * ProductTierType number.
 */
productTierType: ProductTierType, 
/**
 * Seats.
 */
seats: number, 
/**
 * Always null.
 */
maxAutoscaleSeats: number | null, 
/**
 * Collection limit (Free plan).
 */
maxCollections: number | null, 
/**
 * Storage (GB).
 */
maxStorageGb: number, 
/**
 * Whether the org has its key pair.
 */
hasPublicAndPrivateKeys: boolean, 
/**
 * Whether members can use it.
 */
enabled: boolean, 
/**
 * `"organization"`.
 */
object: string, limitCollectionCreation: boolean, limitCollectionDeletion: boolean, limitItemDeletion: boolean, allowAdminAccessToAllCollectionItems: boolean, usePolicies: boolean, useGroups: boolean, useDirectory: boolean, useEvents: boolean, useTotp: boolean, use2fa: boolean, useApi: boolean, useSso: boolean, useOrganizationDomains: boolean, useKeyConnector: boolean, useScim: boolean, useCustomPermissions: boolean, useResetPassword: boolean, useSecretsManager: boolean, usePasswordManager: boolean, usePam: boolean, useActivateAutofillPolicy: boolean, useAutomaticUserConfirmation: boolean, useRiskInsights: boolean, useAdminSponsoredFamilies: boolean, useDisableSMAdsForUsers: boolean, usePhishingBlocker: boolean, useMyItems: boolean, useInviteLinks: boolean, selfHost: boolean, usersGetPremium: boolean, };

export type ProfileOrganizationResponse = { id: string, identifier: string | null, name: string, 
/**
 * OrganizationUserStatusType number.
 */
status: OrganizationUserStatus, 
/**
 * OrganizationUserType number.
 */
type: OrganizationUserType, enabled: boolean, 
/**
 * The org key wrapped to the member's public key.
 */
key: string | null, permissions: Permissions, userId: string | null, 
/**
 * The membership (null in `profileProviderOrganization`: reached through the provider).
 */
organizationUserId: string | null, seats: number, maxCollections: number | null, maxStorageGb: number, hasPublicAndPrivateKeys: boolean, ssoBound: boolean, resetPasswordEnrolled: boolean, productTierType: ProductTierType, accessSecretsManager: boolean, userIsManagedByOrganization: boolean, userIsClaimedByOrganization: boolean, keyConnectorEnabled: boolean, keyConnectorUrl: string | null, ssoEnabled: boolean, ssoMemberDecryptionType: number | null, 
/**
 * Set in `profileProviderOrganization`.
 */
providerId: string | null, providerName: string | null, providerType: ProviderType | null, familySponsorshipFriendlyName: string | null, familySponsorshipAvailable: boolean, familySponsorshipLastSyncDate: string | null, familySponsorshipValidUntil: string | null, familySponsorshipToDelete: boolean | null, isAdminInitiated: boolean, 
/**
 * `"profileOrganization"`.
 */
object: string, limitCollectionCreation: boolean, limitCollectionDeletion: boolean, limitItemDeletion: boolean, allowAdminAccessToAllCollectionItems: boolean, usePolicies: boolean, useGroups: boolean, useDirectory: boolean, useEvents: boolean, useTotp: boolean, use2fa: boolean, useApi: boolean, useSso: boolean, useOrganizationDomains: boolean, useKeyConnector: boolean, useScim: boolean, useCustomPermissions: boolean, useResetPassword: boolean, useSecretsManager: boolean, usePasswordManager: boolean, usePam: boolean, useActivateAutofillPolicy: boolean, useAutomaticUserConfirmation: boolean, useRiskInsights: boolean, useAdminSponsoredFamilies: boolean, useDisableSMAdsForUsers: boolean, usePhishingBlocker: boolean, useMyItems: boolean, useInviteLinks: boolean, selfHost: boolean, usersGetPremium: boolean, };

export type OrganizationUserDetailsResponse = { id: string, userId: string | null, 
/**
 * OrganizationUserType number.
 */
type: OrganizationUserType, 
/**
 * OrganizationUserStatusType number.
 */
status: OrganizationUserStatus, name: string | null, email: string, avatarColor: string | null, twoFactorEnabled: boolean, ssoBound: boolean, usesKeyConnector: boolean, hasMasterPassword: boolean, resetPasswordEnrolled: boolean, accessSecretsManager: boolean, 
/**
 * Owners and admins reach every collection.
 */
accessAll: boolean, permissions: Permissions, externalId: string | null, collections: Array<SelectionResponse>, 
/**
 * Group ids.
 */
groups: Array<string>, managedByOrganization: boolean, claimedByOrganization: boolean, revocationReason: RevocationReason | null, creationDate: string, 
/**
 * `"organizationUserUserDetails"` or `"organizationUserDetails"`.
 */
object: string, };

export type OrganizationUserMiniDetailsResponse = { id: string, userId: string | null, type: OrganizationUserType, status: OrganizationUserStatus, name: string | null, email: string, 
/**
 * `"organizationUserUserMiniDetails"`.
 */
object: string, };

export type CollectionFields = { id: string, organizationId: string, 
/**
 * Encrypted with the org key.
 */
name: string, externalId: string | null, 
/**
 * CollectionType: 0 shared.
 */
type: number, defaultUserCollectionEmail: string | null, };

export type CollectionResponse = { 
/**
 * `"collection"`.
 */
object: string, id: string, organizationId: string, 
/**
 * Encrypted with the org key.
 */
name: string, externalId: string | null, 
/**
 * CollectionType: 0 shared.
 */
type: number, defaultUserCollectionEmail: string | null, };

export type CollectionDetailsResponse = { readOnly: boolean, hidePasswords: boolean, manage: boolean, 
/**
 * `"collectionDetails"`.
 */
object: string, id: string, organizationId: string, 
/**
 * Encrypted with the org key.
 */
name: string, externalId: string | null, 
/**
 * CollectionType: 0 shared.
 */
type: number, defaultUserCollectionEmail: string | null, };

export type CollectionAccessDetailsResponse = { 
/**
 * Whether the caller has access of their own.
 */
assigned: boolean, readOnly: boolean, hidePasswords: boolean, manage: boolean, 
/**
 * Nobody (member or group) manages it.
 */
unmanaged: boolean, users: Array<SelectionResponse>, groups: Array<SelectionResponse>, 
/**
 * `"collectionAccessDetails"`.
 */
object: string, id: string, organizationId: string, 
/**
 * Encrypted with the org key.
 */
name: string, externalId: string | null, 
/**
 * CollectionType: 0 shared.
 */
type: number, defaultUserCollectionEmail: string | null, };

export type GroupFields = { id: string, organizationId: string, name: string, externalId: string | null, };

export type GroupResponse = { 
/**
 * `"group"`.
 */
object: string, id: string, organizationId: string, name: string, externalId: string | null, };

export type GroupDetailsResponse = { collections: Array<SelectionResponse>, 
/**
 * Member (organization user) ids.
 */
users: Array<string>, 
/**
 * `"groupDetails"`.
 */
object: string, id: string, organizationId: string, name: string, externalId: string | null, };

export type PolicyResponse = { id: string, organizationId: string, 
/**
 * PolicyType number.
 */
type: PolicyType, 
/**
 * The policy's options (shape per type), or null.
 */
data: JsonValue | null, enabled: boolean, 
/**
 * Last change (ISO 8601). bw parses it with `new Date(…)` and writes it back with
 * `toISOString()`, which throws on a missing one once the account has policies.
 */
revisionDate: string | null, 
/**
 * `"policy"`.
 */
object: string, };

export type EventResponse = { 
/**
 * EventType number.
 */
type: EventType, userId: string | null, organizationId: string | null, providerId: string | null, cipherId: string | null, collectionId: string | null, groupId: string | null, policyId: string | null, organizationUserId: string | null, providerUserId: string | null, providerOrganizationId: string | null, actingUserId: string | null, installationId: string | null, date: string, deviceType: number | null, ipAddress: string | null, systemUser: number | null, domainName: string | null, secretId: string | null, projectId: string | null, serviceAccountId: string | null, grantedServiceAccountId: string | null, sendId: string | null, 
/**
 * `"event"`.
 */
object: string, };

export type ProviderEventResponse = { 
/**
 * Email of the acting account, when it still exists.
 */
actingUserEmail: string | null, 
/**
 * What happened, in words.
 */
eventName: string, 
/**
 * EventType number.
 */
type: EventType, userId: string | null, organizationId: string | null, providerId: string | null, cipherId: string | null, collectionId: string | null, groupId: string | null, policyId: string | null, organizationUserId: string | null, providerUserId: string | null, providerOrganizationId: string | null, actingUserId: string | null, installationId: string | null, date: string, deviceType: number | null, ipAddress: string | null, systemUser: number | null, domainName: string | null, secretId: string | null, projectId: string | null, serviceAccountId: string | null, grantedServiceAccountId: string | null, sendId: string | null, 
/**
 * `"event"`.
 */
object: string, };

export type BulkMemberResponse = { id: string, 
/**
 * Empty, or why this member was not changed.
 */
error: string, email?: string, mailed?: boolean, token?: string, inviteUrl?: string, 
/**
 * The Bitwarden model name of the table's bulk answer.
 */
object: string, };

export type OrganizationUserInviteResponse = { id: string, email: string | null, mailed: boolean, token: string | null, inviteUrl: string | null, 
/**
 * `"organizationUserInvite"`.
 */
object: string, };

export type OrganizationUserPublicKeyResponse = { id: string, userId: string, key: string, 
/**
 * `"organizationUserPublicKeyResponseModel"`.
 */
object: string, };

export type OrganizationPublicKeyResponse = { 
/**
 * The org's public key.
 */
publicKey: string | null, 
/**
 * `"organizationPublicKey"`.
 */
object: string, };

export type OrganizationUserResetPasswordDetailsResponse = { 
/**
 * The membership.
 */
organizationUserId: string, 
/**
 * The member's KDF type (0 PBKDF2, 1 Argon2id).
 */
kdf: number, 
/**
 * KDF iterations.
 */
kdfIterations: number, 
/**
 * Argon2id memory (MiB).
 */
kdfMemory: number | null, 
/**
 * Argon2id parallelism.
 */
kdfParallelism: number | null, 
/**
 * The KDF salt: the member's email, trimmed and lower-cased.
 */
masterPasswordSalt: string, 
/**
 * The member's enrolment (type 4 to the org public key).
 */
resetPasswordKey: string, 
/**
 * The organization's private key under the org key (type 2).
 */
encryptedPrivateKey: string, 
/**
 * `"organizationUserResetPasswordDetails"`.
 */
object: string, };

export type OrganizationKeysResponse = { 
/**
 * Public key.
 */
publicKey: string | null, 
/**
 * Private key under the org key.
 */
privateKey: string | null, 
/**
 * `"organizationKeys"`.
 */
object: string, };

export type ApiKeyResponse = { 
/**
 * The key.
 */
apiKey: string, 
/**
 * When it was made.
 */
revisionDate: string, 
/**
 * `"apiKey"`.
 */
object: string, };

export type PublicMemberResponse = { id: string, userId: string | null, name: string | null, email: string, 
/**
 * OrganizationUserType number.
 */
type: OrganizationUserType, 
/**
 * OrganizationUserStatusType number.
 */
status: OrganizationUserStatus, twoFactorEnabled: boolean, externalId: string | null, collections: Array<SelectionResponse>, 
/**
 * `"member"`.
 */
object: string, };

export type OrganizationTokenResponse = { 
/**
 * The bearer token for `/api/public/*`.
 */
access_token: string, 
/**
 * Seconds.
 */
expires_in: bigint, 
/**
 * `"Bearer"`.
 */
token_type: string, 
/**
 * `"api.organization"`.
 */
scope: string, };

export type ProviderResponse = { id: string, name: string, businessName: string | null, businessAddress1: string | null, businessAddress2: string | null, businessAddress3: string | null, businessCountry: string | null, businessTaxNumber: string | null, billingEmail: string | null, creationDate: string, 
/**
 * ProviderStatusType: 0 pending (owner not set up), 1 created.
 */
status: ProviderStatus, enabled: boolean, 
/**
 * ProviderType: 0 MSP.
 */
type: ProviderType, useEvents: boolean, 
/**
 * Keyfleet: launching into a client needs the member's master password.
 */
launchRequiresPassword: boolean, 
/**
 * `"provider"`.
 */
object: string, };

export type AdminProviderResponse = { id: string, name: string, businessName: string | null, billingEmail: string | null, status: ProviderStatus, enabled: boolean, creationDate: string, 
/**
 * Members (any status).
 */
members: bigint, 
/**
 * Client organizations.
 */
clients: bigint, 
/**
 * `"adminProvider"`.
 */
object: string, };

export type AdminProviderCreatedResponse = { ownerEmail: string | null, 
/**
 * The owner's (pending) provider member id.
 */
ownerId: string, 
/**
 * The link the owner opens to set the provider up.
 */
setupUrl: string, token: string, 
/**
 * Whether the link was mailed.
 */
mailed: boolean, id: string, name: string, businessName: string | null, billingEmail: string | null, status: ProviderStatus, enabled: boolean, creationDate: string, 
/**
 * Members (any status).
 */
members: bigint, 
/**
 * Client organizations.
 */
clients: bigint, 
/**
 * `"adminProvider"`.
 */
object: string, };

export type ProviderInviteResponse = { 
/**
 * The new member's id.
 */
id: string, 
/**
 * Invited address.
 */
email: string | null, 
/**
 * Whether a mail went out.
 */
mailed: boolean, 
/**
 * The invitation token.
 */
token: string, 
/**
 * The link the invitee opens.
 */
inviteUrl: string, };

export type ProviderMemberResponse = { id: string, userId: string | null, 
/**
 * ProviderUserType as the Bitwarden apps know it: 0 provider admin, 1 service user.
 */
type: ProviderUserType, 
/**
 * ProviderUserStatusType: 0 invited, 1 accepted, 2 confirmed.
 */
status: ProviderUserStatus, 
/**
 * Always empty (org permissions, for the Bitwarden shape).
 */
permissions: Permissions, 
/**
 * Keyfleet's role: `owner`, `admin`, `technician` or `custom`.
 */
role: ProviderRole, 
/**
 * The custom role, when `role` is `custom`.
 */
roleId: string | null, suspended: boolean, name: string | null, email: string, 
/**
 * The custom role's name.
 */
roleName: string | null, twoFactorEnabled: boolean, 
/**
 * Provider-organization (client) ids assigned to the member.
 */
assignedClients: Array<string>, 
/**
 * `"providerUserUserDetails"`.
 */
object: string, };

export type ProviderRoleResponse = { id: string, name: string, 
/**
 * The role's permissions, in catalog order.
 */
permissions: Array<Permission>, 
/**
 * Every client, or only the member's assigned clients.
 */
scope: ProviderScope, 
/**
 * Members holding the role.
 */
members: bigint, creationDate: string, revisionDate: string, 
/**
 * `"providerRole"`.
 */
object: string, };

export type ProviderClientResponse = { 
/**
 * The provider–organization link id.
 */
id: string, providerId: string, organizationId: string, 
/**
 * The org key wrapped with the provider key: only for members who may launch into it.
 */
key: string | null, settings: string | null, creationDate: string, revisionDate: string, userCount: bigint, seats: number, occupiedSeats: bigint, remainingSeats: bigint, plan: string, planType: PlanType, organizationName: string, enabled: boolean, website: string | null, region: string | null, notes: string | null, 
/**
 * Provider member ids assigned to the client.
 */
assignedMembers: Array<string>, 
/**
 * `"providerOrganizationOrganizationDetail"`.
 */
object: string, };

export type ProviderClientCreatedResponse = { 
/**
 * The client owner's invitation (to the organization itself), link included.
 */
ownerInvite: ProviderInviteResponse | null, 
/**
 * The provider–organization link id.
 */
id: string, providerId: string, organizationId: string, 
/**
 * The org key wrapped with the provider key: only for members who may launch into it.
 */
key: string | null, settings: string | null, creationDate: string, revisionDate: string, userCount: bigint, seats: number, occupiedSeats: bigint, remainingSeats: bigint, plan: string, planType: PlanType, organizationName: string, enabled: boolean, website: string | null, region: string | null, notes: string | null, 
/**
 * Provider member ids assigned to the client.
 */
assignedMembers: Array<string>, 
/**
 * `"providerOrganizationOrganizationDetail"`.
 */
object: string, };

export type ProfileProviderResponse = { id: string, name: string, 
/**
 * The provider key wrapped to the member's public key.
 */
key: string | null, status: ProviderUserStatus, type: ProviderUserType, enabled: boolean, permissions: Permissions, userId: string | null, useEvents: boolean, providerStatus: ProviderStatus, providerType: ProviderType, 
/**
 * Keyfleet's role (the Bitwarden apps ignore it).
 */
role: ProviderRole, roleId: string | null, 
/**
 * The member's own effective permissions, whatever their role (owners and admins: the
 * whole catalog), in catalog order: what a console may offer them (the server still decides
 * every call).
 */
rolePermissions: Array<Permission>, 
/**
 * The clients those permissions cover.
 */
roleScope: ProviderScope, 
/**
 * `"profileProvider"`.
 */
object: string, };

export type ProviderClientUsageResponse = { providerOrganizationId: string, organizationId: string, name: string, plan: string, planType: PlanType, seats: number, 
/**
 * Confirmed + accepted + invited members (revoked ones use no seat).
 */
seatsUsed: bigint, membersConfirmed: bigint, membersAccepted: bigint, membersInvited: bigint, membersRevoked: bigint, items: bigint, membersWithTwoStepLogin: bigint, lastActivity: string | null, 
/**
 * `"providerClientUsage"`.
 */
object: string, };

export type ProviderUserPublicKeyResponse = { id: string, userId: string, key: string | null, 
/**
 * `"providerUserPublicKeyResponseModel"`.
 */
object: string, };

export type AddableOrganizationResponse = { id: string, name: string, 
/**
 * Plan display name.
 */
plan: string, seats: number, disabled: boolean, };

export type ProviderClientLaunchResponse = { providerId: string, providerOrganizationId: string, organizationId: string, organizationName: string, key: string, 
/**
 * `"providerClientLaunch"`.
 */
object: string, };

export type ProviderMemberNameResponse = { 
/**
 * The provider member id.
 */
id: string, userId: string | null, name: string | null, 
/**
 * The account's address, or the invited one.
 */
email: string, 
/**
 * `"providerUserName"`.
 */
object: string, };

export type PreloginRequest = { 
/**
 * The email as typed.
 */
email: string, };

export type KdfSettings = { 
/**
 * 0 = PBKDF2-SHA256, 1 = Argon2id.
 */
kdfType: number, 
/**
 * PBKDF2 iterations or Argon2 time cost.
 */
iterations: number, 
/**
 * Argon2 memory in MiB.
 */
memory: number | null, 
/**
 * Argon2 lanes.
 */
parallelism: number | null, };

export type PreloginResponse = { 
/**
 * KDF type.
 */
kdf: number, 
/**
 * KDF iterations.
 */
kdfIterations: number, 
/**
 * Argon2 memory (MiB).
 */
kdfMemory: number | null, 
/**
 * Argon2 parallelism.
 */
kdfParallelism: number | null, 
/**
 * Nested form read by current clients.
 */
kdfSettings: KdfSettings, 
/**
 * The KDF salt: the trimmed, lower-cased email.
 */
salt: string | null, };

export type KeysRequest = { 
/**
 * Base64 SPKI DER.
 */
publicKey: string, 
/**
 * Type-2 EncString of the PKCS#8 private key under the user key.
 */
encryptedPrivateKey: string, };

export type MasterPasswordAuthenticationData = { 
/**
 * KDF used.
 */
kdf: KdfSettings, 
/**
 * The master password hash.
 */
masterPasswordAuthenticationHash: string, 
/**
 * The KDF salt.
 */
salt: string, };

export type MasterPasswordUnlockData = { 
/**
 * KDF used.
 */
kdf: KdfSettings, 
/**
 * User key under the stretched master key (type 2).
 */
masterKeyWrappedUserKey: string, 
/**
 * The KDF salt.
 */
salt: string, };

export type SendVerificationEmailRequest = { 
/**
 * Email to register.
 */
email: string, 
/**
 * Display name.
 */
name: string | null, 
/**
 * Ignored.
 */
receiveMarketingEmails: boolean | null, };

export type RegisterFinishRequest = { 
/**
 * Email.
 */
email: string, 
/**
 * Token from send-verification-email.
 */
emailVerificationToken: string | null, 
/**
 * Instead of the email token: an organization invitation's token (with
 * `organizationUserId`), which also works when open registration is off.
 */
orgInviteToken?: string | null, 
/**
 * The invited organization membership.
 */
organizationUserId?: string | null, 
/**
 * Instead of the email token: an emergency access invitation's token (with
 * `acceptEmergencyAccessId`), as the web vault sends it when a trusted contact registers
 * from the invitation link.
 */
acceptEmergencyAccessInviteToken?: string | null, 
/**
 * The emergency access the invitation is to.
 */
acceptEmergencyAccessId?: string | null, 
/**
 * Instead of the email token: a provider invitation's token (with `providerUserId`).
 */
providerInviteToken?: string | null, 
/**
 * The invited provider membership.
 */
providerUserId?: string | null, 
/**
 * Display name (Keyfleet extension; official takes it from the verification step).
 */
name?: string | null, 
/**
 * Flat form: master password hash.
 */
masterPasswordHash: string | null, 
/**
 * Password hint (stored as sent).
 */
masterPasswordHint: string | null, 
/**
 * Flat form: user key under the stretched master key.
 */
userSymmetricKey: string | null, 
/**
 * RSA pair.
 */
userAsymmetricKeys: KeysRequest | null, 
/**
 * Flat form KDF type.
 */
kdf: number | null, 
/**
 * Flat form iterations.
 */
kdfIterations: number | null, 
/**
 * Flat form memory.
 */
kdfMemory: number | null, 
/**
 * Flat form parallelism.
 */
kdfParallelism: number | null, 
/**
 * Nested form.
 */
masterPasswordAuthentication?: MasterPasswordAuthenticationData | null, 
/**
 * Nested form.
 */
masterPasswordUnlock?: MasterPasswordUnlockData | null, };

export type RegisterRequest = { 
/**
 * Email.
 */
email: string, 
/**
 * Display name.
 */
name: string | null, 
/**
 * Master password hash.
 */
masterPasswordHash: string, 
/**
 * Password hint.
 */
masterPasswordHint: string | null, 
/**
 * User key under the stretched master key.
 */
key: string, 
/**
 * RSA pair.
 */
keys: KeysRequest | null, 
/**
 * KDF type.
 */
kdf: number, 
/**
 * Iterations.
 */
kdfIterations: number, 
/**
 * Memory (MiB).
 */
kdfMemory: number | null, 
/**
 * Parallelism.
 */
kdfParallelism: number | null, };

export type RegisterFinishResponse = { 
/**
 * `"registerFinish"`.
 */
object: string, };

export type AccountKeys = { 
/**
 * The RSA pair.
 */
publicKeyEncryptionKeyPair: PublicKeyEncryptionKeyPair, 
/**
 * V2 accounts only; null otherwise.
 */
signatureKeyPair: JsonValue | null, 
/**
 * V2 accounts only; null otherwise.
 */
securityState: JsonValue | null, 
/**
 * `"privateKeys"`.
 */
object: string, };

export type PublicKeyEncryptionKeyPair = { 
/**
 * Private key under the user key (type 2).
 */
wrappedPrivateKey: string, 
/**
 * Base64 SPKI.
 */
publicKey: string, 
/**
 * V2 only.
 */
signedPublicKey: string | null, 
/**
 * `"publicKeyEncryptionKeyPair"`.
 */
object: string, };

export type IdentityKdf = { 
/**
 * KDF type.
 */
KdfType: number, 
/**
 * Iterations.
 */
Iterations: number, 
/**
 * Memory.
 */
Memory: number | null, 
/**
 * Parallelism.
 */
Parallelism: number | null, };

export type IdentityMasterPasswordUnlock = { 
/**
 * KDF.
 */
Kdf: IdentityKdf, 
/**
 * User key under the stretched master key.
 */
MasterKeyEncryptedUserKey: string, 
/**
 * Same value; mobile clients read this name.
 */
MasterKeyWrappedUserKey: string, 
/**
 * The KDF salt.
 */
Salt: string, };

export type UserDecryptionOptions = { 
/**
 * Always true for Keyfleet accounts.
 */
HasMasterPassword: boolean, 
/**
 * Unlock data.
 */
MasterPasswordUnlock: IdentityMasterPasswordUnlock | null, 
/**
 * `"userDecryptionOptions"`.
 */
Object: string, };

export type MasterPasswordPolicyResponse = { 
/**
 * `"masterPasswordPolicy"`.
 */
object: string, } & ({ [key in string]?: number | string | boolean | Array<JsonValue> | { [key in string]?: JsonValue } | null });

export type TokenResponse = { 
/**
 * JWT.
 */
access_token: string, 
/**
 * Seconds.
 */
expires_in: bigint, 
/**
 * `"Bearer"`.
 */
token_type: string, 
/**
 * Present for the password grant.
 */
refresh_token?: string | null, 
/**
 * Granted scope.
 */
scope: string, 
/**
 * User key under the stretched master key.
 */
Key: string, 
/**
 * Deprecated copy of the wrapped private key.
 */
PrivateKey: string | null, 
/**
 * Required by bw 2026.9 for accounts with a key pair.
 */
AccountKeys: AccountKeys | null, 
/**
 * KDF type.
 */
Kdf: number, 
/**
 * Iterations.
 */
KdfIterations: number, 
/**
 * Memory.
 */
KdfMemory: number | null, 
/**
 * Parallelism.
 */
KdfParallelism: number | null, 
/**
 * Always false.
 */
ResetMasterPassword: boolean, 
/**
 * Always false.
 */
ForcePasswordReset: boolean, 
/**
 * Master password policy in force (null when none).
 */
MasterPasswordPolicy: MasterPasswordPolicyResponse | null, 
/**
 * Unlock data.
 */
UserDecryptionOptions: UserDecryptionOptions, 
/**
 * Remember-device token, when requested and granted.
 */
TwoFactorToken?: string | null, };

export type RefreshResponse = { 
/**
 * JWT.
 */
access_token: string, 
/**
 * Seconds.
 */
expires_in: bigint, 
/**
 * `"Bearer"`.
 */
token_type: string, 
/**
 * The rotated refresh token.
 */
refresh_token: string, 
/**
 * Granted scope.
 */
scope: string, };

export type PasswordRequest = { 
/**
 * Current hash.
 */
masterPasswordHash: string, 
/**
 * New hash.
 */
newMasterPasswordHash: string, 
/**
 * New hint.
 */
masterPasswordHint: string | null, 
/**
 * User key re-wrapped under the new stretched master key.
 */
key: string, };

export type UpdateTempPasswordRequest = { 
/**
 * New hash (older form; newer clients send `authentication_data`).
 */
newMasterPasswordHash?: string, 
/**
 * User key re-wrapped under the new stretched master key (older form; newer clients send
 * `unlock_data`).
 */
key?: string, 
/**
 * New hint.
 */
masterPasswordHint?: string, 
/**
 * Newer clients' form of the new hash (with `unlock_data`): the KDF and salt stay the
 * user's own.
 */
authenticationData?: MasterPasswordAuthenticationData, 
/**
 * Newer clients' form of the new key (with `authentication_data`).
 */
unlockData?: MasterPasswordUnlockData, };

export type KdfRequest = { 
/**
 * New KDF type.
 */
kdf: number, 
/**
 * New iterations.
 */
kdfIterations: number, 
/**
 * New memory.
 */
kdfMemory: number | null, 
/**
 * New parallelism.
 */
kdfParallelism: number | null, 
/**
 * Current hash.
 */
masterPasswordHash: string, 
/**
 * Hash under the new KDF.
 */
newMasterPasswordHash: string, 
/**
 * User key re-wrapped.
 */
key: string, };

export type UpdateProfileRequest = { 
/**
 * Display name.
 */
name: string | null, 
/**
 * Locale.
 */
culture: string | null, 
/**
 * Hint.
 */
masterPasswordHint: string | null, };

export type UserKeyIdRequest = { 
/**
 * 32 hex characters derived by the client.
 */
userKeyId: string, };

export type UserKeyResponse = { 
/**
 * The user.
 */
userId: string, 
/**
 * Base64 SPKI.
 */
publicKey: string, 
/**
 * `"userKey"`.
 */
object: string, };

export type ProfileResponse = { 
/**
 * User id.
 */
id: string, 
/**
 * Display name.
 */
name: string | null, 
/**
 * Email.
 */
email: string, 
/**
 * Always true (no mail verification needed to use the vault).
 */
emailVerified: boolean, 
/**
 * Premium features are on for everyone on a self-hosted server.
 */
premium: boolean, 
/**
 * False.
 */
premiumFromOrganization: boolean, 
/**
 * Locale.
 */
culture: string, 
/**
 * Whether any second factor is enabled.
 */
twoFactorEnabled: boolean, 
/**
 * User key under the stretched master key.
 */
key: string, 
/**
 * Deprecated copy of the wrapped private key.
 */
privateKey: string | null, 
/**
 * The SDK refreshes its crypto state from this.
 */
accountKeys: AccountKeys | null, 
/**
 * Must stay stable between syncs unless credentials changed.
 */
securityStamp: string, 
/**
 * False.
 */
forcePasswordReset: boolean, 
/**
 * False.
 */
usesKeyConnector: boolean, 
/**
 * Null.
 */
avatarColor: string | null, 
/**
 * ISO date.
 */
creationDate: string, 
/**
 * False: a mail-less server never asks for new-device OTPs.
 */
verifyDevices: boolean, 
/**
 * Confirmed memberships.
 */
organizations: Array<ProfileOrganizationResponse>, 
/**
 * Provider memberships.
 */
providers: Array<ProfileProviderResponse>, 
/**
 * Organizations reachable through providers.
 */
providerOrganizations: Array<ProfileOrganizationResponse>, 
/**
 * `"profile"`.
 */
object: string, };

export type SyncUserDecryption = { 
/**
 * Unlock data.
 */
masterPasswordUnlock: SyncMasterPasswordUnlock | null, 
/**
 * Null.
 */
webAuthnPrfOptions: JsonValue | null, 
/**
 * Null.
 */
v2UpgradeToken: JsonValue | null, 
/**
 * The backfilled key id; once present the SDK stops re-posting it.
 */
userKeyId: string | null, };

export type SyncMasterPasswordUnlock = { 
/**
 * KDF.
 */
kdf: KdfSettings, 
/**
 * User key under the stretched master key.
 */
masterKeyEncryptedUserKey: string, 
/**
 * The KDF salt.
 */
salt: string, 
/**
 * The user key id, when known.
 */
containedKeyId: string | null, };

export type DomainsResponse = { 
/**
 * Always empty.
 */
equivalentDomains: Array<Array<string>>, 
/**
 * Always empty.
 */
globalEquivalentDomains: Array<JsonValue>, 
/**
 * `"domains"`.
 */
object: string, };

export type SyncHeadResponse = { 
/**
 * `"sync"`.
 */
object: string, 
/**
 * The profile with organizations and providers.
 */
profile: ProfileResponse, 
/**
 * The folders.
 */
folders: Array<FolderResponse>, 
/**
 * The collections the user reaches.
 */
collections: Array<CollectionDetailsResponse>, 
/**
 * The policies of the user's organizations.
 */
policies: Array<PolicyResponse>, 
/**
 * The user's Sends (`crate::sends::SendResponse` objects; kept as JSON values here so the
 * console's generated types need not carry them).
 */
sends: Array<JsonValue>, 
/**
 * Null with `excludeDomains=true`.
 */
domains: DomainsResponse | null, 
/**
 * Unlock data.
 */
userDecryption: SyncUserDecryption, };

export type SyncResponse = { 
/**
 * Every item the user reads (`object: "cipherDetails"`), written last.
 */
ciphers: Array<CipherDetailsResponse>, 
/**
 * `"sync"`.
 */
object: string, 
/**
 * The profile with organizations and providers.
 */
profile: ProfileResponse, 
/**
 * The folders.
 */
folders: Array<FolderResponse>, 
/**
 * The collections the user reaches.
 */
collections: Array<CollectionDetailsResponse>, 
/**
 * The policies of the user's organizations.
 */
policies: Array<PolicyResponse>, 
/**
 * The user's Sends (`crate::sends::SendResponse` objects; kept as JSON values here so the
 * console's generated types need not carry them).
 */
sends: Array<JsonValue>, 
/**
 * Null with `excludeDomains=true`.
 */
domains: DomainsResponse | null, 
/**
 * Unlock data.
 */
userDecryption: SyncUserDecryption, };

export type FolderRequest = { 
/**
 * EncString under the user key.
 */
name: string, };

export type FolderResponse = { 
/**
 * Folder id.
 */
id: string, 
/**
 * EncString.
 */
name: string, 
/**
 * ISO date.
 */
revisionDate: string, 
/**
 * `"folder"`.
 */
object: string, };

export type CipherRequest = { 
/**
 * Login 1, SecureNote 2, Card 3, Identity 4, SshKey 5.
 */
type: number, 
/**
 * Owning organization, when shared.
 */
organizationId?: string | null, 
/**
 * Per-user folder.
 */
folderId?: string | null, 
/**
 * Per-user favorite.
 */
favorite: boolean | null, 
/**
 * 0 none, 1 ask for master password.
 */
reprompt: number | null, 
/**
 * Per-item key (type 2).
 */
key?: string | null, 
/**
 * EncString.
 */
name: string, 
/**
 * EncString.
 */
notes: string | null, 
/**
 * Custom fields.
 */
fields: JsonValue | null, 
/**
 * Previous passwords.
 */
passwordHistory?: JsonValue | null, 
/**
 * Login data.
 */
login: JsonValue | null, 
/**
 * Card data.
 */
card?: JsonValue | null, 
/**
 * Identity data.
 */
identity?: JsonValue | null, 
/**
 * Secure note data.
 */
secureNote?: JsonValue | null, 
/**
 * SSH key data.
 */
sshKey?: JsonValue | null, 
/**
 * The revision the client edited; stale edits are refused.
 */
lastKnownRevisionDate: string | null, 
/**
 * Archive date.
 */
archivedDate?: string | null, 
/**
 * The acting user id the client encrypted for.
 */
encryptedFor: string | null, 
/**
 * The item's attachments' names and keys by attachment id, which the clients send with
 * every save and re-encrypt when the item moves into an organization.
 */
attachments2?: { [key in string]?: AttachmentMetadataRequest } | null, };

export type AttachmentMetadataRequest = { 
/**
 * EncString of the file's name.
 */
fileName: string | null, 
/**
 * EncString of the file's key.
 */
key: string | null, };

export type AttachmentRequest = { 
/**
 * The file's own key, wrapped with the item key (or the user/org key): EncString.
 */
key: string, 
/**
 * The file's name: EncString.
 */
fileName: string, 
/**
 * Bytes of the encrypted file the client will upload.
 */
fileSize: number, 
/**
 * Sent by the admin console: act with the right to manage every item of the organization.
 */
adminRequest: boolean, 
/**
 * The client's revision date of the item (refused when older than the stored one).
 */
lastKnownRevisionDate: string | null, };

export type AttachmentResponse = { 
/**
 * Id.
 */
id: string, 
/**
 * Download link (carries a short-lived signed token).
 */
url: string, 
/**
 * EncString.
 */
fileName: string, 
/**
 * EncString.
 */
key: string, 
/**
 * Bytes, as a string (the official server sends a string).
 */
size: string, 
/**
 * Human-readable size, the way the official server writes it ("200 KB", "19.53 MB").
 */
sizeName: string, 
/**
 * Always `"attachment"`.
 */
object: string, };

export type AttachmentUploadDataHead = { 
/**
 * Always `"attachment-fileUpload"`.
 */
object: string, 
/**
 * The new attachment's id, which names the upload URL.
 */
attachmentId: string, 
/**
 * Where to upload (the clients post Direct uploads to their own API path instead).
 */
url: string, 
/**
 * 0 Direct (a multipart POST to this server), 1 Azure.
 */
fileUploadType: number, };

export type CipherLoginRequest = { 
/**
 * EncString.
 */
username: string | null, 
/**
 * EncString.
 */
password: string | null, 
/**
 * The item's URIs.
 */
uris: Array<CipherLoginUriRequest>, 
/**
 * EncString of the TOTP seed.
 */
totp: string | null, };

export type CipherLoginUriRequest = { 
/**
 * EncString.
 */
uri: string | null, 
/**
 * `UriMatchType` number, null for the default.
 */
match: number | null, };

export type CipherCreateRequest = { 
/**
 * The cipher.
 */
cipher: CipherRequest, 
/**
 * Collections it goes into.
 */
collectionIds: Array<string>, };

export type CipherPartialRequest = { 
/**
 * Folder.
 */
folderId: string | null, 
/**
 * Favorite.
 */
favorite: boolean, };

export type CipherBulkRequest = { 
/**
 * Cipher ids.
 */
ids: Array<string>, 
/**
 * Organization (admin bulk operations).
 */
organizationId: string | null, };

export type CipherBulkMoveRequest = { 
/**
 * Cipher ids.
 */
ids: Array<string>, 
/**
 * Target folder (null = no folder).
 */
folderId: string | null, };

export type IdsRequest = { 
/**
 * Ids.
 */
ids: Array<string>, };

export type CipherPermissionsResponse = { 
/**
 * May move it to the trash or delete it.
 */
delete: boolean, 
/**
 * May restore it from the trash.
 */
restore: boolean, };

export type CipherDetailsResponse = { 
/**
 * `"cipherDetails"` (or `"cipher"`, `"cipherMini"`).
 */
object: string, 
/**
 * Id.
 */
id: string, 
/**
 * Owning organization.
 */
organizationId: string | null, 
/**
 * Folder for this user.
 */
folderId: string | null, 
/**
 * Type.
 */
type: number, 
/**
 * EncString.
 */
name: string, 
/**
 * EncString.
 */
notes: string | null, 
/**
 * Favorite for this user.
 */
favorite: boolean, 
/**
 * Reprompt.
 */
reprompt: number, 
/**
 * Per-item key.
 */
key: string | null, 
/**
 * Login.
 */
login: JsonValue | null, 
/**
 * Card.
 */
card: JsonValue | null, 
/**
 * Identity.
 */
identity: JsonValue | null, 
/**
 * Secure note.
 */
secureNote: JsonValue | null, 
/**
 * SSH key.
 */
sshKey: JsonValue | null, 
/**
 * Fields.
 */
fields: JsonValue | null, 
/**
 * Password history.
 */
passwordHistory: JsonValue | null, 
/**
 * Attachments.
 */
attachments: JsonValue | null, 
/**
 * ISO.
 */
creationDate: string, 
/**
 * ISO.
 */
revisionDate: string, 
/**
 * ISO or null.
 */
deletedDate: string | null, 
/**
 * ISO or null.
 */
archivedDate: string | null, 
/**
 * Whether the caller may edit.
 */
edit: boolean, 
/**
 * Whether the caller may see the password.
 */
viewPassword: boolean, 
/**
 * Collections.
 */
collectionIds: Array<string>, 
/**
 * What the caller may do to the item.
 */
permissions: CipherPermissionsResponse, 
/**
 * Always true: TOTP codes are not a paid feature here.
 */
organizationUseTotp: boolean, };

export type EmergencyAccessInviteRequest = { 
/**
 * The grantee's address (they accept with an account of this address).
 */
email: string, 
/**
 * View or Takeover.
 */
type: EmergencyAccessType, 
/**
 * Days between the grantee's request and its automatic approval.
 */
waitTimeDays: number, };

export type EmergencyAccessInviteResponse = { 
/**
 * The new emergency access.
 */
id: string, 
/**
 * Whether the invitation went out by mail.
 */
mailed: boolean, 
/**
 * The invitation token (only when not mailed).
 */
token: string | null, 
/**
 * The accept link (only when not mailed).
 */
link: string | null, 
/**
 * `"emergencyAccessInvite"`.
 */
object: string, };

export type EmergencyAccessUpdateRequest = { 
/**
 * View or Takeover.
 */
type: EmergencyAccessType, 
/**
 * Days between the grantee's request and its automatic approval.
 */
waitTimeDays: number, 
/**
 * A re-wrapped key (key rotation); applied only when the row already holds one.
 */
keyEncrypted?: string, };

export type EmergencyAccessAcceptRequest = { 
/**
 * The invitation token from the mail link.
 */
token: string, };

export type EmergencyAccessConfirmRequest = { 
/**
 * The grantor's user key wrapped to the grantee's public key (RSA, type 4).
 */
key: string, };

export type EmergencyAccessPasswordRequest = { 
/**
 * New hash (older form).
 */
newMasterPasswordHash?: string, 
/**
 * The user key under the new stretched master key (older form).
 */
key?: string, 
/**
 * Newer form of the hash (with `unlock_data`): the grantor's KDF and salt.
 */
authenticationData?: MasterPasswordAuthenticationData, 
/**
 * Newer form of the key (with `authentication_data`).
 */
unlockData?: MasterPasswordUnlockData, };

export type EmergencyAccessGranteeDetailsResponse = { 
/**
 * Id.
 */
id: string, 
/**
 * Where it stands.
 */
status: EmergencyAccessStatusType, 
/**
 * View or Takeover.
 */
type: EmergencyAccessType, 
/**
 * Wait time in days.
 */
waitTimeDays: number, 
/**
 * The grantee's account (`null` until accepted).
 */
granteeId: string | null, 
/**
 * The grantee's name.
 */
name: string | null, 
/**
 * The grantee's address (the invited one until accepted).
 */
email: string | null, 
/**
 * Avatar colour (Keyfleet keeps none).
 */
avatarColor: string | null, 
/**
 * `"emergencyAccessGranteeDetails"`.
 */
object: string, };

export type EmergencyAccessGrantorDetailsResponse = { 
/**
 * Id.
 */
id: string, 
/**
 * Where it stands.
 */
status: EmergencyAccessStatusType, 
/**
 * View or Takeover.
 */
type: EmergencyAccessType, 
/**
 * Wait time in days.
 */
waitTimeDays: number, 
/**
 * The grantor's account.
 */
grantorId: string, 
/**
 * The grantor's name.
 */
name: string | null, 
/**
 * The grantor's address.
 */
email: string | null, 
/**
 * Avatar colour (Keyfleet keeps none).
 */
avatarColor: string | null, 
/**
 * `"emergencyAccessGrantorDetails"`.
 */
object: string, };

export type EmergencyAccessTakeoverResponse = { 
/**
 * The grantor's user key wrapped to the grantee's public key (type 4).
 */
keyEncrypted: string, 
/**
 * The grantor's KDF type.
 */
kdf: number, 
/**
 * Its iterations.
 */
kdfIterations: number, 
/**
 * Argon2id memory (MiB).
 */
kdfMemory: number | null, 
/**
 * Argon2id lanes.
 */
kdfParallelism: number | null, 
/**
 * The grantor's KDF salt (their address, lower-cased and trimmed).
 */
salt: string | null, 
/**
 * `"emergencyAccessTakeover"`.
 */
object: string, };

export type EmergencyAccessViewResponse = { 
/**
 * The grantor's user key wrapped to the grantee's public key (type 4).
 */
keyEncrypted: string, 
/**
 * The grantor's personal items (`object: "cipher"`).
 */
ciphers: Array<CipherDetailsResponse>, 
/**
 * `"emergencyAccessView"`.
 */
object: string, };

export type ImportRelationship = { 
/**
 * Position of the item in `ciphers`.
 */
key: bigint, 
/**
 * Position of the folder in `folders` (or collection in `collections`).
 */
value: bigint, };

export type ImportFolderRequest = { 
/**
 * An existing folder of the importer; anything else makes a new folder.
 */
id?: string | null, 
/**
 * EncString under the user key.
 */
name: string, };

export type ImportCollectionRequest = { 
/**
 * An existing collection of the organization; anything else makes a new collection.
 */
id?: string | null, 
/**
 * EncString under the org key.
 */
name: string, 
/**
 * Directory id.
 */
externalId?: string | null, };

export type ImportCiphersRequest = { 
/**
 * Folders, created unless they name one of the caller's.
 */
folders: Array<ImportFolderRequest>, 
/**
 * The items, encrypted with the user key (or their own item keys).
 */
ciphers: Array<CipherRequest>, 
/**
 * Which item goes into which folder.
 */
folderRelationships: Array<ImportRelationship>, };

export type ImportOrganizationCiphersRequest = { 
/**
 * Collections, created unless they name one of the organization's.
 */
collections: Array<ImportCollectionRequest>, 
/**
 * The items, encrypted with the org key.
 */
ciphers: Array<CipherRequest>, 
/**
 * Which item goes into which collection (an item may be in several).
 */
collectionRelationships: Array<ImportRelationship>, 
/**
 * The importer's folders for these items.
 */
folders: Array<ImportFolderRequest>, 
/**
 * Which item goes into which of the importer's folders.
 */
folderRelationships: Array<ImportRelationship>, };

export type ImportOrganizationQuery = { 
/**
 * The organization imported into.
 */
organizationId: string, };

export type OrganizationExportResponse = { 
/**
 * `"organizationExport"`.
 */
object: string, 
/**
 * The organization's collections (for a member without import/export rights, the ones
 * they manage).
 */
collections: Array<CollectionResponse>, 
/**
 * The items, with their collections.
 */
ciphers: Array<CipherDetailsResponse>, };

export type OrganizationKeysRequest = { 
/**
 * Base64 SPKI.
 */
publicKey: string, 
/**
 * Type-2 EncString under the org key.
 */
encryptedPrivateKey: string, };

export type PolicyFields = { 
/**
 * On or off.
 */
enabled: boolean, 
/**
 * Type-specific settings.
 */
data?: JsonValue, };

export type SavePolicyRequest = { 
/**
 * The policy.
 */
policy: PolicyFields, 
/**
 * Only the organization data ownership policy sends any.
 */
metadata?: JsonValue, };

export type OrganizationCreateRequest = { 
/**
 * Display name.
 */
name: string, 
/**
 * Business name.
 */
businessName?: string, 
/**
 * Billing contact.
 */
billingEmail: string, 
/**
 * PlanType number.
 */
planType: number, 
/**
 * The org key wrapped to the creator's public key (type 4).
 */
key: string, 
/**
 * The org key pair.
 */
keys?: OrganizationKeysRequest, 
/**
 * Name of the first collection, under the org key.
 */
collectionName?: string, 
/**
 * Seats bought on top of the plan's base (Keyfleet: the seat count of paid plans).
 */
additionalSeats?: number, };

export type OrganizationUpdateRequest = { 
/**
 * Display name.
 */
name: string, 
/**
 * Business name.
 */
businessName?: string, 
/**
 * Billing contact.
 */
billingEmail?: string, 
/**
 * Keys, for an org created without them.
 */
keys?: OrganizationKeysRequest, };

export type OrganizationSeatRequest = { 
/**
 * Seats to add (negative to remove).
 */
seatAdjustment: number, };

export type SelectionReadOnly = { 
/**
 * Collection, member or group id.
 */
id: string, 
/**
 * May not change items.
 */
readOnly: boolean, 
/**
 * May not see passwords.
 */
hidePasswords: boolean, 
/**
 * May manage.
 */
manage: boolean, };

export type OrganizationUserInviteRequest = { 
/**
 * Addresses to invite.
 */
emails: Array<string>, 
/**
 * OrganizationUserType number.
 */
type: number, 
/**
 * Custom permissions.
 */
permissions?: JsonValue, 
/**
 * Direct collection access.
 */
collections: Array<SelectionReadOnly>, 
/**
 * Groups.
 */
groups: Array<string>, };

export type OrganizationUserUpdateRequest = { 
/**
 * OrganizationUserType number.
 */
type: number, 
/**
 * Custom permissions.
 */
permissions?: JsonValue, 
/**
 * Direct collection access.
 */
collections: Array<SelectionReadOnly>, 
/**
 * Groups; absent means "leave them as they are" (the web vault leaves them out when its
 * user may not change them), unlike an empty list.
 */
groups?: Array<string>, };

export type OrganizationUserAcceptRequest = { 
/**
 * The invitation token from the link.
 */
token: string, 
/**
 * The web vault's automatic account recovery enrolment: the user key wrapped to the org
 * public key (type 4), sent when the org's Account recovery policy enrols automatically.
 */
resetPasswordKey?: string, };

export type OrganizationUserResetPasswordEnrollmentRequest = { 
/**
 * Type-4 EncString of the 64-byte user key (RSA-OAEP-SHA1 to the org public key);
 * `null` or empty withdraws.
 */
resetPasswordKey?: string, 
/**
 * The member's master password hash (checked when enrolling).
 */
masterPasswordHash?: string, };

export type OrganizationUserResetPasswordRequest = { 
/**
 * Set a new master password (older clients omit it: they only reset passwords).
 */
resetMasterPassword: boolean, 
/**
 * Remove the member's two-step login providers.
 */
resetTwoFactor: boolean, 
/**
 * The new master password hash (client-side PBKDF2 of the new master key).
 */
newMasterPasswordHash?: string, 
/**
 * The member's user key under the new stretched master key (type 2).
 */
key?: string, 
/**
 * Newer clients' form of the new hash (with `unlock_data`, instead of the two above):
 * the KDF and salt must be the member's own.
 */
authenticationData?: MasterPasswordAuthenticationData, 
/**
 * Newer clients' form of the new key (with `authentication_data`).
 */
unlockData?: MasterPasswordUnlockData, };

export type OrganizationUserConfirmRequest = { 
/**
 * The org key wrapped to the member's public key (type 4).
 */
key: string, 
/**
 * Name of the member's default collection (unused by Keyfleet; accepted).
 */
defaultUserCollectionName?: string, };

export type KeyedId = { 
/**
 * Member id.
 */
id: string, 
/**
 * Wrapped key.
 */
key: string, };

export type OrganizationUserBulkConfirmRequest = { 
/**
 * Members and their wrapped keys.
 */
keys: Array<KeyedId>, };

export type OrganizationUserBulkRequest = { 
/**
 * Member ids.
 */
ids: Array<string>, };

export type CollectionRequest = { 
/**
 * Name under the org key.
 */
name: string, 
/**
 * Directory id.
 */
externalId?: string, 
/**
 * Group access.
 */
groups: Array<SelectionReadOnly>, 
/**
 * Member access.
 */
users: Array<SelectionReadOnly>, };

export type GroupRequest = { 
/**
 * Name (plain text by protocol).
 */
name: string, 
/**
 * Directory id.
 */
externalId?: string, 
/**
 * Collection access.
 */
collections: Array<SelectionReadOnly>, 
/**
 * Member ids.
 */
users: Array<string>, };

export type EventCollectRequest = { 
/**
 * EventType number.
 */
type: number, 
/**
 * Item concerned.
 */
cipherId?: string, 
/**
 * When (client clock).
 */
date?: string, 
/**
 * Organization concerned.
 */
organizationId?: string, };

export type EventRangeQuery = { 
/**
 * Oldest event to include (ISO 8601).
 */
start?: string, 
/**
 * Newest event to include (ISO 8601).
 */
end?: string, 
/**
 * `continuationToken` of the previous page.
 */
continuationToken?: string, };

export type SecretVerificationRequest = { 
/**
 * The caller's master password hash.
 */
masterPasswordHash?: string, };

export type AdminProviderCreateRequest = { 
/**
 * Display name.
 */
name: string, 
/**
 * The owner to invite.
 */
ownerEmail: string, 
/**
 * Business name.
 */
businessName?: string, 
/**
 * Billing contact.
 */
billingEmail?: string, };

export type ProviderSetupRequest = { 
/**
 * Display name.
 */
name: string, 
/**
 * Business name.
 */
businessName?: string, 
/**
 * Billing contact.
 */
billingEmail: string, 
/**
 * The setup token from the invitation.
 */
token: string, 
/**
 * A fresh 64-byte provider key wrapped to the owner's public key (type-4 EncString).
 */
key: string, };

export type ProviderUpdateRequest = { 
/**
 * Display name.
 */
name: string, 
/**
 * Business name.
 */
businessName?: string, 
/**
 * Billing contact.
 */
billingEmail?: string, 
/**
 * Keyfleet: launching into a client needs the member's master password (absent: unchanged).
 */
launchRequiresPassword?: boolean, };

export type ProviderUserInviteRequest = { 
/**
 * Addresses to invite (at most 100).
 */
emails: Array<string>, 
/**
 * Clients (provider organization ids) to assign the new members to.
 */
clientIds: Array<string>, 
/**
 * ProviderUserType: 0 ProviderAdmin, 1 ServiceUser; decides the role when `role` is absent.
 */
type?: number, 
/**
 * `admin`, `technician` or `custom`.
 */
role?: string, 
/**
 * The custom role, with `role: "custom"`.
 */
roleId?: string, };

export type ProviderUserBulkRequest = { 
/**
 * Provider member ids.
 */
ids: Array<string>, };

export type ProviderUserAcceptRequest = { 
/**
 * The invitation token from the link.
 */
token: string, };

export type ProviderUserConfirmRequest = { 
/**
 * The provider key wrapped to the member's public key (type-4 EncString).
 */
key: string, };

export type ProviderUserKeyedId = { 
/**
 * Provider member id.
 */
id: string, 
/**
 * The provider key wrapped to that member's public key (type 4).
 */
key: string, };

export type ProviderUserBulkConfirmRequest = { 
/**
 * Members and their wrapped keys.
 */
keys: Array<ProviderUserKeyedId>, };

export type ProviderUserUpdateRequest = { 
/**
 * ProviderUserType: 0 ProviderAdmin, 1 ServiceUser; decides the role when `role` is absent.
 */
type?: number, 
/**
 * `admin`, `technician` or `custom`.
 */
role?: string, 
/**
 * The custom role, with `role: "custom"`.
 */
roleId?: string, };

export type ProviderRoleChoice = { 
/**
 * ProviderUserType: 0 ProviderAdmin, 1 ServiceUser; decides the role when `role` is absent.
 */
type?: number, 
/**
 * `admin`, `technician` or `custom`.
 */
role?: string, 
/**
 * The custom role, with `role: "custom"`.
 */
roleId?: string, };

export type ProviderUserClientsRequest = { 
/**
 * Provider organization ids; the whole new set.
 */
clientIds: Array<string>, };

export type ProviderTransferOwnershipRequest = { 
/**
 * The caller's master password hash.
 */
masterPasswordHash?: string, };

export type ProviderClientLaunchRequest = { 
/**
 * The caller's master password hash.
 */
masterPasswordHash?: string, };

export type ProviderRoleRequest = { 
/**
 * Display name.
 */
name: string, 
/**
 * Names from the permission catalog; an unknown one is a 400 naming the catalog in
 * `validationErrors.permissions`.
 */
permissions: Array<Permission>, 
/**
 * `all` or `assigned` (the default). Text, like `permissions`: the domain reads it, so an
 * unknown word gets this field's refusal.
 */
scope?: ProviderScope, };

export type ProviderRoleCloneRequest = { 
/**
 * The copy's name.
 */
name: string, };

export type ProviderClientCreateRequest = { 
/**
 * Organization name.
 */
name: string, 
/**
 * The client's own owner to invite (`clientOwnerEmail` is Bitwarden's name).
 */
ownerEmail?: string, 
/**
 * PlanType (17–20: Teams or Enterprise, monthly or annually).
 */
planType: number, 
/**
 * Seats.
 */
seats?: number, 
/**
 * The org key wrapped with the provider key (type-2 EncString).
 */
key: string, 
/**
 * The org's key pair (private key under the org key).
 */
keyPair: OrganizationKeysRequest, 
/**
 * First collection's name, encrypted with the org key.
 */
collectionName?: string, 
/**
 * Billing contact (defaults to the provider's).
 */
billingEmail?: string, 
/**
 * Website.
 */
website?: string, 
/**
 * Region.
 */
region?: string, 
/**
 * Notes.
 */
notes?: string, };

export type ProviderClientLinkRequest = { 
/**
 * The organization.
 */
organizationId: string, 
/**
 * Its org key wrapped with the provider key (type 2).
 */
key: string, 
/**
 * The caller's master password hash.
 */
masterPasswordHash?: string, };

export type ProviderClientUpdateRequest = { 
/**
 * Organization name.
 */
name?: string, 
/**
 * Website.
 */
website?: string, 
/**
 * Region.
 */
region?: string, 
/**
 * Notes.
 */
notes?: string, 
/**
 * Seats (`assignedSeats` is Bitwarden's name).
 */
seats?: number, };

export type ProviderClientMembersRequest = { 
/**
 * Provider member ids; the whole new set.
 */
memberIds: Array<string>, };

export type ProviderEventsQuery = { 
/**
 * Keep the events of this provider member (done to them or by them).
 */
member?: string, 
/**
 * Keep the events of this client (provider organization id).
 */
client?: string, 
/**
 * Keep one event type (a number).
 */
type?: string, 
/**
 * `json` (default) or `csv`.
 */
format?: string, 
/**
 * Oldest event to include (ISO 8601).
 */
start?: string, 
/**
 * Newest event to include (ISO 8601).
 */
end?: string, 
/**
 * `continuationToken` of the previous page.
 */
continuationToken?: string, };

export type ReportFormatQuery = { 
/**
 * `json` (default) or `csv`.
 */
format?: string, };

/** Every permission, in catalog order (`Permission::ALL`). */
export const PERMISSIONS: readonly Permission[] = [
  "view_clients",
  "add_or_link_client",
  "unlink_client",
  "launch_into_client",
  "edit_client_info",
  "manage_members",
  "manage_roles",
  "view_usage_and_billing",
  "manage_integrations",
  "view_events",
];

/** What each permission allows (`Permission::description`): help and labels. */
export const PERMISSION_DESCRIPTIONS: Readonly<Record<Permission, string>> = {
  view_clients: "See clients (list, details).",
  add_or_link_client: "Create client organizations and link existing ones.",
  unlink_client: "Unlink clients.",
  launch_into_client: "Launch into clients: act as an administrator inside a client organization.",
  edit_client_info: "Change a client's name, website, region, notes and seats.",
  manage_members: "Invite, confirm, change, assign, suspend and delete members.",
  manage_roles: "Create, change and delete custom roles.",
  view_usage_and_billing: "See the usage report.",
  manage_integrations: "Manage integrations (reserved: Keyfleet has none yet).",
  view_events: "See the provider event log.",
};
