import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import type { ChangeRequest, StepContext } from '../../commvault/steps';
import type { CommvaultUser } from '../../commvault/users';
import { describeUser, resolveUser, simplifyUser, userBody } from '../../commvault/users';
import { alsoDoOption } from '../../descriptions/alsoDo.description';
import { optionsWithBatchLimit } from '../../descriptions/batchLimit.description';
import { userLocator } from '../../descriptions/user.locator';
import { batchLimitError } from '../../guards/batchLimit';
import type { Protection } from '../../guards/protectedAccounts';
import { protectionOf, refuseProtected } from '../../guards/protectedAccounts';
import { credentialIsAccessToken, refuseTokenRevocationWithToken, TOKEN_REVOCATION_REFUSAL } from '../../guards/tokenCredential';
import { auditTrail, requestLines } from '../../output/audit';
import { nameOf, outcome } from '../../output/outcome';
import { commvaultApiRequest } from '../../transport';
import { readUserReference } from '../../parameters/userLocator';
import { findItemUser, noteUserReference } from '../itemUser';
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
			// On when added: whoever adds this option wants a preview, not the real offboard.
			default: true,
			description:
				'Whether to only report what would happen, changing nothing in Commvault: the subclients and clients the user holds a role on, their user groups, sessions, access tokens and laptops, each "Also" step and the requests it would send. Only GETs are sent. Commvault may still refuse the real run (e.g. a legal hold or a running job): only Commvault decides that when it runs.',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['offboard'] } },
	properties,
);

/**
 * What a preview cannot see: whether Commvault refuses the offboard is decided by Commvault when it runs.
 * Its documentation names errorCode 2 only as "a failure" (rest_api_post_offboard_user), so the examples
 * are what a preview cannot check, not a documented list.
 */
const PREVIEW_LIMITS =
	'Checked: the user exists, is not a protected account, and what they hold. Commvault may still refuse the real offboard (e.g. a legal hold or a running job): only Commvault decides that when it runs.';

/** Also → Revoke Access Tokens with an access-token credential: what the preview says the real run refuses. */
async function tokenRevocationRefusal(this: IExecuteFunctions, also: AlsoStep[]): Promise<Protection | undefined> {
	if (!also.includes('revokeAccessTokens') || !(await credentialIsAccessToken.call(this))) return undefined;
	return {
		reason: `Also → Revoke Access Tokens needs a username-and-password credential: ${TOKEN_REVOCATION_REFUSAL.reason}`,
		remedy: `${TOKEN_REVOCATION_REFUSAL.remedy} Or remove Revoke Access Tokens from Also.`,
	};
}

/**
 * Also → Revoke Access Tokens with an access-token credential: the item is refused before the look-up,
 * so nothing at all is sent (the offboard must not happen and then leave the tokens), as User → Revoke
 * Access Tokens does (guards/tokenCredential.ts).
 */
async function refuseRevocationWithToken(this: IExecuteFunctions, itemIndex: number, also: AlsoStep[]): Promise<void> {
	if (!also.includes('revokeAccessTokens')) return;
	const reference = readUserReference.call(this, itemIndex);
	noteUserReference.call(this, itemIndex, reference);
	const subject = describeUser(reference);
	const message = `will not offboard ${subject}: Also → Revoke Access Tokens needs a username-and-password credential, not an access token`;
	await refuseTokenRevocationWithToken.call(this, itemIndex, subject, { message, alternative: 'Or remove Revoke Access Tokens from Also.' });
}

/**
 * The dry run's report: the user, what the offboard and each "Also" step would touch (see
 * `offboard/impact.ts`) and the requests that would be sent, in the audit trail's shape. Only GETs are sent.
 */
async function dryRunReport(
	this: IExecuteFunctions,
	itemIndex: number,
	found: CommvaultUser,
	offboard: ChangeRequest,
	{ also, withSnapshot }: { also: AlsoStep[]; withSnapshot: boolean },
): Promise<IDataObject> {
	const full = await resolveUser.call(this, itemIndex, { mode: 'id', id: found.id }, { full: true, shared: true });
	const user = simplifyUser(found.raw);
	const who = `user "${found.name}" (ID ${found.id})`;
	const plan = await readImpact.call(this, { itemIndex, subject: `user "${found.name}"` }, full, also);
	const then = plan.then.length > 0 ? `, then ${plan.then.join(', ')}` : '';
	const report: IDataObject = {
		dryRun: true,
		enabled: user.enabled,
		wouldDisable: also.includes('disableAccount'),
		requests: requestLines(offboard, ...plan.requests),
		user,
		impact: plan.impact,
		alsoSteps: plan.alsoSteps,
	};
	if (withSnapshot) report.before = await takeSnapshot.call(this, { itemIndex, subject: `user "${found.name}"` }, full);
	const protection = (await protectionOf.call(this, itemIndex, full)) ?? (await tokenRevocationRefusal.call(this, also));
	if (!protection) {
		const message = `Would offboard ${who}, who holds a role on ${plan.touches}${then}. Nothing was changed in Commvault. ${PREVIEW_LIMITS}`;
		return outcome('wouldOffboard', found, message, report);
	}
	const message = `Would refuse to offboard ${who}: ${protection.reason}. Nothing was changed in Commvault.`;
	return outcome('wouldRefuse', found, message, { ...report, wouldRefuse: { reason: protection.reason, remedy: protection.remedy } });
}

/**
 * What an Offboard that succeeded says, with the "Also" steps it did. Commvault's reply is the same whether or not
 * anything was left ("Successfully offboarded user <id>", rest_api_post_offboard_user): without the read-back
 * (Snapshot and Verify) the message claims no removal, so that a second Offboard of a leaver does not read as work.
 */
function offboardedMessage(found: CommvaultUser, done: string[], verification?: IDataObject): string {
	const also = done.length > 0 ? ` Also done: ${done.join(', ')}.` : '';
	if (verification?.status === 'nothingToRemove') {
		return `Offboarded ${nameOf(found)}: they owned nothing to remove (already offboarded); the read-back confirms it.${also}`;
	}
	if (verification) {
		return `Offboarded ${nameOf(found)}: Commvault removed them as owner of their subclients and VM clients, disabled their backup and removed their role; the read-back confirms it.${also}`;
	}
	return `Offboarded ${nameOf(found)}: Commvault confirmed the offboard, which removes the user as owner of the subclients and VM clients they still own, disables those backups and removes their role. Its reply does not say whether anything was left to remove (after an earlier offboard, nothing is).${also}`;
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
 * `POST /User/Offboard` with the checked user's `userId`, then the "Also" steps chosen (see
 * `offboard/alsoSteps.ts`), in their fixed order. The user is always looked up first (`GET /User…`), so
 * that a protected account is refused before anything is sent, and so is a new owner that does not exist;
 * a dry run sends nothing else. Also → Revoke Access Tokens with an access-token credential is refused
 * before the look-up; a dry run says it would be refused.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const also = readAlsoSteps(options);
	const withSnapshot = wantsSnapshot(options);
	if (options.dryRun !== true) await refuseRevocationWithToken.call(this, itemIndex, also);
	const { reference: user, found } = await findItemUser.call(this, itemIndex, { full: withSnapshot && options.dryRun !== true });
	const ctx = { itemIndex, subject: describeUser(user) };
	// The user that was looked up and checked, by its ID: how Commvault matches a name (case,
	// `company/user` against `company\user`) is undocumented, and Offboard takes either ("You can use
	// the userName parameter or the userId parameter", the 2024e Offboard page).
	const offboard: ChangeRequest = { method: 'POST', endpoint: 'User/Offboard', body: userBody({ mode: 'id', id: found.id }) };

	if (options.dryRun === true) return await dryRunReport.call(this, itemIndex, found, offboard, { also, withSnapshot });
	await refuseProtected.call(this, itemIndex, found, 'offboard');
	const newOwner = await resolveNewOwner.call(this, itemIndex, options, found);
	const { fields: checked, requests, response } = await offboardChecked.call(this, ctx, found, offboard, options, newOwner);
	const verification = checked.verification as IDataObject | undefined;
	if (also.length === 0) return outcome('offboarded', found, offboardedMessage(found, [], verification), { ...checked, ...auditTrail(...requests) }, response);

	const outcomeOfSteps = await runAlsoSteps.call(this, ctx, found, also);
	if (outcomeOfSteps.failures.length > 0) throw stepsFailedError(outcomeOfSteps);
	const fields = { ...outcomeOfSteps.changed, steps: outcomeOfSteps.steps, ...checked, ...auditTrail(...requests, ...outcomeOfSteps.requests) };
	return outcome('offboarded', found, offboardedMessage(found, doneSteps(outcomeOfSteps), verification), fields, response);
}
