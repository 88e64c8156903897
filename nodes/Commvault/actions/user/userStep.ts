import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { StepContext, StepResult } from '../../commvault/steps';
import type { CommvaultUser } from '../../commvault/users';
import { describeUser } from '../../commvault/users';
import { refuseProtected } from '../../guards/protectedAccounts';
import { auditTrail } from '../../output/audit';
import type { SuccessStatus } from '../../output/outcome';
import { outcome } from '../../output/outcome';
import { findItemUser } from '../itemUser';

/** How an operation built from a step refuses a protected account, its status and its item's message. */
export interface StepOperation {
	verb: string;
	status: SuccessStatus;
	message: (user: CommvaultUser, changed: IDataObject) => string;
	full?: boolean;
}

/**
 * One user operation built from a step: reads the User field, looks the user up (`full`: at level 40),
 * refuses a protected account before anything is sent, runs the step and returns what it changed with
 * the audit trail; `raw` holds Commvault's replies to the requests that changed something.
 */
export async function changeUserWith(
	this: IExecuteFunctions,
	itemIndex: number,
	how: StepOperation,
	step: (this: IExecuteFunctions, context: StepContext, user: CommvaultUser) => Promise<StepResult>,
): Promise<IDataObject> {
	const { reference, found } = await findItemUser.call(this, itemIndex, { full: how.full === true });
	await refuseProtected.call(this, itemIndex, found, how.verb);
	const { changed, requests, replies } = await step.call(this, { itemIndex, subject: describeUser(reference) }, found);
	return outcome(how.status, found, how.message(found, changed), { ...changed, ...auditTrail(...requests) }, replies);
}
