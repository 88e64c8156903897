/**
 * What one execution of the node reads from Commvault once and shares between its items, so that a
 * batch costs about one request per item (issue 25):
 * - `fullUser:<id>`: a user at level 40 (`GET /User/{id}?level=40`), shared by the protected-groups
 *   guard, Offboard's "Also → Remove From User Groups" and its Dry Run;
 * - `laptops`: the laptop list (`GET /V4/Laptop`), revised after a laptop change, read again after a
 *   change that failed (Commvault may or may not have acted);
 * - `userBatch`: the users a batch names, read from the user list in pages (see `userBatch.ts`).
 *
 * A read is kept as a promise, so items running at the same time wait for the one request instead of
 * sending their own. A failed read is not kept: the next item that needs it asks again and reports it.
 * Nothing here outlives the execution: the plans are kept per execution context (`executionPlans` in
 * ./stores.ts; `planOf` in commvault/plan.ts).
 */
export class ExecutionPlan {
	private readonly reads = new Map<string, Promise<unknown>>();

	/** The value `read` gives, read once per execution under `key`. */
	async once<T>(key: string, read: () => Promise<T>): Promise<T> {
		const known = this.reads.get(key) as Promise<T> | undefined;
		if (known) return await known;
		const reading = read();
		this.reads.set(key, reading);
		// A failed read is forgotten, so that the next item tries again; this item still gets the error.
		reading.catch(() => this.forget(key, reading));
		return await reading;
	}

	/** Keeps a value read elsewhere (e.g. a fresh read-back) as what `key` now holds. */
	remember<T>(key: string, value: T): void {
		this.reads.set(key, Promise.resolve(value));
	}

	/** Whether `key` has been read (or is being read) in this execution. */
	has(key: string): boolean {
		return this.reads.has(key);
	}

	/**
	 * Changes what was read under `key` the way the node just changed it in Commvault (e.g. a laptop
	 * retired), so that later items see it without reading it again. Nothing read yet: nothing to change.
	 */
	revise<T>(key: string, change: (value: T) => T): void {
		const known = this.reads.get(key) as Promise<T> | undefined;
		if (!known) return;
		const revised = known.then(change);
		this.reads.set(key, revised);
		// As for a read: if it fails, the next item reads again (and nothing is left unhandled).
		revised.catch(() => this.forget(key, revised));
	}

	/** Forgets what was read under `key` (only `which`, when given), e.g. after the node changed it. */
	forget(key: string, which?: Promise<unknown>): void {
		if (which === undefined || this.reads.get(key) === which) this.reads.delete(key);
	}
}

/** The keys of the reads the node shares; one place, so that another read reuses a key, not a twin. */
export const planKeys = {
	fullUser: (id: number) => `fullUser:${id}`,
	laptops: 'laptops',
	userBatch: 'userBatch',
};
