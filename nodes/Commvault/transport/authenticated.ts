import type {
	IAdditionalCredentialOptions,
	ICredentialDataDecryptedObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
} from 'n8n-workflow';

import { normalizeBaseUrl } from '../auth/authRequest';
import type { RenewalStore } from '../auth/renewal';
import { RENEWAL_LEASE, RENEWAL_REQUESTED, coordinateRenewal } from '../auth/renewal';
import { tokenFingerprint } from '../auth/session';
import { extractFailure, statusOf } from '../failures/failure';

export const CREDENTIAL_TYPE = 'commvaultApi';

export type CommvaultContext = IExecuteFunctions | ILoadOptionsFunctions;

/** The stored credential, sent with `sessionOwner` set to a marker that preAuthentication acts on. */
function markedCredential(
	context: CommvaultContext,
	data: ICredentialDataDecryptedObject,
	marker: string,
): IAdditionalCredentialOptions {
	const { id, name = '' } = context.getNode().credentials?.[CREDENTIAL_TYPE] ?? {};
	// An empty session token makes n8n run preAuthentication before it sends anything.
	const credential = { ...data, sessionToken: '', sessionOwner: marker };
	return { credentialsDecrypted: { id: id ?? '', name, type: CREDENTIAL_TYPE, data: credential } };
}

/** The stored credential for the renewal lease (auth/renewal.ts): read again, or given a lease n8n stores. */
function renewalStore(context: CommvaultContext, itemIndex: number): RenewalStore {
	return {
		read: async () => await context.getCredentials(CREDENTIAL_TYPE, itemIndex),
		writeLease: async (stored, lease) => {
			const options: IHttpRequestOptions = {
				method: 'GET',
				url: `${normalizeBaseUrl(stored.baseUrl)}/v2/WhoAmI`,
				headers: { Accept: 'application/json' },
				json: true,
				skipSslCertificateValidation: stored.allowUnauthorizedCerts === true,
			};
			const marked = markedCredential(context, { ...stored, renewalLease: lease }, RENEWAL_LEASE);
			// n8n stores the lease before it sends; the check itself meets the expired token and fails.
			await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options, marked).catch(() => undefined);
		},
	};
}

/**
 * What to send after the access token expired: nothing special when the stored credential, read again,
 * holds a newer pair (another execution or worker renewed it), else, if this process is the one to
 * renew, the stored pair marked for renewal (see auth/renewal.ts).
 */
async function renewalCredential(
	context: CommvaultContext,
	failedToken: string,
	itemIndex = 0,
): Promise<IAdditionalCredentialOptions | undefined> {
	const store = renewalStore(context, itemIndex);
	if ((await coordinateRenewal(store, failedToken)) === 'newer') return undefined;
	const stored = await store.read();
	if (tokenFingerprint(stored.baseUrl, stored.accessToken) !== failedToken) return undefined;
	return markedCredential(context, stored, RENEWAL_REQUESTED);
}

// A renewed pair can expire again before a waiting request uses it; more rounds mean a broken setup.
const MAX_RENEWAL_ROUNDS = 3;

/** The access token a failed request was refused with, when a renewal may help. */
function expiredToken(error: unknown, sent: IAdditionalCredentialOptions | undefined): string | undefined {
	const failure = extractFailure(error);
	if (failure.kind === 'auth') return failure.renewal;
	// n8n renewed the pair for this request (writing it into `sent`), and the new one was refused too.
	const data = sent?.credentialsDecrypted?.data;
	return statusOf(failure) === 401 && data ? tokenFingerprint(data.baseUrl, data.accessToken) : undefined;
}

/**
 * Sends one request through n8n's authentication; an expired access token is renewed here. What it
 * throws is n8n's error as it came, which the caller explains like any other failure.
 */
export async function sendAuthenticated(context: CommvaultContext, options: IHttpRequestOptions, itemIndex?: number) {
	let renewal: IAdditionalCredentialOptions | undefined;
	for (let round = 0; ; round++) {
		let failed: unknown;
		try {
			return await context.helpers.httpRequestWithAuthentication.call(context, CREDENTIAL_TYPE, options, renewal);
		} catch (error) {
			failed = error;
		}
		const failedToken = expiredToken(failed, renewal);
		if (!failedToken || round >= MAX_RENEWAL_ROUNDS) throw failed;
		renewal = await renewalCredential(context, failedToken, itemIndex);
	}
}

