// @ts-check
'use strict';

/**
 * An n8n Form Trigger filled in the way its page does it in a browser, without a browser: the POST of
 * the fields (`field-0`, `field-1`, … in the order of the form, multipart), then, when the workflow
 * answers with an n8n Form "Form Ending" page, what the page's script does (n8n's
 * templates/form-trigger.handlebars and form-trigger-completion.handlebars, 2.0.0 and 2.41.1): poll
 * `<formWaitingUrl>/n8n-execution-status` until the execution waits at the page, GET the page, then
 * POST to it, which lets the execution go on after the page.
 */

const crypto = require('node:crypto');

/** A browser's User-Agent: n8n answers clients it takes for bots differently on waiting pages. */
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

/**
 * @param {{ user: string, password: string }} auth
 * @returns {{ Authorization: string }}
 */
function basicAuth(auth) {
	return { Authorization: `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString('base64')}` };
}

/** @returns {{ user: string, password: string }} a random basic-auth login for a form */
function newFormLogin() {
	return { user: 'undo-desk', password: crypto.randomBytes(18).toString('base64url') };
}

/**
 * Submits a form.
 * @param {string} url  the production form URL, `…/form/<path>`
 * @param {string[]} values  in the order of the form's fields
 * @param {{ user: string, password: string } | undefined} auth  basic authentication, or none
 * @returns {Promise<{ status: number, text: string, formWaitingUrl?: string }>}
 */
async function submitForm(url, values, auth) {
	const body = new FormData();
	values.forEach((value, index) => body.append(`field-${index}`, value));
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'user-agent': BROWSER, ...(auth ? basicAuth(auth) : {}) },
		body,
		signal: AbortSignal.timeout(60_000),
	});
	const text = await response.text();
	let formWaitingUrl;
	try {
		formWaitingUrl = JSON.parse(text)?.formWaitingUrl;
	} catch {
		formWaitingUrl = undefined;
	}
	return { status: response.status, text, formWaitingUrl };
}

/**
 * `suffix` appended to the path of a waiting-form URL, its query (the signature on newer n8n) kept.
 * @param {string} waitingUrl
 * @param {string} suffix
 */
function withPathSuffix(waitingUrl, suffix) {
	const url = new URL(waitingUrl);
	url.pathname = `${url.pathname}${suffix}`;
	return url.toString();
}

/**
 * What the form's page shows after the submission: waits until the execution waits at its Form
 * Ending page (or has finished without one), then fetches the page and sends the page's own POST.
 * @param {string} formWaitingUrl
 * @returns {Promise<{ execution: string, page?: string }>}  the last status seen; the page's HTML
 */
async function formAnswer(formWaitingUrl, timeoutMs = 120_000) {
	const deadline = Date.now() + timeoutMs;
	const get = async (/** @type {string} */ url) => await fetch(url, { headers: { 'user-agent': BROWSER }, signal: AbortSignal.timeout(60_000) });
	for (;;) {
		const execution = (await (await get(withPathSuffix(formWaitingUrl, '/n8n-execution-status'))).text()).trim();
		if (execution === 'form-waiting') {
			const page = await (await get(formWaitingUrl)).text();
			await fetch(formWaitingUrl, { method: 'POST', headers: { 'user-agent': BROWSER }, body: '{}', signal: AbortSignal.timeout(60_000) });
			return { execution, page };
		}
		if (['canceled', 'crashed', 'error', 'success'].includes(execution)) return { execution };
		if (Date.now() > deadline) throw new Error(`The form's execution did not reach its answer page: status ${execution}`);
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
}

module.exports = { submitForm, formAnswer, newFormLogin, basicAuth };
