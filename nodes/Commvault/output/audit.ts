import type { IDataObject } from 'n8n-workflow';

import type { ChangeRequest } from '../commvault/steps';

const pathOf = ({ endpoint, qs }: ChangeRequest) => {
	const query = new URLSearchParams(Object.entries(qs ?? {}).map(([key, value]): [string, string] => [key, String(value)])).toString();
	return `/${endpoint}${query ? `?${query}` : ''}`;
};

/**
 * What every successful change adds to its item, so that a run's output is a record a person can
 * file: when (ISO time) and which requests, by method and path below the Base URL.
 */
export function auditTrail(...requests: ChangeRequest[]): IDataObject {
	return {
		changedAt: new Date().toISOString(),
		requests: requests.map((request) => ({ method: request.method, path: pathOf(request) })),
	};
}
