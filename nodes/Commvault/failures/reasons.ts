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
