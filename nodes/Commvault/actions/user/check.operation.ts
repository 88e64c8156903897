import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { listAccessTokens } from '../../commvault/accessTokens';
import { laptopsOf } from '../../commvault/laptops';
import { listSessions } from '../../commvault/sessions';
import { describeUser } from '../../commvault/users';
import { userLocator } from '../../descriptions/user.locator';
import { capitalized, count, nameOf, outcome } from '../../output/outcome';
import { findItemUser } from '../itemUser';
import { takeSnapshot } from './offboard/snapshot';

const properties: INodeProperties[] = [
	{ ...userLocator, description: 'The user to check, e.g. someone who left: what do they still own or hold?' },
];

export const description = updateDisplayOptions({ show: { resource: ['user'], operation: ['check'] } }, properties);

/** A list for the report; when Commvault refuses to list a kind, the report says so for that kind instead of failing. */
async function tryList(read: () => Promise<IDataObject[]>): Promise<IDataObject[] | IDataObject> {
	try {
		return await read();
	} catch (error) {
		return { unavailable: error instanceof Error ? error.message : String(error) };
	}
}

const KINDS = ['clients', 'subclients', 'roles', 'sessions', 'accessTokens', 'laptops'] as const;
const NOUNS: Record<(typeof KINDS)[number], [noun: string, after: string]> = {
	clients: ['owned client', ''],
	subclients: ['subclient', ' with backup on'],
	roles: ['role association', ''],
	sessions: ['session', ''],
	accessTokens: ['access token', ''],
	laptops: ['laptop', ''],
};

/**
 * Read-only: what the user still owns and holds. Clients owned, their subclients with backup on, role
 * associations and whether the account is enabled come from the same reads as Offboard's snapshot
 * (docs/offboard-snapshot.md); sessions (`GET /Session?userId=`), access tokens (`GET /V4/AccessToken/?userId=`)
 * and laptops (`GET /V4/Laptop`) from their own lists. Only GETs are sent.
 */
export async function execute(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const { reference, found } = await findItemUser.call(this, itemIndex, { full: true });
	const ctx = { itemIndex, subject: describeUser(reference) };
	const snapshot = await takeSnapshot.call(this, ctx, found);
	const holds: IDataObject = {
		accountEnabled: snapshot.accountEnabled,
		clients: snapshot.clients,
		subclients: snapshot.subclients,
		roles: snapshot.roles,
		sessions: await tryList(async () => await listSessions.call(this, ctx, found)),
		accessTokens: await tryList(async () => await listAccessTokens.call(this, ctx, found)),
		laptops: await tryList(async () => (await laptopsOf.call(this, itemIndex, found, ctx.subject)).map((l) => ({ id: l.id, name: l.name }))),
	};
	const held = KINDS.filter((kind) => Array.isArray(holds[kind]) && (holds[kind] as unknown[]).length > 0);
	const unavailable = KINDS.filter((kind) => !Array.isArray(holds[kind]));
	const parts = [...held.map((kind) => `${count((holds[kind] as unknown[]).length, NOUNS[kind][0])}${NOUNS[kind][1]}`), ...(snapshot.accountEnabled === true ? ['an enabled account'] : [])];
	const holdsAnything = parts.length > 0;
	const what = holdsAnything ? `still holds ${parts.join(', ')}` : 'holds nothing';
	const notListed = unavailable.length ? ` Commvault did not list: ${unavailable.join(', ')}.` : '';
	return outcome('checked', found, `${capitalized(nameOf(found))} ${what}.${notListed}`, { holdsAnything, holds });
}
