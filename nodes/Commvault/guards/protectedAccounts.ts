import type { ICredentialDataDecryptedObject, IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { tokenFingerprint } from '../auth/session';
import type { Laptop } from '../commvault/laptops';
import type { CommvaultUser } from '../commvault/users';
import { resolveUser, simplifyUser } from '../commvault/users';
import { tokenOwner } from '../commvault/whoami';
import { shownItem } from '../failures/errors';
import { PROTECTED_ACCOUNT } from '../failures/reasons';
import type { ProtectionRules } from '../state/stores';
import { protectionRules, tokenUsers } from '../state/stores';

/** Commvault's built-in administrator: never offboarded, disabled or deleted by this node. */
const BUILT_IN_ADMIN = 'admin';

/** Why a user may not be changed, and what to change to allow it. */
export interface Protection {
	reason: string;
	/** Where the administrator changes it (a credential field), or why nobody should. */
	remedy: string;
}


/** One line or comma-separated entry each, compared case-insensitively as Commvault compares names. */
const entries = (value: unknown) =>
	String(value ?? '')
		.split(/[\n,]/)
		.map((entry) => entry.trim().toLowerCase())
		.filter((entry) => entry !== '');

/**
 * The user an access token acts as: known from its check at login or renewal (state/stores.ts
 * `tokenUsers`); only a process that has not checked it yet asks WhoAmI, once, and keeps the answer.
 */
async function tokenUser(this: IExecuteFunctions, credentials: ICredentialDataDecryptedObject): Promise<string | undefined> {
	const fingerprint = tokenFingerprint(credentials.baseUrl, credentials.accessToken);
	const known = tokenUsers.get(fingerprint);
	if (known) return known;
	const owner = await tokenOwner.call(this);
	if (owner) tokenUsers.set(fingerprint, owner);
	return owner;
}

/**
 * The account a username-and-password credential acts as: a domain user is `domain\\username`, the name
 * Commvault gives domain users (PSv2 OpenAPI CreateUser.name L17772; cvpysdk `add()`) and the Login
 * reply's `userName` (api.commvault.com SP32 AuthenticationOperations/login). A username that already
 * names its domain (`acme\\erin`), or an AD user's email, is taken as it is.
 */
export function loginAccount(username: unknown, domain: unknown): string {
	const user = String(username ?? '').trim();
	const realm = String(domain ?? '').trim();
	return (realm && !user.includes('\\') && !user.includes('@') ? `${realm}\\${user}` : user).toLowerCase();
}

async function readRules(this: IExecuteFunctions): Promise<ProtectionRules> {
	const credentials = await this.getCredentials('commvaultApi');
	const ownUser =
		credentials.authMethod === 'password' ? loginAccount(credentials.username, credentials.domain) : await tokenUser.call(this, credentials);
	return { users: new Set(entries(credentials.protectedUsers)), groups: new Set(entries(credentials.protectedUserGroups)), ownUser };
}

function rulesFor(context: IExecuteFunctions): Promise<ProtectionRules> {
	let rules = protectionRules.get(context);
	if (!rules) {
		rules = readRules.call(context);
		// A failed read (e.g. WhoAmI refused) is not kept: the next item tries again and reports it.
		rules.catch(() => protectionRules.delete(context));
		protectionRules.set(context, rules);
	}
	return rules;
}

/** The names a user can be listed under: ID, user name, email and UPN, lower-case. */
function identifiersOf(user: CommvaultUser): string[] {
	const { email, userPrincipalName } = simplifyUser(user.raw);
	return [String(user.id), user.name, email, userPrincipalName]
		.filter((value): value is string => typeof value === 'string' && value !== '')
		.map((value) => value.toLowerCase());
}

/**
 * The user's AD groups as `DOMAIN\\Group`: level 40's `associatedExternalUserGroups`
 * (https://api.commvault.com/docs/SP38/api/cv/UserOperations/get-user-properties), whose
 * `externalGroupName` cvpysdk reads (`security/user.py` L886-887) and prints after `providerDomainName\\`
 * (`security/security_association.py` L228-234).
 */
function externalGroupsOf(raw: IDataObject): string[] {
	const groups = Array.isArray(raw.associatedExternalUserGroups) ? (raw.associatedExternalUserGroups as IDataObject[]) : [];
	return groups
		.filter((group) => !!group && typeof group.externalGroupName === 'string' && group.externalGroupName !== '')
		.map((group) => (group.providerDomainName ? `${String(group.providerDomainName)}\\${String(group.externalGroupName)}` : String(group.externalGroupName)));
}

/** The user's groups, Commvault's and AD's, read with the full user only when the credential lists protected groups. */
async function groupsOf(this: IExecuteFunctions, itemIndex: number, user: CommvaultUser): Promise<string[]> {
	const full = user.full ? user : await resolveUser.call(this, itemIndex, { mode: 'id', id: user.id }, { full: true, shared: true });
	const groups = simplifyUser(full.raw).userGroups;
	return [...(Array.isArray(groups) ? groups.map((group) => String(group)) : []), ...externalGroupsOf(full.raw)];
}

/** Why this node must not change `user`, or undefined. Sends at most WhoAmI and a `GET /User/{id}`. */
export async function protectionOf(this: IExecuteFunctions, itemIndex: number, user: CommvaultUser): Promise<Protection | undefined> {
	const rules = await rulesFor(this);
	const ids = identifiersOf(user);
	if (user.name.toLowerCase() === BUILT_IN_ADMIN) {
		return { reason: `"${user.name}" is Commvault's built-in administrator`, remedy: 'This node never changes it.' };
	}
	if (rules.ownUser && ids.includes(rules.ownUser)) {
		return {
			reason: `"${user.name}" is the user this workflow's Commvault credential acts as`,
			remedy: 'Changing it would cut off the integration itself. Use a credential of another user to change this one.',
		};
	}
	const listed = ids.find((id) => rules.users.has(id));
	if (listed) {
		return { reason: `"${listed}" is listed under Protected Users`, remedy: 'Remove it from "Protected Users" in the Commvault credential to allow this.' };
	}
	if (rules.groups.size === 0) return undefined;
	const group = (await groupsOf.call(this, itemIndex, user)).find((name) => rules.groups.has(name.toLowerCase()));
	if (!group) return undefined;
	return {
		reason: `"${user.name}" is a member of the user group "${group}", listed under Protected User Groups`,
		remedy: 'Remove the group from "Protected User Groups" in the Commvault credential, or the user from the group, to allow this.',
	};
}

/** Fails the item, before anything is sent that changes Commvault, when `user` is protected. */
export async function refuseProtected(this: IExecuteFunctions, itemIndex: number, user: CommvaultUser, verb: string): Promise<void> {
	const protection = await protectionOf.call(this, itemIndex, user);
	if (!protection) return;
	const error = new NodeOperationError(this.getNode(), `Item ${shownItem(itemIndex)}: will not ${verb} user "${user.name}": ${protection.reason}`, {
		itemIndex,
		description: `${protection.remedy} Nothing was sent to Commvault.`,
	});
	error.errorResponse = { reason: PROTECTED_ACCOUNT, subject: `user "${user.name}"` };
	throw error;
}

/**
 * Refuses the change, before anything is sent that changes Commvault, when a current owner of the
 * laptop is a protected account. The laptop lists its owners by ID and name only (`IdName`), so each is
 * looked up (`GET /User/{id}?level=10`) and compared by name, email, UPN and ID, as users are.
 */
export async function refuseProtectedOwners(this: IExecuteFunctions, itemIndex: number, laptop: Laptop, verb: string): Promise<void> {
	for (const owner of laptop.owners) {
		const user = await resolveUser.call(this, itemIndex, { mode: 'id', id: owner.id });
		await refuseProtected.call(this, itemIndex, user, verb);
	}
}
