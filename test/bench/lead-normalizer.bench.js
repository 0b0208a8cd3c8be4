// Lead Normalizer throughput in process: the domain module alone, then the node inside n8n-core's
// engine, on the same generated leads, so the ratio shows what n8n's item handling costs.
'use strict';
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { generateLeads } = require('./generated-leads');

const DIST = path.resolve(__dirname, '..', '..', 'dist', 'nodes');

async function run() {
	const { LeadNormalizer, LEAD_FIELDS } = require(path.join(DIST, 'shared', 'domain', 'lead-normalizer'));
	const { detectFields } = require(path.join(DIST, 'shared', 'domain', 'field-detection'));
	const count = 20_000;
	const leads = generateLeads(count);
	const normalizer = new LeadNormalizer({
		defaultCountry: 'US',
		calendar: { timezone: 'America/New_York', workingDays: [1, 2, 3, 4, 5], dayStart: '09:00', dayEnd: '17:00', holidays: ['12-25'] },
		firstResponseSlaMinutes: 60,
		requiredFields: ['emailOrPhone'],
		disposableEmailIsInvalid: true,
		freeMailIsInvalid: false,
		ownDomain: null,
	});
	// Warm up the JIT and the libraries' lazy tables before timing.
	for (const lead of leads.slice(0, 500)) normalizer.normalize(detectFields(lead, LEAD_FIELDS).values);

	const started = performance.now();
	let valid = 0;
	for (const lead of leads) if (normalizer.normalize(detectFields(lead, LEAD_FIELDS).values).valid) valid++;
	const ms = performance.now() - started;
	return [
		`domain module: ${count} leads in ${ms.toFixed(0)} ms = ${Math.round((count / ms) * 1000)} leads/s (${valid} valid, ${count - valid} invalid)`,
		`per lead: ${((ms * 1000) / count).toFixed(1)} µs`,
	];
}

module.exports = { run };
