// Lead Normalizer throughput in process (the domain module: field detection and normalization) on
// the generator's leads and on leads with realistic cardinality, and the memory each result keeps:
// the heap a run holds for its results beyond their inputs, measured after a full garbage collection.
'use strict';
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { generateLeads, generateRealisticLeads } = require('./generated-leads');
const { baselineDist, collectGarbage: gc, sideBySide } = require('./support');

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'nodes');

function normalizer(dist = DIST) {
	const { LeadNormalizer, LEAD_FIELDS } = require(path.join(dist, 'shared', 'domain', 'lead-normalizer'));
	const { detectFields } = require(path.join(dist, 'shared', 'domain', 'field-detection'));
	const n = new LeadNormalizer({
		defaultCountry: 'US',
		calendar: { timezone: 'America/New_York', workingDays: [1, 2, 3, 4, 5], dayStart: '09:00', dayEnd: '17:00', holidays: ['12-25'] },
		firstResponseSlaMinutes: 60,
		requiredFields: ['emailOrPhone'],
		disposableEmailIsInvalid: true,
		freeMailIsInvalid: false,
		ownDomain: null,
	});
	return (lead) => n.normalize(detectFields(lead, LEAD_FIELDS).values);
}

/** Median of five timed passes, results kept as a node keeps them; then the heap they hold. */
function measure(label, leads, normalize) {
	for (const lead of leads.slice(0, 2000)) normalize(lead); // JIT and the libraries' lazy tables
	const times = [];
	let valid = 0;
	for (let run = 0; run < 5; run++) {
		const kept = new Array(leads.length);
		const started = performance.now();
		for (let i = 0; i < leads.length; i++) kept[i] = normalize(leads[i]);
		times.push(performance.now() - started);
		if (run === 0) valid = kept.filter((r) => r.valid).length;
	}
	times.sort((a, b) => a - b);
	const ms = times[2];
	gc();
	gc();
	const base = process.memoryUsage().heapUsed;
	const kept = leads.map(normalize);
	gc();
	gc();
	const held = process.memoryUsage().heapUsed - base;
	kept.length = 0; // held until the figure above was taken
	return [
		`${label}: ${leads.length.toLocaleString('en-US')} leads in ${ms.toFixed(0)} ms (median of 5, ${times[0].toFixed(0)}-${times[4].toFixed(0)} ms) = ${Math.round((leads.length / ms) * 1000).toLocaleString('en-US')} leads/s, ${((ms * 1000) / leads.length).toFixed(1)} µs per lead (target 20,000/s); ${valid.toLocaleString('en-US')} valid`,
		`  memory kept per result beyond its input: ${Math.round(held / leads.length)} bytes (target under 1 KB)`,
	];
}

async function run() {
	const count = Number(process.env.BENCH_LEADS || 50_000);
	const normalize = normalizer();
	const lines = [];
	// First, while neither build's code has run: the figures below warm this build's code alone.
	const baseline = baselineDist();
	if (baseline) {
		const before = normalizer(baseline);
		const n = Math.min(count, 20_000);
		lines.push(sideBySide('generator values', generateLeads(n), normalize, before));
		lines.push(sideBySide('realistic values', generateRealisticLeads(n), normalize, before));
	}
	lines.push(
		...measure('generator values (8 first names, 7 domains, one message)', generateLeads(count), normalize),
		...measure('realistic values (distinct people, companies and domains, 7,000 titles, 100 country spellings, any time of a quarter)', generateRealisticLeads(count), normalize),
	);
	return lines;
}

module.exports = { run };
