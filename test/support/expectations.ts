const ISO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** The audit trail every successful change carries (helpers/audit.ts): when, and which requests. */
export function audited(...requests: Array<[method: string, path: string]>) {
	return { changedAt: expect.stringMatching(ISO_TIME), requests: requests.map(([method, path]) => ({ method, path })) };
}
