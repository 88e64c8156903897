import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { logOffSessions } from '../../commvault/sessions';
import type { CommvaultUser } from '../../commvault/users';
import { optionsWithBatchLimit } from '../../descriptions/batchLimit.description';
import { userLocator } from '../../descriptions/user.locator';
import { batchLimitError } from '../../guards/batchLimit';
import { capitalized, count, nameOf } from '../../output/outcome';
import { changeUserWith } from './userStep';

const properties: INodeProperties[] = [
	{ ...userLocator, description: 'The user whose sessions in Commvault (Command Center, CommCell Console, command line) are ended' },
	optionsWithBatchLimit(),
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['logOffSessions'] } }, properties);

/** More users to log off than Max Users per Run: the whole run is refused before anything is sent. */
export function checkBatch(this: IExecuteFunctions, itemCount: number) {
	return batchLimitError.call(this, itemCount, 'log off');
}

function loggedOffMessage(user: CommvaultUser, changed: IDataObject): string {
	const ended = (changed.sessionsEnded as string[]).length;
	return ended === 0 ? `${capitalized(nameOf(user))} had no session to log off.` : `Logged off ${count(ended, 'session')} of ${nameOf(user)}.`;
}

/** `GET /Session?userId=`, then `DELETE /Sessions` with those sessions (see `commvault/sessions.ts`). */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	return await changeUserWith.call(this, itemIndex, { verb: 'log off', status: 'loggedOff', message: loggedOffMessage }, logOffSessions);
}
