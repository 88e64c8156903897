import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { nodeFailure, notFoundError } from '../failures/errors';
import { LAPTOP_NOT_FOUND, LAPTOP_OWNERS_UNKNOWN, NOT_CONFIRMED } from '../failures/reasons';
import { commvaultApiRequest } from '../transport';
import { planKeys, planOf } from './plan';
import { objects } from './steps';
import type { CommvaultUser } from './users';
import { simplifyUser } from './users';

/** A Commvault Endpoint laptop as `GET /V4/Laptop` lists it (PSv2 OpenAPI `LaptopsAdminConsole`). */
export interface Laptop {
	id: number;
	name: string;
	owners: Array<{ id: number; name: string }>;
	username?: string;
	email?: string;
	configured?: boolean;
	/** The entry as `GET /V4/Laptop` lists it. */
	raw: IDataObject;
}

function toLaptop(raw: IDataObject): Laptop {
	const owners = objects(raw.owners).map((owner) => ({ id: Number(owner.id), name: String(owner.name ?? '') }));
	const laptop: Laptop = { id: Number(raw.id), name: String(raw.name ?? ''), owners, raw };
	if (typeof raw.username === 'string') laptop.username = raw.username;
	if (typeof raw.email === 'string') laptop.email = raw.email;
	if (typeof raw.configured === 'boolean') laptop.configured = raw.configured;
	return laptop;
}

/**
 * Every laptop: `GET /V4/Laptop`, read once per execution (state/executionPlan.ts) and again after this
 * execution changed a laptop (`sendLaptopChange`). Its reply is documented as a bare array (PSv2 OpenAPI
 * L6714, `LaptopsList`), which the transport hands over as `response`; a `laptops` key is read as well.
 */
export async function listLaptops(this: IExecuteFunctions, itemIndex: number, subject?: string): Promise<Laptop[]> {
	return await planOf(this).once(planKeys.laptops, async () => {
		const response = await commvaultApiRequest.call(this, { method: 'GET', endpoint: 'V4/Laptop', itemIndex, subject });
		return [...objects(response.response), ...objects(response.laptops)].filter((raw) => Number(raw.id) > 0).map(toLaptop);
	});
}

/**
 * Sends a change to a laptop (Retire, Change Owner). Once it succeeded, the execution's laptop list is
 * revised as the change says (`revise`), so that a later item's guard sees the owners as they are now
 * without reading the list again; after a failure, which Commvault may have acted on, the next item
 * that needs the list reads it again.
 */
export async function sendLaptopChange(
	this: IExecuteFunctions,
	send: () => Promise<IDataObject>,
	revise: (laptops: Laptop[]) => Laptop[],
): Promise<IDataObject> {
	let sent = false;
	try {
		const response = await send();
		sent = true;
		return response;
	} finally {
		if (sent) planOf(this).revise(planKeys.laptops, revise);
		else planOf(this).forget(planKeys.laptops);
	}
}

/** The list after a laptop was retired: without it (a second Retire of it then finds no laptop). */
export const withoutLaptop = (id: number) => (laptops: Laptop[]) => laptops.filter((laptop) => laptop.id !== id);

/** The list after a laptop's owners were overwritten (`ownersOperationType: 1`, OVERWRITE): it has these only. */
export const withOwners = (id: number, owners: Laptop['owners']) => (laptops: Laptop[]) =>
	laptops.map((laptop) => (laptop.id === id ? { ...laptop, owners } : laptop));

/** Whether a laptop is the user's: an owner is the user (ID or name), or its user name or email is the user's. */
export function isLaptopOf(laptop: Laptop, user: CommvaultUser): boolean {
	const name = user.name.toLowerCase();
	const email = String(simplifyUser(user.raw).email ?? '').toLowerCase();
	return (
		laptop.owners.some((owner) => owner.id === user.id || owner.name.toLowerCase() === name) ||
		(laptop.username ?? '').toLowerCase() === name ||
		(email !== '' && (laptop.email ?? '').toLowerCase() === email)
	);
}

/**
 * Fails closed when `GET /V4/Laptop` answered without owners. Its reply `LaptopsList` is a oneOf of
 * `LaptopsListAdminConsole` (`{id, name, owners, username, email, …}`) and `LaptopsListWebConsole` (no
 * owners, user name or email), and which one comes back is not stated (PSv2 OpenAPI L31422-31426,
 * L31855-31880, L31393-31421). Without owners the node cannot tell whose laptop it is, nor check the
 * protected accounts, so it neither lists nor changes anything.
 */
function requireOwners(this: IExecuteFunctions, context: { itemIndex: number; subject: string }, laptops: Laptop[]): void {
	// The AdminConsole shape lists `owners` (possibly empty); the WebConsole shape has no such key.
	if (laptops.every((laptop) => Array.isArray(laptop.raw.owners))) return;
	throw nodeFailure(this.getNode(), context, {
		message: 'Commvault listed the laptops without their owners',
		description:
			'GET /V4/Laptop answered in its WebConsole form, which carries no owners, user name or email, so the node cannot tell whose laptop it is or check the protected accounts. Nothing was changed. The two documented forms of the reply are named after the Admin Console and the Web Console, so a Base URL ending in /commandcenter/api (not /webconsole/api) may answer with the owners; otherwise retire or hand over the laptop in Command Center.',
		reason: LAPTOP_OWNERS_UNKNOWN,
	});
}

/** The user's laptops (`GET /V4/Laptop`, matched by `isLaptopOf`); fails closed when the list carries no owners. */
export async function laptopsOf(this: IExecuteFunctions, itemIndex: number, user: CommvaultUser, subject: string): Promise<Laptop[]> {
	const laptops = await listLaptops.call(this, itemIndex, subject);
	requireOwners.call(this, { itemIndex, subject }, laptops);
	return laptops.filter((laptop) => isLaptopOf(laptop, user));
}

/** The laptop with this ID, from `GET /V4/Laptop`; fails the item when there is none, or when its owners are not listed. */
export async function findLaptop(this: IExecuteFunctions, itemIndex: number, id: number): Promise<Laptop> {
	const laptop = (await listLaptops.call(this, itemIndex, `laptop ID ${id}`)).find((entry) => entry.id === id);
	if (laptop) requireOwners.call(this, { itemIndex, subject: `laptop "${laptop.name}"` }, [laptop]);
	if (laptop) return laptop;
	throw notFoundError(
		this.getNode(),
		{ itemIndex, subject: `laptop ID ${id}` },
		'No laptop with this ID is listed by GET /V4/Laptop: it may have been retired already. Nothing was changed. Check the laptop ID (Laptop → Get Many returns it as "laptopId"), then run this item again.',
		{ reason: LAPTOP_NOT_FOUND },
	);
}

/**
 * Reads the laptop back after its owners were changed, and fails the item when its owners are not
 * exactly `owners`: Commvault answers `POST /Client/{id}` with `{response: [{errorCode: 0, entity}]}`
 * (api.commvault.com SP32 post-client-client-id), which does not say who owns it now.
 */
export async function confirmOwners(this: IExecuteFunctions, itemIndex: number, laptop: Laptop, owners: Array<{ id: number }>): Promise<void> {
	// A read-back reads Commvault, not the execution's copy of the list (which the change revised).
	planOf(this).forget(planKeys.laptops);
	const now = await findLaptop.call(this, itemIndex, laptop.id);
	const wanted = owners.map((owner) => owner.id).sort();
	const listed = now.owners.map((owner) => owner.id).sort();
	if (wanted.length === listed.length && wanted.every((id, i) => id === listed[i])) return;
	const shown = now.owners.map((owner) => `"${owner.name}" (ID ${owner.id})`).join(', ') || 'nobody';
	throw nodeFailure(this.getNode(), { itemIndex, subject: `laptop "${laptop.name}"` }, {
		message: `laptop "${laptop.name}" is owned by ${shown} after the change`,
		description: `Commvault answered POST /Client/${laptop.id} without an error, but GET /V4/Laptop does not list the new owner as the laptop's only owner. Check the laptop's owners in Command Center, then run this item again.`,
		reason: NOT_CONFIRMED,
	});
}
