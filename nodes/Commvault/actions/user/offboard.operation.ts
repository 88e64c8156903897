import type { IDataObject, IExecuteFunctions, IHttpRequestMethods, INodeProperties } from 'n8n-workflow';
import { NodeApiError, updateDisplayOptions } from 'n8n-workflow';

import { batchLimitError, optionsWithBatchLimit } from '../../helpers/batchLimit';
import { userLocator } from '../../descriptions/user.locator';
import type { CommvaultUser } from '../../helpers/lookup';
import { resolveUser, simplifyUser, userMissingOr } from '../../helpers/lookup';
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

interface PlannedRequest {
	method: IHttpRequestMethods;
	endpoint: string;
	body?: IDataObject;
}

function dryRunReport(found: CommvaultUser, requests: PlannedRequest[], disableAfterwards: boolean): IDataObject {
	const user = simplifyUser(found.raw);
	const who = `user "${found.name}" (ID ${found.id})`;
	const disabling = !disableAfterwards
		? ''
		: user.enabled === false
			? ', then disable the account (it is already disabled)'
			: ', then disable the account';
	return {
		dryRun: true,
		userFound: true,
		enabled: user.enabled,
		wouldDisable: disableAfterwards,
		requests: requests.map((request) => ({ ...request })),
		user,
		summary: `Would offboard ${who}${disabling}. Nothing was changed in Commvault.`,
	};
}

function disableFailedAfterOffboard(error: unknown): unknown {
	if (error instanceof NodeApiError) {
		error.description = `The user was offboarded; only disabling the account afterwards failed. ${error.description ?? ''}`.trim();
	}
	return error;
}

/**
 * `POST /User/Offboard`, then optionally `PUT /User/{id}/Disable`. The user is looked up first
 * (`GET /User…`) only when an ID is needed: by email, to disable afterwards, or for a dry run,
 * which sends nothing else.
 */
/** More users to offboard than Max Users per Run: the whole run is refused before anything is sent. */
export function checkBatch(this: IExecuteFunctions, itemCount: number) {
	return batchLimitError.call(this, itemCount, 'offboard');
}

export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const user = readUserReference.call(this, itemIndex);
	const options = this.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const disableAfterwards = options.disableAfterwards === true;
	const dryRun = options.dryRun === true;
	const subject = describeUser(user);

	let found: CommvaultUser | undefined;
	let direct: DirectUserReference;
	if (user.mode === 'email') {
		found = await resolveUser.call(this, itemIndex, user);
		direct = { mode: 'id', id: found.id };
	} else {
		direct = user;
		if (disableAfterwards || dryRun) found = await resolveUser.call(this, itemIndex, user);
	}
	const offboard: PlannedRequest = { method: 'POST', endpoint: 'User/Offboard', body: userBody(direct) };
	const disable: PlannedRequest | undefined =
		found && disableAfterwards ? { method: 'PUT', endpoint: `User/${found.id}/Disable` } : undefined;

	if (dryRun && found) return dryRunReport(found, disable ? [offboard, disable] : [offboard], disableAfterwards);

	let response: IDataObject;
	try {
		response = await commvaultApiRequest.call(this, { ...offboard, itemIndex, subject });
	} catch (error) {
		// A user already looked up exists, so the refusal is about something else.
		throw found ? error : await userMissingOr.call(this, itemIndex, user, error);
	}
	const result: IDataObject = found ? { userId: found.id, userName: found.name } : userBody(direct);
	result.errorCode = response.errorCode ?? 0;
	result.errorMessage = response.errorMessage ?? '';
	if (!disable) return result;

	try {
		await commvaultApiRequest.call(this, { ...disable, itemIndex, subject });
	} catch (error) {
		throw disableFailedAfterOffboard(error);
	}
	return { ...result, disabled: true };
}
