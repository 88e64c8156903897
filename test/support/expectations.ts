const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/**
 * The `fl` every `GET /User` list request must carry, written out here rather than imported from the code
 * under test: cvpysdk's user-cache columns (`security/user.py` L221-245) without `users.numDevices`, which
 * the node does not read.
 */
export const EXPECTED_USER_COLUMNS =
	'users.userEntity,users.email,users.fullName,users.description,users.UPN,users.enableUser,users.isAccountLocked,users.lastLogIntime,users.userEntity.entityInfo.companyName';

/** The audit trail every successful change carries (nodes/Commvault/output/audit.ts): when, and which requests. */
export function audited(...requests: Array<[method: string, path: string]>) {
	return { changedAt: expect.stringMatching(ISO_TIME), requests: requests.map(([method, path]) => ({ method, path })) };
}

/**
 * The output of an Offboard of the seed's jdoe (ID 1301) with Also → Disable Account and Log Off Sessions
 * done, and Revoke Access Tokens and Remove From User Groups done or skipped: what the engine test, the
 * batch e2e workflow and the leaver e2e workflow all expect. Revoke Access Tokens needs a password
 * credential (Commvault 11.42+), so a workflow with an access-token credential skips it.
 */
export function jdoeOffboardedWithAlso({ removeFromUserGroups, revokeAccessTokens }: { removeFromUserGroups: boolean; revokeAccessTokens: boolean }) {
	const requests: Array<[string, string]> = [
		['POST', '/User/Offboard'],
		['PUT', '/User/1301/Disable'],
		['DELETE', '/Sessions'],
		...(revokeAccessTokens ? ([['DELETE', '/V4/AccessToken/701'], ['DELETE', '/V4/AccessToken/702']] as Array<[string, string]>) : []),
	];
	return {
		...offboardedItem(1301, 'jdoe'),
		// The message then names the Also steps done.
		message: expect.stringMatching(/^Offboarded user /),
		disabled: true,
		sessionsEnded: ['sess-1301-1', 'sess-1301-2'],
		...(revokeAccessTokens ? { tokensRevoked: [{ id: 701, name: 'jdoe-reporting' }, { id: 702, name: 'jdoe-ci' }] } : {}),
		...(removeFromUserGroups ? { userGroupsRemoved: [{ id: 2, name: 'Laptop Users' }] } : {}),
		steps: {
			disableAccount: 'done',
			logOffSessions: 'done',
			revokeAccessTokens: revokeAccessTokens ? 'done' : 'skipped',
			removeFromUserGroups: removeFromUserGroups ? 'done' : 'skipped',
		},
		...audited(...requests, ...(removeFromUserGroups ? [['PUT', '/V4/user/1301'] as [string, string]] : [])),
	};
}

/** The changes jdoe's Offboard with every Also step sends, in order (method and the simulator's endpoint key). */
export const JDOE_ALSO_WRITES = [
	'POST user/offboard',
	'PUT user/{id}/disable',
	'DELETE sessions',
	'DELETE v4/accesstoken/{id}',
	'DELETE v4/accesstoken/{id}',
	'PUT v4/user/{id}',
];

/** The plan of a Dry Run of jdoe's Offboard with Also → Disable Account: the requests it would send, as the audit trail lists them. */
export const JDOE_DRY_RUN_PLAN = {
	status: 'wouldOffboard',
	userId: 1301,
	userName: 'jdoe',
	dryRun: true,
	enabled: true,
	wouldDisable: true,
	requests: [
		{ method: 'POST', path: '/User/Offboard' },
		{ method: 'PUT', path: '/User/1301/Disable' },
	],
};

/** What every offboard preview adds after its summary: what it checked, and that Commvault may still refuse. */
export const PREVIEW_SAYS =
	'Checked: the user exists, is not a protected account, and what they hold. Commvault may still refuse the real offboard (e.g. a legal hold or a running job): only Commvault decides that when it runs.';

/** Marks an expected item that has no `raw` (Get and Get Many with Simplify on). */
export const NO_RAW = Symbol('no raw');

/**
 * An item in the one output shape (nodes/Commvault/output/outcome.ts): `status`, `userId`, `userName`,
 * a plain `message`, the operation's own fields, and Commvault's reply under `raw`. The message and the
 * reply are pinned in test/nodes/Commvault/actions/outputShape.test.ts; elsewhere any text and any reply do.
 */
export function shaped(
	status: string,
	[userId, userName]: [number | null, string | null],
	fields: object = {},
	raw: unknown = expect.anything(),
) {
	return { status, userId, userName, message: expect.any(String), ...fields, ...(raw === NO_RAW ? {} : { raw }) };
}

/** What an Offboard that succeeded says of the user (nodes/Commvault/actions/user/offboard.operation.ts). */
export const offboardedMessage = (userName: string) =>
	`Offboarded user "${userName}": Commvault confirmed the offboard, which removes the user as owner of the subclients and VM clients they still own, disables those backups and removes their role. Its reply does not say whether anything was left to remove (after an earlier offboard, nothing is).`;

/** A plain Offboard of a seed user that succeeded: the one output shape, the audit trail and Commvault's reply. */
export function offboardedItem(userId: number, userName: string) {
	return {
		status: 'offboarded',
		userId,
		userName,
		message: offboardedMessage(userName),
		...audited(['POST', '/User/Offboard']),
		raw: { errorCode: 0, errorMessage: `Successfully offboarded user ${userId}` },
	};
}

/** Commvault's refusal to offboard the seed's legal.hold (simulator/seed-data.js; the code 3 is invented). */
export const LEGAL_HOLD_REFUSAL = 'Failed to offboard user [legal.hold]: one or more clients owned by the user are under legal hold.';

/** The failed item of legal.hold's Offboard, as the item at `itemIndex` (n8n adds the input's fields on the error output). */
export function legalHoldRefused(itemIndex: number) {
	return {
		status: 'refused',
		userId: 1305,
		userName: 'legal.hold',
		message: LEGAL_HOLD_REFUSAL,
		commvaultErrorCode: 3,
		error: LEGAL_HOLD_REFUSAL,
		details: expect.objectContaining({ itemIndex, subject: 'user "legal.hold"', commvaultErrorCode: 3, httpStatus: 200 }),
		raw: { errorCode: 3, errorMessage: LEGAL_HOLD_REFUSAL },
	};
}
