import type { IDataObject, IExecuteFunctions, INodeProperties, JsonObject } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import type { ChangeRequest } from '../../commvault/steps';
import type { CommvaultUser } from '../../commvault/users';
import { describeUser } from '../../commvault/users';
import { optionsWithBatchLimit } from '../../descriptions/batchLimit.description';
import { userLocator } from '../../descriptions/user.locator';
import { shownItem } from '../../failures/errors';
import { batchLimitError } from '../../guards/batchLimit';
import { protectionOf, refuseProtected } from '../../guards/protectedAccounts';
import { auditTrail } from '../../output/audit';
import { count, nameOf, outcome } from '../../output/outcome';
import { commvaultApiRequest } from '../../transport';
import { findItemUser } from '../itemUser';
import type { RestorePart, RestorePlan } from './restore/plan';
import { planRestore, readSnapshot, RESTORE_PARTS } from './restore/plan';

const properties: INodeProperties[] = [
	{ ...userLocator, description: 'The user to put back what an offboard removed' },
	{
		displayName: 'Snapshot',
		name: 'snapshot',
		type: 'json',
		default: '={{ JSON.stringify($json.before) }}',
		required: true,
		description:
			'What the offboard removed: the "before" of an Offboard item run with Snapshot and Verify, or one a workflow stored (docs/offboard-snapshot.md). Only what is missing now is sent.',
	},
	optionsWithBatchLimit([
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description: 'Whether to only report what would be put back and the exact requests, changing nothing in Commvault. Only GETs are sent.',
		},
	]),
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['restore'] } }, properties);

/** More users to restore than Max Users per Run: the whole run is refused before anything is sent. */
export function checkBatch(this: IExecuteFunctions, itemCount: number) {
	return batchLimitError.call(this, itemCount, 'restore');
}

const PART_WORDS: Record<RestorePart, string> = { owners: 'client owner', roles: 'role association', backup: 'backup', account: 'account' };
const sentence = (plan: RestorePlan) =>
	RESTORE_PARTS.filter((part) => plan[part].length > 0)
		.map((part) => (part === 'account' ? 'the account enabled' : part === 'backup' ? `${count(plan.backup.length, 'backup')} turned on` : count(plan[part].length, PART_WORDS[part])))
		.join(', ');
const requestsOf = (plan: RestorePlan) => RESTORE_PARTS.flatMap((part) => plan[part]);

/** The Dry Run's item: what would be put back and the exact requests, or the protection that refuses it. */
async function dryRunItem(this: IExecuteFunctions, itemIndex: number, found: CommvaultUser, plan: RestorePlan): Promise<IDataObject> {
	const requests = requestsOf(plan).map((request) => ({ ...request }));
	const protection = await protectionOf.call(this, itemIndex, found);
	if (protection) return outcome('wouldRefuse', found, `Would refuse to restore ${nameOf(found)}: ${protection.reason}. Nothing was changed in Commvault.`, { dryRun: true, requests });
	const what = requests.length ? `would put back ${sentence(plan)}` : 'has nothing to put back';
	return outcome('wouldRestore', found, `Restore of ${nameOf(found)} ${what}. Nothing was changed in Commvault.`, { dryRun: true, requests });
}

/** Sends each part's requests; a part that fails does not stop the others. */
async function sendParts(this: IExecuteFunctions, itemIndex: number, subject: string, plan: RestorePlan) {
	const parts: IDataObject = {};
	const sent: ChangeRequest[] = [];
	const replies: IDataObject[] = [];
	const failures: Array<{ part: RestorePart; error: unknown }> = [];
	for (const part of RESTORE_PARTS) {
		parts[part] = plan[part].length ? 'done' : 'nothingToDo';
		for (const request of plan[part]) {
			try {
				replies.push(await commvaultApiRequest.call(this, { ...request, itemIndex, subject }));
				sent.push(request);
			} catch (error) {
				parts[part] = { status: 'failed', reason: error instanceof Error ? error.message : String(error) };
				failures.push({ part, error });
				break;
			}
		}
	}
	return { parts, sent, replies, failures };
}

/** A part failed, or the read-back still misses something: the item fails and says what was done (status partlyDone). */
function partlyRestored(this: IExecuteFunctions, itemIndex: number, found: CommvaultUser, parts: IDataObject, why: string) {
	const done = RESTORE_PARTS.filter((part) => parts[part] === 'done').join(', ') || 'nothing';
	const error = new NodeOperationError(this.getNode(), `Item ${shownItem(itemIndex)}: restore of ${nameOf(found)} incomplete: ${why}`, {
		itemIndex,
		description: `Done: ${done}. details.steps shows each part. Run this item again: Restore sends only what is still missing.`,
	});
	error.errorResponse = { steps: parts as JsonObject, subject: `user "${found.name}"` };
	return error;
}

/**
 * Puts a snapshot back: reads the user (level 40) and each client and subclient of the snapshot, sends
 * only what is missing (owners added, roles via POST /Security, backup on, account enabled), then reads
 * again: the item succeeds only when nothing is missing any more. A protected account is refused first.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const { reference, found } = await findItemUser.call(this, itemIndex, { full: true });
	const ctx = { itemIndex, subject: describeUser(reference) };
	const snapshot = readSnapshot.call(this, itemIndex, this.getNodeParameter('snapshot', itemIndex), found);
	if (options.dryRun !== true) await refuseProtected.call(this, itemIndex, found, 'restore');
	const plan = await planRestore.call(this, ctx, found, snapshot);
	if (options.dryRun === true) return await dryRunItem.call(this, itemIndex, found, plan);
	if (requestsOf(plan).length === 0) {
		const parts = Object.fromEntries(RESTORE_PARTS.map((part) => [part, 'nothingToDo']));
		return outcome('restored', found, `Nothing to restore for ${nameOf(found)}: Commvault already has everything the snapshot holds.`, { parts, requests: [] });
	}
	const { parts, sent, replies, failures } = await sendParts.call(this, itemIndex, ctx.subject, plan);
	if (failures.length) throw partlyRestored.call(this, itemIndex, found, parts, failures.map((f) => `${f.part}: ${parts[f.part] && (parts[f.part] as IDataObject).reason}`).join('; '));
	const again = await planRestore.call(this, ctx, (await findItemUser.call(this, itemIndex, { full: true })).found, snapshot);
	if (requestsOf(again).length) throw partlyRestored.call(this, itemIndex, found, parts, `Commvault answered success, but the read-back still misses ${sentence(again)}`);
	return outcome('restored', found, `Restored ${nameOf(found)}: ${sentence(plan)}; the read-back confirms it.`, { parts, ...auditTrail(...sent) }, replies);
}
