// @ts-check
'use strict';

/**
 * n8n's internal REST API (`/rest/…`, the one the editor uses), logged in with the owner's cookie.
 *
 * Owner set-up: a new n8n database has a "shell" owner without email or password, and the
 * editor shows the set-up form (`settings.userManagement.showSetupOnFirstLoad`). The form posts
 * to `POST /rest/owner/setup` (skipAuth; n8n 2.41.1 dist/controllers/owner.controller.js), which
 * fills in the shell owner, so everything already imported with the CLI belongs to that owner.
 * `ensureOwner` does the same on first start and just logs in afterwards.
 */

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @typedef {object} OwnerAccount
 * @property {string} email
 * @property {string} password     n8n wants 8+ characters with a digit and an upper-case letter
 * @property {string} firstName
 * @property {string} lastName
 */

/** The account `npm run dev` and the tests set up (a local demo instance, not a secret). */
const DEFAULT_OWNER = Object.freeze({
	email: 'demo@n8n-nodes-commvault.dev',
	password: 'Commvault-Demo-1',
	firstName: 'Demo',
	lastName: 'Owner',
});

class N8nRestError extends Error {
	/**
	 * @param {string} message
	 * @param {number} status
	 * @param {unknown} body
	 */
	constructor(message, status, body) {
		super(message);
		this.status = status;
		this.body = body;
	}
}

class N8nClient {
	/** @param {string} baseUrl  e.g. http://127.0.0.1:5678 */
	constructor(baseUrl) {
		this.baseUrl = baseUrl.replace(/\/+$/, '');
		/** @private @type {string | undefined} */
		this.cookie = undefined;
		/** n8n binds the login cookie to this header's value when it is sent; send the same one always. */
		this.browserId = `n8n-nodes-commvault-${Math.random().toString(36).slice(2)}`;
	}

	/**
	 * @param {string} method
	 * @param {string} path          below /rest, e.g. `/workflows/abc`
	 * @param {{ body?: unknown, query?: Record<string, string> }} [options]
	 * @returns {Promise<any>}       n8n's `data` field when there is one, else the whole body
	 */
	async request(method, path, options = {}) {
		const url = new URL(`${this.baseUrl}/rest${path}`);
		for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
		/** @type {Record<string, string>} */
		const headers = { accept: 'application/json', 'browser-id': this.browserId };
		if (this.cookie) headers.cookie = this.cookie;
		if (options.body !== undefined) headers['content-type'] = 'application/json';
		const response = await fetch(url, {
			method,
			headers,
			body: options.body === undefined ? undefined : JSON.stringify(options.body),
			signal: AbortSignal.timeout(60_000),
		});
		const setCookie = response.headers.getSetCookie().find((c) => c.startsWith('n8n-auth='));
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const text = await response.text();
		/** @type {any} */
		let body = text;
		try {
			body = text ? JSON.parse(text) : undefined;
		} catch {
			// not JSON
		}
		if (!response.ok) {
			const message = body && typeof body === 'object' && 'message' in body ? body.message : text.slice(0, 500);
			throw new N8nRestError(`${method} /rest${path} → HTTP ${response.status}: ${message}`, response.status, body);
		}
		return body && typeof body === 'object' && 'data' in body ? body.data : body;
	}

	/** The public front-end settings (no login needed). */
	async settings() {
		return await this.request('GET', '/settings');
	}

	/**
	 * @param {string} email
	 * @param {string} password
	 */
	async login(email, password) {
		return await this.request('POST', '/login', { body: { emailOrLdapLoginId: email, password } });
	}

	/**
	 * Sets the owner up on a fresh instance (what the editor's set-up form does), then logs in.
	 * @param {OwnerAccount} [owner]
	 * @returns {Promise<{ created: boolean }>}
	 */
	async ensureOwner(owner = DEFAULT_OWNER) {
		const settings = await this.settings();
		if (settings?.userManagement?.showSetupOnFirstLoad) {
			await this.request('POST', '/owner/setup', { body: owner });
			await this.login(owner.email, owner.password);
			return { created: true };
		}
		await this.login(owner.email, owner.password);
		return { created: false };
	}

	/** @param {string} id */
	async getWorkflow(id) {
		return await this.request('GET', `/workflows/${encodeURIComponent(id)}`);
	}

	/** @param {string} id */
	async publicationStatus(id) {
		return await this.request('GET', `/workflows/${encodeURIComponent(id)}/publication-status`);
	}

	/**
	 * Saves a workflow so that n8n records its current content in the version history, and returns
	 * it as saved. Needed on n8n 2.0.x-2.3.2, whose `import:workflow` writes no history entry while
	 * activation looks the version up there ("Version not found"); 2.3.6 and later, and 1.123.x,
	 * write one on import. n8n records a version only when nodes or connections change, so this
	 * saves twice, as the editor would: the nodes in reverse order (the same workflow), then exactly
	 * as imported. The second version, which is live after activation, is the imported workflow.
	 * @param {any} workflow   as returned by getWorkflow
	 * @returns {Promise<any>}
	 */
	async saveVersionHistory(workflow) {
		const path = `/workflows/${encodeURIComponent(workflow.id)}`;
		const reordered = await this.request('PATCH', path, {
			body: { versionId: workflow.versionId, nodes: [...workflow.nodes].reverse(), connections: workflow.connections },
		});
		await this.request('PATCH', path, {
			body: { versionId: reordered.versionId, nodes: workflow.nodes, connections: workflow.connections },
		});
		return await this.getWorkflow(workflow.id);
	}

	/**
	 * Publishes (activates) the workflow's current version, as the editor's "Publish" button does,
	 * and waits until n8n reports its triggers live (production webhooks registered). Throws with
	 * n8n's reason when a trigger fails to activate.
	 * @param {string} id
	 * @param {{ timeoutMs?: number }} [options]
	 */
	async activateWorkflow(id, options = {}) {
		let workflow = await this.getWorkflow(id);
		const activate = async () =>
			await this.request('POST', `/workflows/${encodeURIComponent(id)}/activate`, { body: { versionId: workflow.versionId } });
		/** @type {any} */
		let activated;
		try {
			activated = await activate();
		} catch (error) {
			if (!(error instanceof N8nRestError && error.status === 404 && /version not found/i.test(error.message))) throw error;
			workflow = await this.saveVersionHistory(workflow);
			activated = await activate();
		}
		const deadline = Date.now() + (options.timeoutMs ?? 60_000);
		/** @type {any} */
		let status;
		while (Date.now() < deadline) {
			try {
				status = await this.publicationStatus(id);
			} catch (error) {
				// n8n without the publication service (2.0.0 and 1.123.x have none; 2.41 answers 404 when it
				// is switched off) has no publication-status route (HTTP 404): there the activate call itself
				// registers the triggers and answers only when they are live (HTTP 400 with the reason if not).
				if (!(error instanceof N8nRestError) || error.status !== 404) throw error;
				if (activated?.active === true && (activated.activeVersionId ?? workflow.versionId) === workflow.versionId) {
					return { status: 'published', liveVersionId: workflow.versionId, synchronous: true };
				}
				throw new Error(`Activating workflow ${id} (${workflow.name}) did not make it active: ${JSON.stringify(activated)}`);
			}
			if (status.status === 'published' && status.liveVersionId === workflow.versionId) return status;
			if (status.status === 'failed' || status.status === 'partial') {
				const reasons = (status.triggers ?? [])
					.filter((/** @type {any} */ t) => t.status === 'failed')
					.map((/** @type {any} */ t) => t.errorMessage)
					.join('; ');
				throw new Error(`Activating workflow ${id} (${workflow.name}) failed: ${reasons || JSON.stringify(status)}`);
			}
			await sleep(200);
		}
		throw new Error(`Workflow ${id} was not live after ${(options.timeoutMs ?? 60_000) / 1000} s: ${JSON.stringify(status)}`);
	}

	/**
	 * The credential modal's "Test" (`POST /rest/credentials/test`, n8n 2.41.1
	 * dist/credentials/credentials.controller.js `testCredentials`): a stored credential, tested with
	 * the data the modal sends. n8n answers `{ status: 'OK' | 'Error', message }`.
	 * @param {{ id: string, name: string, type: string, data: Record<string, unknown> }} credential
	 * @returns {Promise<{ status: string, message: string }>}
	 */
	async testCredential(credential) {
		return await this.request('POST', '/credentials/test', { body: { credentials: credential } });
	}

	/**
	 * Past executions, newest first (summaries; see getExecution for the data). n8n 2.41 pages them
	 * at most 100 at a time with an opaque `cursor` (the reply's `nextCursor`; the older `lastId`
	 * parameter is refused with HTTP 400). The first page also lists the executions still running,
	 * which later pages can list again, so rows are de-duplicated by id. Up to `limit` (default: all).
	 * Not exact under concurrency: n8n orders rows by start time but cuts pages by id, so when
	 * executions start out of id order (queue mode, several workers) a row at a page boundary can be
	 * skipped. Count executions in the database when every one matters (scripts/n8n/queue.js query).
	 * @param {{ workflowId?: string, limit?: number }} [filter]
	 * @returns {Promise<any[]>}
	 */
	async listExecutions(filter = {}) {
		const wanted = filter.limit ?? Number.POSITIVE_INFINITY;
		/** @type {Map<string, any>} */
		const byId = new Map();
		/** @type {string | undefined} */
		let cursor;
		while (byId.size < wanted) {
			const pageSize = Math.min(100, wanted - byId.size);
			/** @type {Record<string, string>} */
			const query = { limit: String(pageSize) };
			if (filter.workflowId) query.filter = JSON.stringify({ workflowId: filter.workflowId });
			if (cursor !== undefined) query.cursor = cursor;
			const data = await this.request('GET', '/executions', { query });
			const page = Array.isArray(data) ? data : (data?.results ?? []);
			for (const row of page) if (!byId.has(String(row.id))) byId.set(String(row.id), row);
			const next = Array.isArray(data) ? undefined : data?.nextCursor;
			if (typeof next !== 'string' || next === '' || next === cursor) break;
			cursor = next;
		}
		return [...byId.values()].slice(0, wanted);
	}

	/**
	 * One execution with its stored run data in `data`: a `flatted` string, exactly as stored in
	 * the database (decode it with data.js `parseFlatted`).
	 * @param {string} id
	 */
	async getExecution(id) {
		return await this.request('GET', `/executions/${encodeURIComponent(id)}`);
	}

	/**
	 * Waits until `count` executions of `workflowId` have finished (not running / waiting).
	 * @param {string} workflowId
	 * @param {number} count
	 * @param {{ timeoutMs?: number }} [options]
	 */
	async waitForExecutions(workflowId, count, options = {}) {
		const deadline = Date.now() + (options.timeoutMs ?? 60_000);
		/** @type {any[]} */
		let executions = [];
		while (Date.now() < deadline) {
			executions = await this.listExecutions({ workflowId });
			const done = executions.filter((e) => !['running', 'new', 'waiting'].includes(e.status));
			if (done.length >= count) return done;
			await sleep(250);
		}
		throw new Error(`Expected ${count} finished execution(s) of ${workflowId}, have ${JSON.stringify(executions.map((e) => e.status))}`);
	}
}

module.exports = { N8nClient, N8nRestError, DEFAULT_OWNER };
