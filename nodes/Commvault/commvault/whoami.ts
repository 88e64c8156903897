import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import type { WhoAmIEndpoint } from '../auth/whoami';
import { WHOAMI_REQUESTS, askWhoAmI } from '../auth/whoami';
import { commvaultApiRequest } from '../transport';

const userNameIn = (response: IDataObject) => {
	const user = response.user as IDataObject | undefined;
	return typeof user?.userName === 'string' && user.userName !== '' ? user.userName.toLowerCase() : undefined;
};

/**
 * The user an access token belongs to, lower-case, through the one WhoAmI fallback (auth/whoami.ts
 * `askWhoAmI`): `GET v2/WhoAmI` first (its reply's fields are not documented), then cvpysdk's
 * `POST WhoAmI`, which is documented to answer `{user: {userName}}` (cvpysdk `cvpysdk.py` L308-346),
 * when v2 answers 404 or names nobody.
 */
export async function tokenOwner(this: IExecuteFunctions): Promise<string | undefined> {
	const send = async (endpoint: WhoAmIEndpoint): Promise<IDataObject> => {
		const { method, path } = WHOAMI_REQUESTS[endpoint];
		try {
			// Both only read: v1 WhoAmI is a POST that is safe to send again.
			return await commvaultApiRequest.call(this, { method, endpoint: path, idempotent: true });
		} catch (error) {
			// A Command Center without the v2 API answers 404; any other failure is the item's. The status is
			// read from the details: `httpCode` is Commvault's own code when its reply carries one.
			const v2Missing = endpoint === 'GET v2/WhoAmI' && error instanceof NodeApiError && error.errorResponse?.httpStatus === 404;
			if (!v2Missing) throw error as NodeApiError;
			return {};
		}
	};
	const { answer } = await askWhoAmI(send, (v2) => userNameIn(v2) !== undefined);
	return userNameIn(answer);
}
