import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import type { ChangeRequest } from '../../helpers/audit';
import { auditTrail } from '../../helpers/audit';
import { batchLimitError, optionsWithBatchLimit } from '../../helpers/batchLimit';
import { userLocator } from '../../descriptions/user.locator';
import type { CommvaultUser } from '../../helpers/lookup';
import { resolveUser, simplifyUser } from '../../helpers/lookup';
import type { Protection } from '../../helpers/protectedAccounts';
import { protectionOf, refuseProtected } from '../../helpers/protectedAccounts';
import type { DirectUserReference } from '../../helpers/user';
import { describeUser, readUserReference, userBody } from '../../helpers/user';
import { commvaultApiRequest } from '../../transport';

const properties: INodeProperties[] = [
	{
		...userLocator,
		description:
			'The user whose subclients and VM clients are offboarded: Commvault removes them as owner, disables backup and removes their role',
	},
	optionsWithBatchLimit([
		{
			displayName: 'Disable User Afterwards',
			name: 'disableAfterwards',
			type: 'boolean',
			default: false,
			description:
				'Whether to also disable the account once the offboard succeeded (PUT /User/{ID}/Disable), so that the leaver can no longer log in',
		},
		{
			displayName: 'Dry Run',
			name: 'dryRun',
			type: 'boolean',
			default: false,
			description:
				'Whether to only look the user up and report what would be sent, changing nothing in Commvault',
		},
	]),
];

export const description = updateDisplayOptions(
	{ show: { resource: ['user'], operation: ['offboard'] } },
	properties,
);

function dryRunReport(found: CommvaultUser, requests: ChangeRequest[], disableAfterwards: boolean, protection?: Protection): IDataObject {
	const user = simplifyUser(found.raw);
	const who = `user "${found.name}" (ID ${found.id})`;
	const disabling = !disableAfterwards
		? ''
		: user.enabled === false
			? ', then disable the account (it is already disabled)'
			: ', then disable the account';
	const report: IDataObject = {
		dryRun: true,
		userFound: true,
		enabled: user.enabled,
		wouldDisable: disableAfterwards,
		requests: requests.map((request) => ({ ...request })),
		user,
		summary: `Would offboard ${who}${disabling}. Nothing was changed in Commvault.`,
	};
	if (!protection) return report;
	return {
		...report,
		wouldRefuse: { reason: protection.reason, remedy: protection.remedy },
		summary: `Would refuse to offboard ${who}: ${protection.reason}. Nothing was changed in Commvault.`,
	};
}

function disableFailedAfterOffboard(error: unknown): unknown {
	if (error instanceof NodeApiError) {
		error.description = `The user was offboarded; only disabling the account afterwards failed. ${error.description ?? ''}`.trim();
	}
	return error;
}

/** More users to offboard than Max Users per Run: the whole run is refused before anything is sent. */
export function checkBatch(this: IExecuteFunctions, itemCount: number) {
	return batchLimitError.call(this, itemCount, 'offboard');
}

/**
 * `POST /User/Offboard`, then optionally `PUT /User/{id}/Disable`. The user is always looked up
 * first (`GET /User…`), so that a protected account is refused before anything is sent; a dry run
 * sends nothing else.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const user = readUserReference.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const disableAfterwards = options.disableAfterwards === true;
	const subject = describeUser(user);

	const found = await resolveUser.call(this, itemIndex, user);
	const direct: DirectUserReference = user.mode === 'email' ? { mode: 'id', id: found.id } : user;
	const offboard: ChangeRequest = { method: 'POST', endpoint: 'User/Offboard', body: userBody(direct) };
	const disable: ChangeRequest | undefined = disableAfterwards ? { method: 'PUT', endpoint: `User/${found.id}/Disable` } : undefined;

	if (options.dryRun === true) {
		const requests = disable ? [offboard, disable] : [offboard];
		return dryRunReport(found, requests, disableAfterwards, await protectionOf.call(this, itemIndex, found));
	}
	await refuseProtected.call(this, itemIndex, found, 'offboard');

	// Offboard is a POST that is safe to repeat: it removes what the user still owns, so a second call
	// changes nothing (README, "Retries and rate limits", the "Safe to repeat?" table).
	const response = await commvaultApiRequest.call(this, { ...offboard, itemIndex, subject, idempotent: true });
	const result: IDataObject = {
		userId: found.id,
		userName: found.name,
		errorCode: response.errorCode ?? 0,
		errorMessage: response.errorMessage ?? '',
	};
	if (!disable) return { ...result, ...auditTrail(offboard) };

	try {
		await commvaultApiRequest.call(this, { ...disable, itemIndex, subject });
	} catch (error) {
		throw disableFailedAfterOffboard(error);
	}
	return { ...result, disabled: true, ...auditTrail(offboard, disable) };
}
