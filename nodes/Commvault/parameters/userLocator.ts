import type { IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { DirectUserReference, UserReference } from '../commvault/users';
import { shownItem } from '../failures/errors';

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
	return new NodeOperationError(this.getNode(), `Item ${shownItem(itemIndex)}: ${message}`, { itemIndex, description });
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

/** Why a locator's value cannot be used: the error's message (after "Item N: ") and description. */
interface Refusal {
	message: string;
	description: string;
}

/** A value that is not one text or number, or is empty. */
function missingValue(raw: unknown, { noun, field }: Subject): Refusal | undefined {
	if (raw !== undefined && raw !== null && typeof raw !== 'string' && typeof raw !== 'number') {
		return {
			message: `the ${noun} is ${Array.isArray(raw) ? 'a list' : `of type ${typeof raw}`}, not a name or ID`,
			description: 'Map a single text or number field, e.g. {{ $json.username }}, not a whole object or list.',
		};
	}
	if (raw === undefined || raw === null) {
		return {
			message: `no ${noun} given`,
			description: `The ${field} field is empty or its expression resolved to nothing. Map a field that holds the Commvault ${noun} name or ID, e.g. {{ $json.username }}.`,
		};
	}
	if (String(raw).trim() !== '') return undefined;
	return {
		message: `the ${noun} is empty`,
		description: `The ${field} field is empty or only whitespace for this item. Check the incoming data or the expression.`,
	};
}

function idReference(value: string, { noun, field }: Subject): UserReference | Refusal {
	const id = Number(value);
	if (/^[0-9]+$/.test(value) && Number.isSafeInteger(id) && id > 0) return { mode: 'id', id };
	return {
		message: `"${value.slice(0, 40)}" is not a Commvault ${noun} ID`,
		description: `A ${noun} ID is a positive whole number such as 1251. To use a name, switch the ${field} field to "By Name".`,
	};
}

function badName(value: string, { noun }: Subject): Refusal | undefined {
	if (value.length > MAX_NAME_LENGTH) {
		return {
			message: `the ${noun} name is ${value.length} characters long`,
			description: `Commvault ${noun} names are at most ${MAX_NAME_LENGTH} characters. The expression probably maps the wrong field.`,
		};
	}
	if (!hasControlCharacter(value)) return undefined;
	return {
		message: `the ${noun} name contains control characters`,
		description: `Line breaks, tabs and other control characters cannot be part of a Commvault ${noun} name. Check the incoming data.`,
	};
}

function emailReference(value: string, { field }: Subject): UserReference | Refusal {
	if (EMAIL.test(value)) return { mode: 'email', email: value };
	return {
		message: `"${value.slice(0, 60)}" is not an email address`,
		description: `An email address looks like jdoe@example.com. To use a login name, switch the ${field} field to "By Name".`,
	};
}

/** The reference a locator's mode and value give, or why they give none. */
function parseReference(mode: string, raw: unknown, subject: Subject): UserReference | Refusal {
	const missing = missingValue(raw, subject);
	if (missing) return missing;
	const value = String(raw).trim();
	// "From List" stores the ID; an expression in that mode may also give a name.
	if (mode === 'id' || (mode === 'list' && /^[0-9]+$/.test(value))) return idReference(value, subject);
	const bad = badName(value, subject);
	if (bad) return bad;
	if (mode === 'email' && subject.noun === 'user') return emailReference(value, subject);
	return { mode: 'name', name: value };
}

/**
 * Reads and checks one resource-locator field for one item. Anything that is not a usable name, ID or
 * (for users) email fails here, so no request is ever sent for it.
 */
function readReference(this: IExecuteFunctions, itemIndex: number, parameter: string, subject: Subject): UserReference {
	const locator = this.getNodeParameter(parameter, itemIndex, undefined) as
		| INodeParameterResourceLocator
		| string
		| number
		| undefined;
	const mode = typeof locator === 'object' && locator !== null ? locator.mode : 'name';
	const raw = typeof locator === 'object' && locator !== null ? locator.value : locator;
	const parsed = parseReference(mode, raw, subject);
	if ('message' in parsed) throw invalid.call(this, itemIndex, parsed.message, parsed.description);
	return parsed;
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
