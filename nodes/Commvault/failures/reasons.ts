/*
 * Every `reason` an item's error can carry in `details.reason`, in one place, so that a workflow can
 * branch on it (`{{ $json.details.reason === 'userNotFound' }}`) and the router can map it to the
 * item's `status` (actions/errorItems.ts) without importing the module that raised it.
 */

/**
 * Every "user not found" failure, whichever operation or look-up produced it (failures/errors.ts
 * `userNotFoundError`).
 */
export const USER_NOT_FOUND = 'userNotFound';

/** A refusal to read a user that exists (errorCode 2 on `GET /User/{id}` for a listed user). */
export const USER_REFUSED = 'userRefused';

/** An item that was not sent because Commvault's rate limit holds longer than the node waits. */
export const RATE_LIMITED = 'rateLimited';

/** A user (or a laptop's owner) the node never changes: guards/protectedAccounts.ts. */
export const PROTECTED_ACCOUNT = 'protectedAccount';

/** A run refused for holding more users than Max Users per Run: guards/batchLimit.ts. */
export const BATCH_LIMIT = 'batchLimit';

/** A laptop ID that Commvault does not list (commvault/laptops.ts `findLaptop`). */
export const LAPTOP_NOT_FOUND = 'laptopNotFound';

/**
 * Commvault answered success to an offboard, but the read-back still finds an owner, an enabled backup or a
 * role the offboard should have removed (actions/user/offboard/snapshot.ts `verifyOffboard`).
 */
export const STILL_HELD = 'stillHeld';

/**
 * A change Commvault answered without an error, but whose read-back shows it did not take effect (Log Off
 * Sessions, Change Owner, Remove From User Groups): commvault/sessions.ts, laptops.ts, userGroups.ts.
 */
export const NOT_CONFIRMED = 'notConfirmed';

/** A reply the node cannot read safely, e.g. a token list without entries it recognises: it changes nothing. */
export const UNREADABLE_REPLY = 'unreadableReply';

/**
 * `GET /V4/Laptop` answered without owners (its WebConsole shape), so the node cannot tell whose laptop
 * it is or check the protected accounts: commvault/laptops.ts.
 */
export const LAPTOP_OWNERS_UNKNOWN = 'laptopOwnersUnknown';

/**
 * Revoke Access Tokens with an access-token credential: from 11.42 Commvault refuses to "create, edit,
 * and delete an access token using another access token": guards/tokenCredential.ts.
 */
export const TOKEN_CREDENTIAL = 'tokenCredential';
