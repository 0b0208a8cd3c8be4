// The lead-handoff bench's CPU profile mode reads V8 profiles of n8n's main thread
// (test/harness/cpu-profile.js) and says where two forms differ. Its sums are tested here on small
// profiles in V8's own format, whose answer is known: a sample's time is the gap to the next one, the
// event loop's idle time is no work, and a function that recurses counts once per sample.
const { summarize, mergeSummaries, compareSummaries } = require('../harness/cpu-profile');

const frame = (functionName: string, url = '', lineNumber = 0) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '1' });
const N8N = 'file:///cache/n8n/node_modules/n8n-core/dist/execution-engine/workflow-execute.js';
const OURS = 'file:///home/.n8n/nodes/node_modules/n8n-nodes-revops/dist/nodes/LeadNormalizer/v1/LeadNormalizerV1.node.js';

/** root -> runNode (n8n-core) -> execute (ours) -> execute again (recursion); root -> (idle); root -> (garbage collector). */
function profile(samples: number[], deltasUs: number[]) {
	return {
		nodes: [
			{ id: 1, callFrame: frame('(root)'), children: [2, 5, 6] },
			{ id: 2, callFrame: frame('runNode', N8N, 710), children: [3] },
			{ id: 3, callFrame: frame('execute', OURS, 62), children: [4] },
			{ id: 4, callFrame: frame('execute', OURS, 62), children: [] },
			{ id: 5, callFrame: frame('(idle)'), children: [] },
			{ id: 6, callFrame: frame('(garbage collector)'), children: [] },
		],
		startTime: 0,
		endTime: deltasUs.reduce((a, b) => a + b, 0),
		samples,
		timeDeltas: deltasUs,
	};
}

describe('CPU profile sums', () => {
	// Samples: runNode, execute, execute (recursive), idle, GC, and a last one whose time is unknown.
	const p = profile([2, 3, 4, 5, 6, 2], [0, 1000, 2000, 3000, 4000, 5000]);

	it('gives each sample the time until the next, and leaves idle time out', () => {
		const s = summarize(p);
		// runNode 1 ms, execute 2 ms, the recursive execute 3 ms, idle 4 ms (out), GC 5 ms, the last sample 0.
		expect(s.busy).toBeCloseTo(11, 6);
		expect(s.self.get('runNode n8n-core:workflow-execute.js:711')).toBeCloseTo(1, 6);
		expect(s.self.get('execute n8n-nodes-revops:LeadNormalizerV1.node.js:63')).toBeCloseTo(5, 6);
		expect(s.packages.get('n8n-nodes-revops')).toBeCloseTo(5, 6);
		expect(s.packages.get('(garbage collector)')).toBeCloseTo(5, 6);
		expect([...s.self.keys()].some((k: string) => k.startsWith('(idle)'))).toBe(false);
	});

	it('counts a function once per sample however deep it recurses, and its callers include it', () => {
		const s = summarize(p);
		expect(s.inclusive.get('execute n8n-nodes-revops:LeadNormalizerV1.node.js:63')).toBeCloseTo(5, 6);
		expect(s.inclusive.get('runNode n8n-core:workflow-execute.js:711')).toBeCloseTo(6, 6);
		expect(s.inclusive.get('(root) (native)')).toBeCloseTo(11, 6);
	});

	it('adds summaries and compares two per unit of work, garbage collection shown apart', () => {
		const twice = mergeSummaries([summarize(p), summarize(p)]);
		expect(twice.busy).toBeCloseTo(22, 6);
		const other = summarize(profile([2, 5, 2], [0, 1000, 1000]));
		const lines: string[] = compareSummaries(twice, other, { perA: 2, perB: 1, labels: ['ours', 'bare'] });
		expect(lines[0]).toBe('main thread busy per unit: ours 11.00 ms, bare 1.00 ms; without garbage collection 6.00 vs 1.00 ms');
		// The function that differs most comes first after the busy time and the packages.
		const functions = lines.slice(lines.findIndex((l) => l.startsWith('functions whose inclusive')) + 1);
		expect(functions[0]).toBe('  11.00 vs 1.00  (root) (native)');
		expect(functions).toContain('  5.00 vs 0.00  execute n8n-nodes-revops:LeadNormalizerV1.node.js:63');
	});
});
