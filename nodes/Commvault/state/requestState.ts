import { sleep } from 'n8n-workflow';

import type { CommvaultFailure } from '../failures/failure';

export interface RequestSettings {
	/** Tries per request, the first one included. */
	maxAttempts: number;
	/** First wait before a retry; it doubles with every further attempt. */
	retryDelayMs: number;
	timeoutMs: number;
	/** Requests sent at once (Max Concurrent Requests): the items', and the pages of a batch's user list. */
	maxConcurrency: number;
}

/** Sleeps, in short steps, until the time is up or the execution is cancelled. */
async function sleepUnless(ms: number, cancelled: () => boolean) {
	const until = Date.now() + ms;
	for (let left = ms; left > 0 && !cancelled(); left = until - Date.now()) {
		await sleep(Math.min(left, 1000));
	}
}

/** Where the requests of an execution go, from the credential. */
export interface RequestTarget {
	baseUrl: string;
	skipSslCertificateValidation: boolean;
}

/**
 * What the requests of one node execution share: the request settings; where they go, read from the
 * credential once (in n8n every credential read is a database query and a decryption); the first
 * request, which the others wait for; a pause that a 429 sets for
 * every request, so that concurrent items back off together instead of hammering the server; and a
 * refusal for when Commvault asks for a longer wait than the node accepts, so that the items after
 * it fail at once instead of each collecting its own 429.
 */
export class ExecutionRequestState {
	private pausedUntil = 0;

	private refused?: { until: number; failure: CommvaultFailure };

	private target?: Promise<RequestTarget>;

	private firstSent?: Promise<void>;

	private readonly repeatedItems = new Set<number>();

	constructor(
		readonly settings: RequestSettings,
		readonly cancelled: () => boolean = () => false,
	) {}

	/** The request target, read by `load` for the first request only (again if that read failed). */
	async targetOnce(load: () => Promise<RequestTarget>): Promise<RequestTarget> {
		if (!this.target) {
			this.target = load().catch((error: unknown) => {
				this.target = undefined;
				throw error;
			});
		}
		return await this.target;
	}

	/**
	 * Sends the execution's first request alone; the others wait until it is answered. That request
	 * logs in (or checks the access token) and n8n stores the session before it returns. Concurrent
	 * requests that read the credential before that would each find no session and log in again.
	 */
	async sendFirstAlone<T>(send: () => Promise<T>): Promise<T> {
		if (this.firstSent) {
			await this.firstSent;
			return await send();
		}
		let answered!: () => void;
		this.firstSent = new Promise<void>((resolve) => (answered = resolve));
		try {
			return await send();
		} finally {
			answered();
		}
	}

	/** Records that an item's change was sent again after Commvault may have carried it out. */
	markRepeated(itemIndex: number | undefined) {
		if (itemIndex !== undefined) this.repeatedItems.add(itemIndex);
	}

	/** Whether a change of this item was sent again after Commvault may have carried it out. */
	wasRepeated(itemIndex: number): boolean {
		return this.repeatedItems.has(itemIndex);
	}

	pauseFor(ms: number) {
		this.pausedUntil = Math.max(this.pausedUntil, Date.now() + ms);
	}

	refuseFor(ms: number, failure: CommvaultFailure) {
		this.refused = { until: Date.now() + ms, failure };
	}

	/** The 429 that asked for a wait the node does not make, and when it ends, while that wait lasts. */
	refusal(): { until: number; failure: CommvaultFailure } | undefined {
		return this.refused && Date.now() < this.refused.until ? this.refused : undefined;
	}

	async waitIfPaused() {
		if (this.pausedUntil <= Date.now()) return;
		while (this.pausedUntil > Date.now() && !this.cancelled()) {
			await sleepUnless(this.pausedUntil - Date.now(), this.cancelled);
		}
		// Spread the restart, so that the requests that waited do not all hit the limit again at once.
		await sleepUnless(Math.random() * Math.min(this.settings.retryDelayMs, 1000), this.cancelled);
	}

	async backOff(ms: number) {
		await sleepUnless(ms, this.cancelled);
	}
}
