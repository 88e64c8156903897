import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { notFoundError } from '../failures/errors';
import { LAPTOP_NOT_FOUND } from '../failures/reasons';
import { commvaultApiRequest } from '../transport';
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

const objects = (value: unknown): IDataObject[] =>
	Array.isArray(value) ? value.filter((entry): entry is IDataObject => !!entry && typeof entry === 'object' && !Array.isArray(entry)) : [];

function toLaptop(raw: IDataObject): Laptop {
	const owners = objects(raw.owners).map((owner) => ({ id: Number(owner.id), name: String(owner.name ?? '') }));
	const laptop: Laptop = { id: Number(raw.id), name: String(raw.name ?? ''), owners, raw };
	if (typeof raw.username === 'string') laptop.username = raw.username;
	if (typeof raw.email === 'string') laptop.email = raw.email;
	if (typeof raw.configured === 'boolean') laptop.configured = raw.configured;
	return laptop;
}

/**
 * Every laptop: `GET /V4/Laptop`. Its reply is documented as a bare array (PSv2 OpenAPI L6714,
 * `LaptopsList`), which the transport hands over as `response`; a `laptops` key is read as well.
 */
export async function listLaptops(this: IExecuteFunctions, itemIndex: number, subject?: string): Promise<Laptop[]> {
	const response = await commvaultApiRequest.call(this, { method: 'GET', endpoint: 'V4/Laptop', itemIndex, subject });
	return [...objects(response.response), ...objects(response.laptops)].filter((raw) => Number(raw.id) > 0).map(toLaptop);
}

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

/** The user's laptops (`GET /V4/Laptop`, matched by `isLaptopOf`). */
export async function laptopsOf(this: IExecuteFunctions, itemIndex: number, user: CommvaultUser, subject?: string): Promise<Laptop[]> {
	return (await listLaptops.call(this, itemIndex, subject)).filter((laptop) => isLaptopOf(laptop, user));
}

/** The laptop with this ID, from `GET /V4/Laptop`; fails the item when there is none. */
export async function findLaptop(this: IExecuteFunctions, itemIndex: number, id: number): Promise<Laptop> {
	const laptop = (await listLaptops.call(this, itemIndex, `laptop ID ${id}`)).find((entry) => entry.id === id);
	if (laptop) return laptop;
	throw notFoundError(
		this.getNode(),
		{ itemIndex, subject: `laptop ID ${id}` },
		'No laptop with this ID is listed by GET /V4/Laptop: it may have been retired already. Nothing was changed. Check the laptop ID (Laptop → Get Many returns it as "laptopId"), then run this item again.',
		{ reason: LAPTOP_NOT_FOUND },
	);
}
