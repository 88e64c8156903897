import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ChangeRequest, StepContext } from '../../commvault/steps';
import type { CommvaultUser } from '../../commvault/users';
import { describeUser, resolveUser, simplifyUser, userBody } from '../../commvault/users';
import { alsoDoOption } from '../../descriptions/alsoDo.description';
import { optionsWithBatchLimit } from '../../descriptions/batchLimit.description';
import { userLocator } from '../../descriptions/user.locator';
import { batchLimitError } from '../../guards/batchLimit';
import { protectionOf, refuseProtected } from '../../guards/protectedAccounts';
import { auditTrail } from '../../output/audit';
import { nameOf, outcome } from '../../output/outcome';
import { commvaultApiRequest } from '../../transport';
import { findItemUser } from '../itemUser';
import type { AlsoStep } from './offboard/alsoSteps';
import { doneSteps, readAlsoSteps, runAlsoSteps, stepsFailedError } from './offboard/alsoSteps';
import { readImpact } from './offboard/impact';
import type { NewOwner } from './offboard/handOver';
import { handOver, handOverOptions, resolveNewOwner } from './offboard/handOver';
import { takeSnapshot, verifyOffboard } from './offboard/snapshot';

const properties: INodeProperties[] = [
	{
		...userLocator,
		description:
			'The user whose subclients and VM clients are offboarded: Commvault removes them as owner, disables backup and removes their role',
	},
	optionsWithBatchLimit([
		alsoDoOption,
		...handOverOptions,
		{
			displayName: 'Disable User Afterwards',
			name: 'disableAfterwards',
			type: 'boolean',
			default: false,
			description:
				'Whether to also disable the account once the offboard succeeded (PUT /User/{ID}/Disable), so that the leaver can no longer log in. The same as "Disable Account" under "Also".',
		},
		{
			displayName: 'Snapshot and Verify',
			name: 'snapshot',
			type: 'boolean',
			default: false,
			description:
				'Whether to read what the offboard will change before sending it (the output\'s "before": clients owned, subclients with backup on, role associations, account enabled; User → Restore puts it back) and to read it again afterwards ("verification"): the item fails when Commvault said it succeeded but the user still holds something. Costs GET requests per user: see docs/offboard-snapshot.md.',
		},
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description:
				'Whether to only report what would happen, changing nothing in Commvault: the subclients and clients the user holds a role on, their user groups, sessions, access tokens and laptops, each "Also" step and the exact requests. Only GETs are sent.',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['offboard'] } },
	properties,
);

/**
 * The dry run's report: the user, what the offboard and each "Also" step would touch (see
 * `offboard/impact.ts`) and the exact requests that would be sent. Only GETs are sent.
 */
async function dryRunReport(
	this: IExecuteFunctions,
	itemIndex: number,
	found: CommvaultUser,
	offboard: ChangeRequest,
	{ also, withSnapshot }: { also: AlsoStep[]; withSnapshot: boolean },
): Promise<IDataObject> {
	const full = await resolveUser.call(this, itemIndex, { mode: 'id', id: found.id }, { full: true });
	const user = simplifyUser(found.raw);
	const who = `user "${found.name}" (ID ${found.id})`;
	const plan = await readImpact.call(this, { itemIndex, subject: `user "${found.name}"` }, full, also);
	const then = plan.then.length > 0 ? `, then ${plan.then.join(', ')}` : '';
	const report: IDataObject = {
		dryRun: true,
		enabled: user.enabled,
		wouldDisable: also.includes('disableAccount'),
		requests: [offboard, ...plan.requests].map((request) => ({ ...request })),
		user,
		impact: plan.impact,
		alsoSteps: plan.alsoSteps,
	};
	if (withSnapshot) report.before = await takeSnapshot.call(this, { itemIndex, subject: `user "${found.name}"` }, full);
	const protection = await protectionOf.call(this, itemIndex, full);
	if (!protection) {
		const message = `Would offboard ${who}, who holds a role on ${plan.touches}${then}. Nothing was changed in Commvault.`;
		return outcome('wouldOffboard', found, message, report);
	}
	const message = `Would refuse to offboard ${who}: ${protection.reason}. Nothing was changed in Commvault.`;
	return outcome('wouldRefuse', found, message, { ...report, wouldRefuse: { reason: protection.reason, remedy: protection.remedy } });
}

/** What an Offboard that succeeded says, with the "Also" steps it did. */
function offboardedMessage(found: CommvaultUser, done: string[], verification?: IDataObject): string {
	const also = done.length > 0 ? ` Also done: ${done.join(', ')}.` : '';
	if (verification?.status === 'nothingToRemove') {
		return `Offboarded ${nameOf(found)}: they owned nothing to remove (already offboarded); the read-back confirms it.${also}`;
	}
	const checked = verification ? '; the read-back confirms it' : '';
	return `Offboarded ${nameOf(found)}: Commvault removed them as owner of their subclients and VM clients, disabled their backup and removed their role${checked}.${also}`;
}

/** More users to offboard than Max Users per Run: the whole run is refused before anything is sent. */
export function checkBatch(this: IExecuteFunctions, itemCount: number) {
	return batchLimitError.call(this, itemCount, 'offboard');
}

/** Whether the options ask for a snapshot: Snapshot and Verify, or a hand-over (which needs the clients). */
const wantsSnapshot = (options: IDataObject) =>
	options.snapshot === true || String(options.handOverToUser ?? '').trim() !== '' || String(options.handOverToUserGroup ?? '').trim() !== '';

/**
 * The offboard itself, with what the options add around it: `before` read first, the read-back after
 * (`verification`), then the hand-over to the new owner. Returns the item's fields and the requests sent.
 * `options` are the item's, as execute read them (each parameter read is n8n's parameter resolution).
 */
async function offboardChecked(this: IExecuteFunctions, ctx: StepContext, found: CommvaultUser, offboard: ChangeRequest, options: IDataObject, newOwner?: NewOwner) {
	const before = wantsSnapshot(options) ? await takeSnapshot.call(this, ctx, found) : undefined;
	// Offboard is a POST that is safe to repeat: it removes what the user still owns, so a second call
	// changes nothing (README, "Retries and rate limits", the "Safe to repeat?" table).
	const response = await commvaultApiRequest.call(this, { ...offboard, ...ctx, idempotent: true });
	if (!before) return { fields: {} as IDataObject, requests: [offboard], response };
	const verification = await verifyOffboard.call(this, ctx, found, before, response);
	if (!newOwner) return { fields: { before, verification } as IDataObject, requests: [offboard], response };
	const handed = await handOver.call(this, ctx, before, newOwner, options.keepBackupsRunning !== false);
	return { fields: { before, verification, handedOver: handed.handedOver } as IDataObject, requests: [offboard, ...handed.requests], response };
}

/**
 * `POST /User/Offboard`, then the "Also" steps chosen (see `offboard/alsoSteps.ts`), in their fixed
 * order. The user is always looked up first (`GET /User…`), so that a protected account is refused
 * before anything is sent, and so is a new owner that does not exist; a dry run sends nothing else.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const also = readAlsoSteps(options);
	const withSnapshot = wantsSnapshot(options);
	const { reference: user, found } = await findItemUser.call(this, itemIndex, { full: withSnapshot && options.dryRun !== true });
	const ctx = { itemIndex, subject: describeUser(user) };
	// The user the look-up found and the guards check, by ID: "You can use the userName parameter or the
	// userId parameter" (2024e Offboard page); how Commvault matches a name is undocumented.
	const offboard: ChangeRequest = { method: 'POST', endpoint: 'User/Offboard', body: userBody({ mode: 'id', id: found.id }) };

	if (options.dryRun === true) return await dryRunReport.call(this, itemIndex, found, offboard, { also, withSnapshot });
	await refuseProtected.call(this, itemIndex, found, 'offboard');
	const newOwner = await resolveNewOwner.call(this, itemIndex, options, found);
	const { fields: checked, requests, response } = await offboardChecked.call(this, ctx, found, offboard, options, newOwner);
	const verification = checked.verification as IDataObject | undefined;
	if (also.length === 0) return outcome('offboarded', found, offboardedMessage(found, [], verification), { ...checked, ...auditTrail(...requests) }, response);

	const outcomeOfSteps = await runAlsoSteps.call(this, ctx, found, also);
	if (outcomeOfSteps.failures.length > 0) throw stepsFailedError(outcomeOfSteps);
	// "Disable User Afterwards" alone keeps the output it always had; the Also option adds the steps.
	const steps = Array.isArray(options.alsoDo) && options.alsoDo.length > 0 ? { steps: outcomeOfSteps.steps } : {};
	const fields = { ...outcomeOfSteps.changed, ...steps, ...checked, ...auditTrail(...requests, ...outcomeOfSteps.requests) };
	return outcome('offboarded', found, offboardedMessage(found, doneSteps(outcomeOfSteps), verification), fields, response);
}
