import type { IDataObject } from 'n8n-workflow';

/*
 * Commvault's own errors inside a reply, and HTML pages where JSON was expected. Commvault often
 * answers HTTP 200 and reports the failure in the body.
 */

export interface CommvaultBodyError {
	errorCode?: number | string;
	message: string;
}


function isNonZero(code: unknown): boolean {
	if (code === undefined || code === null || code === '') return false;
	return Number(code) !== 0 || Number.isNaN(Number(code));
}

function firstText(entry: IDataObject, keys: string[]): string | undefined {
	for (const key of keys) {
		const value = entry[key];
		if (typeof value === 'string' && value.trim() !== '') return value.trim();
	}
	return undefined;
}

const MESSAGE_KEYS = ['errorMessage', 'errorString', 'errLogMessage', 'message'];

/**
 * Commvault often answers HTTP 200 and reports failure in the body, in one of four shapes:
 * `{errorCode}`, `{response: [{errorCode}]}`, `{error: {errorCode}}` and `{errList: [...]}`.
 */
export function findCommvaultBodyError(body: unknown): CommvaultBodyError | undefined {
	if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
	const data = body as IDataObject;

	if (isNonZero(data.errorCode)) {
		const errorCode = data.errorCode as number | string;
		return { errorCode, message: firstText(data, MESSAGE_KEYS) ?? `Commvault returned error code ${errorCode}` };
	}

	const responses = Array.isArray(data.response)
		? (data.response as IDataObject[])
		: data.response && typeof data.response === 'object'
			? [data.response as IDataObject]
			: [];
	const failed = responses.find((entry) => entry && isNonZero(entry.errorCode));
	if (failed) {
		const errorCode = failed.errorCode as number | string;
		return { errorCode, message: firstText(failed, MESSAGE_KEYS) ?? `Commvault returned error code ${errorCode}` };
	}

	const nested = data.error;
	if (nested && typeof nested === 'object' && !Array.isArray(nested)) {
		const error = nested as IDataObject;
		if (isNonZero(error.errorCode)) {
			const errorCode = error.errorCode as number | string;
			return { errorCode, message: firstText(error, MESSAGE_KEYS) ?? `Commvault returned error code ${errorCode}` };
		}
	}

	if (Array.isArray(data.errList) && data.errList.length > 0) {
		const entry = (data.errList as IDataObject[]).find((e) => e && typeof e === 'object') ?? {};
		return {
			errorCode: entry.errorCode as number | string | undefined,
			message: firstText(entry, MESSAGE_KEYS) ?? 'Commvault reported an error',
		};
	}
	return undefined;
}

export function isHtml(body: unknown): body is string {
	return typeof body === 'string' && /^\s*(<!doctype html|<html|<head|<body|<\?xml[^>]*>\s*<html)/i.test(body);
}

export function htmlTitle(html: string): string | undefined {
	const match = /<title[^>]*>([^<]*)<\/title>/i.exec(html) ?? /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(html);
	const text = match?.[1]?.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
	return text ? text.slice(0, 200) : undefined;
}
