import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { commvaultApiRequest } from '../transport';

const userNameIn = (response: IDataObject) => {
	const user = response.user as IDataObject | undefined;
	return typeof user?.userName === 'string' && user.userName !== '' ? user.userName.toLowerCase() : undefined;
};

/**
 * The user an access token belongs to. `GET v2/WhoAmI` first (Commvault's MCP server validates
 * tokens with it; its reply's fields are not documented), then cvpysdk's `POST WhoAmI`, which is
 * documented to answer `{user: {userName}}` (cvpysdk `cvpysdk.py` L308-346), when v2 names nobody.
 */
export async function tokenOwner(this: IExecuteFunctions): Promise<string | undefined> {
	let v2: IDataObject = {};
	try {
		v2 = await commvaultApiRequest.call(this, { method: 'GET', endpoint: 'v2/WhoAmI' });
	} catch (error) {
		// A Command Center without the v2 API answers 404; any other failure is the item's. The status is
		// read from the details: `httpCode` is Commvault's own code when its reply carries one.
		if (!(error instanceof NodeApiError) || error.errorResponse?.httpStatus !== 404) throw error as NodeApiError;
	}
	// v1 WhoAmI is a POST that only reads, so it is safe to send again.
	return userNameIn(v2) ?? userNameIn(await commvaultApiRequest.call(this, { method: 'POST', endpoint: 'WhoAmI', idempotent: true }));
}
