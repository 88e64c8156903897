import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { ExecutionBaseError, NodeOperationError } from 'n8n-workflow';

import type { OwnerRef } from '../../../commvault/ownership';
import { addOwnersRequest, enableClientBackupRequest, enableSubclientBackupRequest, isOwner, readClient, readSubclients } from '../../../commvault/ownership';
import type { ChangeRequest, StepContext } from '../../../commvault/steps';
import { queryUserGroups } from '../../../commvault/userGroups';
import type { CommvaultUser } from '../../../commvault/users';
import { resolveUser } from '../../../commvault/users';
import { notFoundError, shownItem } from '../../../failures/errors';
import { commvaultApiRequest } from '../../../transport';
import type { OffboardSnapshot } from './snapshot';

/*
 * Offboard → Hand Over To: after the offboard, a user or a user group becomes owner of the leaver's
 * clients (added to the owners, as Restore adds them), optionally with their backups turned on again.
 * Built from the same pieces as Restore (commvault/ownership.ts).
 */

export const handOverOptions: INodeProperties[] = [
	{
		displayName: 'Hand Over To User',
		name: 'handOverToUser',
		type: 'string',
		default: '',
		placeholder: 'e.g. mmanager',
		description: 'Name of the user who becomes owner of the leaver\'s clients after the offboard (e.g. their manager). Checked before anything is sent; turns on Snapshot and Verify.',
	},
	{
		displayName: 'Hand Over To User Group',
		name: 'handOverToUserGroup',
		type: 'string',
		default: '',
		placeholder: 'e.g. Helpdesk',
		description: 'Name of the user group that becomes owner of the leaver\'s clients after the offboard. Checked before anything is sent; turns on Snapshot and Verify.',
	},
	{
		displayName: 'Keep Backups Running',
		name: 'keepBackupsRunning',
		type: 'boolean',
		default: true,
		description: 'Whether, when handing over, to turn backup on again on the subclients and VM clients the offboard disabled, so the new owner\'s data stays protected',
	},
];

export type NewOwner = { owner: OwnerRef; label: string };

/** The new owner named in the options, resolved before anything is sent; undefined when none is named. */
export async function resolveNewOwner(this: IExecuteFunctions, itemIndex: number, options: IDataObject, leaver: CommvaultUser): Promise<NewOwner | undefined> {
	const userName = String(options.handOverToUser ?? '').trim();
	const groupName = String(options.handOverToUserGroup ?? '').trim();
	if (!userName && !groupName) return undefined;
	const refuse = (why: string) => new NodeOperationError(this.getNode(), `Item ${shownItem(itemIndex)}: cannot hand over: ${why}`, { itemIndex, description: 'Nothing was sent to Commvault.' });
	if (userName && groupName) throw refuse('name either a user or a user group, not both');
	if (userName) {
		const user = await resolveUser.call(this, itemIndex, { mode: 'name', name: userName });
		if (user.id === leaver.id) throw refuse(`the new owner is the leaver "${leaver.name}"`);
		return { owner: { userId: user.id, userName: user.name }, label: `user "${user.name}"` };
	}
	const subject = `user group "${groupName}"`;
	const group = (await queryUserGroups.call(this, { itemIndex, subject })).find((g) => g.name.toLowerCase() === groupName.toLowerCase());
	if (!group) throw notFoundError(this.getNode(), { itemIndex, subject }, 'Check the name under Hand Over To User Group (GET /UserGroup lists them). Nothing was sent to Commvault.');
	return { owner: { userGroupId: group.id, userGroupName: group.name }, label: subject };
}

/** What the hand-over sends: the new owner added to each client of `before`, and backup on again when asked. */
async function planHandOver(this: IExecuteFunctions, ctx: StepContext, before: OffboardSnapshot, to: NewOwner, keepBackups: boolean): Promise<ChangeRequest[]> {
	const requests: ChangeRequest[] = [];
	for (const client of before.clients) {
		const now = await readClient.call(this, ctx, client.clientId);
		const owns = to.owner.userId !== undefined ? isOwner(now.owners, { id: to.owner.userId, name: to.owner.userName ?? '' }) : now.owners.some((o) => o.userGroupId === to.owner.userGroupId);
		if (!owns) requests.push(addOwnersRequest(now.clientId, now.owners, [to.owner]));
		if (keepBackups && client.backupEnabled === true && now.backupEnabled === false) requests.push(enableClientBackupRequest(now.clientId));
	}
	if (!keepBackups) return requests;
	for (const clientId of [...new Set(before.subclients.map((s) => s.clientId))]) {
		for (const now of await readSubclients.call(this, ctx, clientId)) {
			if (!now.backupEnabled && before.subclients.some((s) => s.subclientId === now.subclientId)) requests.push(enableSubclientBackupRequest(now.subclientId));
		}
	}
	return requests;
}

/** The item's error when the hand-over failed: it says the offboard went through, and `details.steps.handOver`. */
function handOverFailed(error: unknown, to: NewOwner): unknown {
	if (!(error instanceof ExecutionBaseError)) return error;
	error.description = `The user was offboarded; only handing over to ${to.label} failed. ${error.description ?? ''}`.trim();
	error.errorResponse = { ...(error.errorResponse ?? {}), steps: { handOver: { status: 'failed', reason: error.message } } as JsonObject };
	return error;
}

/**
 * Hands the leaver's clients over after the offboard. A failure says that the offboard went through
 * (`details.steps.handOver`), so the item is `partlyDone`.
 */
export async function handOver(this: IExecuteFunctions, ctx: StepContext, before: OffboardSnapshot, to: NewOwner, keepBackups: boolean) {
	const requests = await planHandOver.call(this, ctx, before, to, keepBackups);
	const replies: IDataObject[] = [];
	try {
		for (const request of requests) replies.push(await commvaultApiRequest.call(this, { ...request, itemIndex: ctx.itemIndex, subject: ctx.subject }));
	} catch (error) {
		throw handOverFailed(error, to);
	}
	const handedOver: IDataObject = { to: { ...to.owner }, clients: before.clients.map((c) => ({ clientId: c.clientId, clientName: c.clientName })), backupsKeptRunning: keepBackups };
	return { handedOver, requests, replies };
}
