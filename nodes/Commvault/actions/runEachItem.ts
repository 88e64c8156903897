/**
 * Runs `fn` once per item, up to `limit` items at a time, starting them in input order. When `fn`
 * returns `'stop'`, no further item starts; the items already running finish.
 */
export async function runEachItem<T>(
	items: readonly T[],
	limit: number,
	fn: (item: T, index: number) => Promise<'next' | 'stop'>,
): Promise<void> {
	let next = 0;
	let stopped = false;
	const worker = async () => {
		while (!stopped && next < items.length) {
			const index = next++;
			if ((await fn(items[index], index)) === 'stop') stopped = true;
		}
	};
	await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
}
