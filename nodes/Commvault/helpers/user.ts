import type { IDataObject, IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export type UserReference = { mode: 'name'; name: string } | { mode: 'id'; id: number };

/** Longer than any user name Commvault or Active Directory allows; stops pasted documents at the door. */
const MAX_NAME_LENGTH = 256;

function hasControlCharacter(value: string): boolean {
	for (let i = 0; i < value.length; i++) {
		const code = value.charCodeAt(i);
		if (code < 32 || code === 127) return true;
	}
	return false;
}

function invalid(this: IExecuteFunctions, itemIndex: number, message: string, description: string) {
	return new NodeOperationError(this.getNode(), `Item ${itemIndex}: ${message}`, { itemIndex, description });
}

/**
 * Reads and checks the `user` locator for one item. Anything that is not a usable user fails here,
 * so no request is ever sent for it.
 */
export function readUserReference(this: IExecuteFunctions, itemIndex: number): UserReference {
	const locator = this.getNodeParameter('user', itemIndex, undefined) as
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
			`the user is ${Array.isArray(raw) ? 'a list' : `of type ${typeof raw}`}, not a name or ID`,
			'Map a single text or number field, e.g. {{ $json.username }}, not a whole object or list.',
		);
	}
	if (raw === undefined || raw === null) {
		throw invalid.call(
			this,
			itemIndex,
			'no user given',
			'The User field is empty or its expression resolved to nothing. Map a field that holds the Commvault user name or ID, e.g. {{ $json.username }}.',
		);
	}
	const value = String(raw).trim();
	if (value === '') {
		throw invalid.call(
			this,
			itemIndex,
			'the user is empty',
			'The User field is empty or only whitespace for this item. Check the incoming data or the expression.',
		);
	}

	if (mode === 'id') {
		const id = Number(value);
		if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(id) || id <= 0) {
			throw invalid.call(
				this,
				itemIndex,
				`"${value.slice(0, 40)}" is not a Commvault user ID`,
				'A user ID is a positive whole number such as 1251. To use a name, switch the User field to "By Name".',
			);
		}
		return { mode: 'id', id };
	}

	if (value.length > MAX_NAME_LENGTH) {
		throw invalid.call(
			this,
			itemIndex,
			`the user name is ${value.length} characters long`,
			`Commvault user names are at most ${MAX_NAME_LENGTH} characters. The expression probably maps the wrong field.`,
		);
	}
	if (hasControlCharacter(value)) {
		throw invalid.call(
			this,
			itemIndex,
			'the user name contains control characters',
			'Line breaks, tabs and other control characters cannot be part of a Commvault user name. Check the incoming data.',
		);
	}
	return { mode: 'name', name: value };
}

/** How an error names the user, e.g. `user "jdoe"` or `user ID 1251`. */
export function describeUser(user: UserReference): string {
	return user.mode === 'id' ? `user ID ${user.id}` : `user "${user.name}"`;
}

/** The request body fields Commvault's user endpoints take for this reference. */
export function userBody(user: UserReference): IDataObject {
	return user.mode === 'id' ? { userId: user.id } : { userName: user.name };
}
