import { RequestBatcher } from '../../nodes/shared/domain/intent/batcher';

describe('RequestBatcher', () => {
	it('sends the requests of one pass in batches and resolves each by id', async () => {
		const batches: string[][] = [];
		const batcher = new RequestBatcher<string, string>(
			2,
			async (entries) => {
				batches.push(entries.map((e) => e.input));
				return new Map(entries.map((e) => [e.id, e.input.toUpperCase()]));
			},
			async (input) => `alone:${input}`,
		);
		const results = await Promise.all(['a', 'b', 'c', 'd', 'e'].map((x) => batcher.request(x)));
		expect(results).toEqual(['A', 'B', 'C', 'D', 'alone:e']);
		expect(batches).toEqual([['a', 'b'], ['c', 'd']]);
	});

	it('asks alone for results that are missing or duplicated, and for every request of a failed batch', async () => {
		const alone: string[] = [];
		const batcher = new RequestBatcher<string, string>(
			3,
			async (entries) => {
				if (entries.some((e) => e.input === 'boom')) throw new Error('batch failed');
				return new Map([[entries[0].id, 'first']]); // the others are missing
			},
			async (input) => (alone.push(input), `alone:${input}`),
		);
		expect(await Promise.all(['x', 'y', 'z'].map((v) => batcher.request(v)))).toEqual(['first', 'alone:y', 'alone:z']);
		expect(await Promise.all(['boom', 'q'].map((v) => batcher.request(v)))).toEqual(['alone:boom', 'alone:q']);
		expect(alone).toEqual(['y', 'z', 'boom', 'q']);
	});

	it('passes single-request errors to that request only', async () => {
		const batcher = new RequestBatcher<string, string>(5, async () => new Map(), async (input) => {
			if (input === 'bad') throw new Error('nope');
			return input;
		});
		const settled = await Promise.allSettled(['ok', 'bad'].map((v) => batcher.request(v)));
		expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected']);
	});
});
