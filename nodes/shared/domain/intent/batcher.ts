import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Collects the requests made in one synchronous pass (all items of a node run reach their model call
 * before any answer arrives) and sends them in batches. Each result is matched by id, never by
 * position; a request whose result is missing, duplicated or invalid is answered on its own.
 */
export class RequestBatcher<In, Out> {
	private pending: Array<{ id: string; input: In; resolve: (out: Out) => void; reject: (e: unknown) => void }> = [];
	private scheduled = false;
	private next = 0;

	constructor(
		private readonly size: number,
		private readonly sendBatch: (entries: Array<{ id: string; input: In }>) => Promise<Map<string, Out>>,
		private readonly sendOne: (input: In) => Promise<Out>,
	) {}

	request(input: In): Promise<Out> {
		return new Promise<Out>((resolve, reject) => {
			this.pending.push({ id: `m${++this.next}`, input, resolve, reject });
			if (!this.scheduled) {
				this.scheduled = true;
				// After the current pass and all its microtasks, so every item has queued its request.
				void nextTurn().then(() => this.flush());
			}
		});
	}

	private flush(): void {
		const all = this.pending;
		this.pending = [];
		this.scheduled = false;
		for (let i = 0; i < all.length; i += this.size) void this.dispatch(all.slice(i, i + this.size));
	}

	private async dispatch(chunk: RequestBatcher<In, Out>['pending']): Promise<void> {
		if (chunk.length === 1) {
			const [one] = chunk;
			return this.sendOne(one.input).then(one.resolve, one.reject);
		}
		let results: Map<string, Out>;
		try {
			results = await this.sendBatch(chunk.map(({ id, input }) => ({ id, input })));
		} catch {
			results = new Map(); // the whole batch failed: every request is retried alone
		}
		for (const entry of chunk) {
			const out = results.get(entry.id);
			if (out !== undefined) entry.resolve(out);
			else this.sendOne(entry.input).then(entry.resolve, entry.reject);
		}
	}
}
