import type { IDataObject, IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { ClientState, RoleAssociation, SubclientState } from '../../../commvault/ownership';
import { isOwner, readClient, readSubclients, roleAssociationsOf } from '../../../commvault/ownership';
import type { StepContext } from '../../../commvault/steps';
import type { CommvaultUser } from '../../../commvault/users';
import { resolveUser, simplifyUser } from '../../../commvault/users';
import { shownItem } from '../../../failures/errors';
import { STILL_HELD } from '../../../failures/reasons';
import { count, nameOf } from '../../../output/outcome';

/*
 * Offboard's `before` (what this offboard will change) and `verification` (what is still held after
 * Commvault said it succeeded). The JSON is documented in docs/offboard-snapshot.md.
 */

export const SNAPSHOT_VERSION = 1;

/** The snapshot: plain JSON, so that a workflow can store it and give it to User → Restore. */
export type OffboardSnapshot = {
	snapshotVersion: number;
	takenAt: string;
	user: { userId: number; userName: string };
	accountEnabled: boolean | null;
	clients: ClientState[];
	subclients: SubclientState[];
	roles: RoleAssociation[];
};

/** What is still held of a snapshot: owned clients, subclients with backup on, roles on owned clients. */
export type StillHeld = { clients: Array<{ clientId: number; clientName: string }>; subclients: SubclientState[]; roles: RoleAssociation[] };

const unique = (ids: number[]) => [...new Set(ids.filter((id) => Number.isInteger(id) && id > 0))];
const user = (found: CommvaultUser) => ({ id: found.id, name: found.name });

/**
 * Reads `before` from the level-40 user: its role associations name the clients to read; each client
 * whose owners include the user is kept with its whole owner list, and its subclients whose backup is on.
 */
export async function takeSnapshot(this: IExecuteFunctions, ctx: StepContext, full: CommvaultUser): Promise<OffboardSnapshot> {
	const roles = roleAssociationsOf(full);
	const clients: ClientState[] = [];
	const subclients: SubclientState[] = [];
	for (const clientId of unique(roles.map((role) => Number(role.entity.clientId)))) {
		const client = await readClient.call(this, ctx, clientId);
		if (!isOwner(client.owners, user(full))) continue;
		clients.push(client);
		subclients.push(...(await readSubclients.call(this, ctx, clientId)).filter((subclient) => subclient.backupEnabled));
	}
	const enabled = simplifyUser(full.raw).enabled;
	return {
		snapshotVersion: SNAPSHOT_VERSION,
		takenAt: new Date().toISOString(),
		user: { userId: full.id, userName: full.name },
		accountEnabled: typeof enabled === 'boolean' ? enabled : null,
		clients,
		subclients,
		roles,
	};
}

/** Reads again what the snapshot holds, and returns what the user still owns or holds of it. */
export async function stillHeldOf(this: IExecuteFunctions, ctx: StepContext, found: CommvaultUser, before: OffboardSnapshot): Promise<StillHeld> {
	const held: StillHeld = { clients: [], subclients: [], roles: [] };
	for (const client of before.clients) {
		const now = await readClient.call(this, ctx, client.clientId);
		if (isOwner(now.owners, user(found))) held.clients.push({ clientId: client.clientId, clientName: client.clientName });
	}
	for (const clientId of unique(before.subclients.map((subclient) => subclient.clientId))) {
		const enabled = (await readSubclients.call(this, ctx, clientId)).filter((subclient) => subclient.backupEnabled);
		held.subclients.push(...enabled.filter((subclient) => before.subclients.some((was) => was.subclientId === subclient.subclientId)));
	}
	const full = await resolveUser.call(this, ctx.itemIndex, { mode: 'id', id: found.id }, { full: true });
	const owned = new Set(before.clients.map((client) => client.clientId));
	held.roles = roleAssociationsOf(full).filter((role) => owned.has(Number(role.entity.clientId)));
	return held;
}

/** What is left, in words: "2 clients (LT-JDOE-01, vm-jdoe-dev01), 1 subclient with backup on". */
function describeHeld(held: StillHeld): string {
	const parts: string[] = [];
	if (held.clients.length) parts.push(`owner of ${count(held.clients.length, 'client')} (${held.clients.map((c) => c.clientName).join(', ')})`);
	if (held.subclients.length) parts.push(`${count(held.subclients.length, 'subclient')} with backup on (${held.subclients.map((s) => `${s.clientName}/${s.subclientName}`).join(', ')})`);
	if (held.roles.length) parts.push(`${count(held.roles.length, 'role association')} on those clients`);
	return parts.join(', ');
}

/**
 * The read-back after a successful offboard: `removed`, `nothingToRemove` (already offboarded), or an
 * error that names what is left when Commvault said it succeeded but the user still holds something.
 */
export async function verifyOffboard(this: IExecuteFunctions, ctx: StepContext, found: CommvaultUser, before: OffboardSnapshot, reply: IDataObject): Promise<IDataObject> {
	const stillHeld = await stillHeldOf.call(this, ctx, found, before);
	const removed = { clients: before.clients.length, subclients: before.subclients.length, roles: before.roles.filter((r) => before.clients.some((c) => c.clientId === Number(r.entity.clientId))).length };
	const left = stillHeld.clients.length + stillHeld.subclients.length + stillHeld.roles.length;
	if (left === 0) {
		const status = removed.clients + removed.subclients + removed.roles === 0 ? 'nothingToRemove' : 'removed';
		return { status, stillHeld, removed };
	}
	const verification = { status: 'stillHeld', stillHeld, removed };
	const message = `Commvault said it offboarded ${nameOf(found)}, but the read-back finds them still ${describeHeld(stillHeld)}`;
	const details = { message, subject: ctx.subject, reason: STILL_HELD, raw: { reply, before, verification } } as unknown as JsonObject;
	const error = new NodeApiError(this.getNode(), details, {
		message,
		description: `Item ${shownItem(ctx.itemIndex)}, ${ctx.subject}: Commvault answered success to POST /User/Offboard, yet GET /Client, GET /Subclient and GET /User?level=40 still show what is listed in raw.verification.stillHeld. Nothing else was sent. Check those clients in the Command Center (a legal hold, a plan or a second owner entry can keep them), then run this item again: Offboard changes only what is left.`,
		itemIndex: ctx.itemIndex,
	});
	error.message = message;
	throw error;
}
