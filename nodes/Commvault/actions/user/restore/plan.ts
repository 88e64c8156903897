import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { ClientState, RoleAssociation, SubclientState } from '../../../commvault/ownership';
import {
	addOwnersRequest,
	addRoleRequest,
	enableClientBackupRequest,
	enableSubclientBackupRequest,
	isOwner,
	readClient,
	readSubclients,
	roleAssociationsOf,
	sameRole,
} from '../../../commvault/ownership';
import type { ChangeRequest, StepContext } from '../../../commvault/steps';
import { objects } from '../../../commvault/steps';
import type { CommvaultUser } from '../../../commvault/users';
import { simplifyUser } from '../../../commvault/users';
import { shownItem } from '../../../failures/errors';
import type { OffboardSnapshot } from '../offboard/snapshot';
import { SNAPSHOT_VERSION } from '../offboard/snapshot';

/*
 * What Restore must send to put a snapshot (docs/offboard-snapshot.md) back: only what is missing now,
 * so that a second Restore sends nothing.
 */

export const RESTORE_PARTS = ['owners', 'roles', 'backup', 'account'] as const;
export type RestorePart = (typeof RESTORE_PARTS)[number];
export type RestorePlan = Record<RestorePart, ChangeRequest[]>;

const objectOf = (value: unknown): IDataObject => (value && typeof value === 'object' && !Array.isArray(value) ? (value as IDataObject) : {});

function refuse(this: IExecuteFunctions, itemIndex: number, why: string): never {
	throw new NodeOperationError(this.getNode(), `Item ${shownItem(itemIndex)}: cannot restore from this snapshot: ${why}`, {
		itemIndex,
		description: 'Give Restore the "before" of an Offboard item run with Snapshot and Verify (docs/offboard-snapshot.md), as an object or its JSON text. Nothing was sent to Commvault.',
	});
}

/** The Snapshot field as an object (it may come as JSON text); refused, before anything is sent, when it is not version 1 of this user. */
export function readSnapshot(this: IExecuteFunctions, itemIndex: number, value: unknown, user: CommvaultUser): OffboardSnapshot {
	let parsed: unknown = value;
	if (typeof value === 'string') {
		try {
			parsed = JSON.parse(value);
		} catch {
			refuse.call(this, itemIndex, 'it is not JSON');
		}
	}
	const snapshot = objectOf(parsed);
	if (snapshot.snapshotVersion !== SNAPSHOT_VERSION) refuse.call(this, itemIndex, `its snapshotVersion is ${JSON.stringify(snapshot.snapshotVersion ?? null)}, not ${SNAPSHOT_VERSION}`);
	const owner = objectOf(snapshot.user);
	if (Number(owner.userId) !== user.id) refuse.call(this, itemIndex, `it is about user ID ${String(owner.userId)} ("${String(owner.userName)}"), not user "${user.name}" (ID ${user.id})`);
	return {
		snapshotVersion: SNAPSHOT_VERSION,
		takenAt: String(snapshot.takenAt ?? ''),
		user: { userId: user.id, userName: String(owner.userName ?? user.name) },
		accountEnabled: typeof snapshot.accountEnabled === 'boolean' ? snapshot.accountEnabled : null,
		clients: objects(snapshot.clients) as unknown as ClientState[],
		subclients: objects(snapshot.subclients) as unknown as SubclientState[],
		roles: objects(snapshot.roles) as unknown as RoleAssociation[],
	};
}

/** Owners and client backup: one read of each client in the snapshot. */
async function planClients(this: IExecuteFunctions, ctx: StepContext, user: CommvaultUser, snapshot: OffboardSnapshot, plan: RestorePlan) {
	for (const client of snapshot.clients) {
		const now = await readClient.call(this, ctx, Number(client.clientId));
		if (!isOwner(now.owners, user)) plan.owners.push(addOwnersRequest(now.clientId, now.owners, [{ userId: user.id, userName: user.name }]));
		if (client.backupEnabled === true && now.backupEnabled === false) plan.backup.push(enableClientBackupRequest(now.clientId));
	}
}

/** Subclient backup: one read per client of the snapshot's subclients. */
async function planSubclients(this: IExecuteFunctions, ctx: StepContext, snapshot: OffboardSnapshot, plan: RestorePlan) {
	const clientIds = [...new Set(snapshot.subclients.filter((s) => s.backupEnabled === true).map((s) => Number(s.clientId)))];
	for (const clientId of clientIds) {
		const now = await readSubclients.call(this, ctx, clientId);
		for (const subclient of now) {
			const wasOn = snapshot.subclients.some((s) => Number(s.subclientId) === subclient.subclientId && s.backupEnabled === true);
			if (wasOn && !subclient.backupEnabled) plan.backup.push(enableSubclientBackupRequest(subclient.subclientId));
		}
	}
}

/**
 * Reads what the user owns and holds now (`full`: the level-40 user) and returns, per part, the requests
 * that put back what the snapshot has and Commvault has not: owners added (not overwritten), roles added,
 * backup turned on again, the account enabled again when the snapshot says it was enabled.
 */
export async function planRestore(this: IExecuteFunctions, ctx: StepContext, full: CommvaultUser, snapshot: OffboardSnapshot): Promise<RestorePlan> {
	const plan: RestorePlan = { owners: [], roles: [], backup: [], account: [] };
	await planClients.call(this, ctx, full, snapshot, plan);
	await planSubclients.call(this, ctx, snapshot, plan);
	const held = roleAssociationsOf(full);
	for (const role of snapshot.roles) if (!held.some((now) => sameRole(now, role))) plan.roles.push(addRoleRequest(full, role));
	if (snapshot.accountEnabled === true && simplifyUser(full.raw).enabled === false) plan.account.push({ method: 'PUT', endpoint: `User/${full.id}/Enable` });
	return plan;
}
