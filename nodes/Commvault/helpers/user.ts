import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/** A user as the node sends it to Commvault: by name or by ID. */
export type DirectUserReference = { mode: 'name'; name: string } | { mode: 'id'; id: number };

/** A user as the User field gives it. An email must be resolved to an ID first (see `lookup.ts`). */
export type UserReference = DirectUserReference | { mode: 'email'; email: string };

/** Longer than any user name Commvault or Active Directory allows; stops pasted documents at the door. */
const MAX_NAME_LENGTH = 256;

/** One address: no spaces, one @, a dot in the domain. Commvault compares it case-insensitively. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function hasControlCharacter(value: string): boolean {
	for (let i = 0; i < value.length; i++) {
		const code = value.charCodeAt(i);
		if (code < 32 || code === 127) return true;
	}
	return false;
}

function invalid(this: IExecuteFunctions, itemIndex: number, message: string, description: string) {
	return new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${message}`, { itemIndex, description });
}

/** What a locator field picks: a user (the User field, a new owner) or a user group (a new owner). */
interface Subject {
	noun: 'user' | 'user group';
	/** The field's label, for descriptions that say where to look. */
	field: string;
}

const USER: Subject = { noun: 'user', field: 'User' };

export function isLocatorEmpty(this: IExecuteFunctions, itemIndex: number, parameter: string): boolean {
	const locator = this.getNodeParameter(parameter, itemIndex, undefined) as INodeParameterResourceLocator | string | number | undefined;
	const raw = typeof locator === 'object' && locator !== null ? locator.value : locator;
	return raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '');
}

/**
 * Reads and checks one resource-locator field for one item. Anything that is not a usable name, ID or
 * (for users) email fails here, so no request is ever sent for it.
 */
function readReference(
	this: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	{ noun, field }: Subject,
): UserReference {
	const locator = this.getNodeParameter(parameter, itemIndex, undefined) as
		| INodeParameterResourceLocator
		| string
		| number
		| undefined;
	const mode = typeof locator === 'object' && locator !== null ? locator.mode : 'name';
	const raw = typeof locator === 'object' && locator !== null ? locator.value : locator;

	if (raw !== undefined && raw !== null && typeof raw !== 'string' && typeof raw !== 'number') {
		throw invalid.call(
			this,
			itemIndex,
			`the ${noun} is ${Array.isArray(raw) ? 'a list' : `of type ${typeof raw}`}, not a name or ID`,
			'Map a single text or number field, e.g. {{ $json.username }}, not a whole object or list.',
		);
	}
	if (raw === undefined || raw === null) {
		throw invalid.call(
			this,
			itemIndex,
			`no ${noun} given`,
			`The ${field} field is empty or its expression resolved to nothing. Map a field that holds the Commvault ${noun} name or ID, e.g. {{ $json.username }}.`,
		);
	}
	const value = String(raw).trim();
	if (value === '') {
		throw invalid.call(
			this,
			itemIndex,
			`the ${noun} is empty`,
			`The ${field} field is empty or only whitespace for this item. Check the incoming data or the expression.`,
		);
	}

	// "From List" stores the ID; an expression in that mode may also give a name.
	if (mode === 'id' || (mode === 'list' && /^[0-9]+$/.test(value))) {
		const id = Number(value);
		if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(id) || id <= 0) {
			throw invalid.call(
				this,
				itemIndex,
				`"${value.slice(0, 40)}" is not a Commvault ${noun} ID`,
				`A ${noun} ID is a positive whole number such as 1251. To use a name, switch the ${field} field to "By Name".`,
			);
		}
		return { mode: 'id', id };
	}

	if (value.length > MAX_NAME_LENGTH) {
		throw invalid.call(
			this,
			itemIndex,
			`the ${noun} name is ${value.length} characters long`,
			`Commvault ${noun} names are at most ${MAX_NAME_LENGTH} characters. The expression probably maps the wrong field.`,
		);
	}
	if (hasControlCharacter(value)) {
		throw invalid.call(
			this,
			itemIndex,
			`the ${noun} name contains control characters`,
			`Line breaks, tabs and other control characters cannot be part of a Commvault ${noun} name. Check the incoming data.`,
		);
	}
	if (mode === 'email' && noun === 'user') {
		if (!EMAIL.test(value)) {
			throw invalid.call(
				this,
				itemIndex,
				`"${value.slice(0, 60)}" is not an email address`,
				`An email address looks like jdoe@example.com. To use a login name, switch the ${field} field to "By Name".`,
			);
		}
		return { mode: 'email', email: value };
	}
	return { mode: 'name', name: value };
}

/** The `user` locator (or another user locator, e.g. a new owner) for one item. */
export function readUserReference(this: IExecuteFunctions, itemIndex: number, parameter = 'user'): UserReference {
	return readReference.call(this, itemIndex, parameter, USER);
}

/** A user-group locator for one item, by name or ID. */
export function readUserGroupReference(
	this: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	field: string,
): DirectUserReference {
	return readReference.call(this, itemIndex, parameter, { noun: 'user group', field }) as DirectUserReference;
}

/** How an error names the user, e.g. `user "jdoe"`, `user ID 1251` or `user with email "jdoe@example.com"`. */
export function describeUser(user: UserReference): string {
	if (user.mode === 'id') return `user ID ${user.id}`;
	if (user.mode === 'email') return `user with email "${user.email}"`;
	return `user "${user.name}"`;
}

/** The request body fields Commvault's user endpoints take for this reference. */
export function userBody(user: DirectUserReference): IDataObject {
	return user.mode === 'id' ? { userId: user.id } : { userName: user.name };
}
