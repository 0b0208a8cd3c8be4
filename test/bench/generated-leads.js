// Deterministic synthetic inbound leads for benchmarks: a realistic mix of clean, messy and bad input.
'use strict';

function rng(seed) {
	let s = seed >>> 0;
	return () => {
		s = (s * 1664525 + 1013904223) >>> 0;
		return s / 2 ** 32;
	};
}

const FIRST = ['jane', 'JOHN', 'María', 'li', "o'neil", 'Anna-Lena', 'ravi', 'Søren'];
const LAST = ['doe', 'SMITH', 'van der Berg', 'Müller', 'nguyen', 'McKenzie', 'Rossi'];
const COMPANIES = ['acme robotics', 'Globex', 'Initech GmbH', 'umbrella corp', 'Stark Industries', 'Wayne Enterprises'];
const DOMAINS = ['acme-robotics.com', 'globex.de', 'initech.co.uk', 'umbrella.io', 'gmail.com', 'mailinator.com', 'outlook.com'];
const COUNTRIES = ['USA', 'Deutschland', 'UK', 'France', 'NL', 'Atlantis', '', 'United States of America'];
const PHONES = ['(415) 555-0132', '+44 20 7946 0958', '030 1234567', 'n/a', '', '+33 1 42 68 53 00'];

function generateLeads(count, seed = 42) {
	const r = rng(seed);
	const pick = (list) => list[Math.floor(r() * list.length)];
	const leads = [];
	for (let i = 0; i < count; i++) {
		const first = pick(FIRST);
		const last = pick(LAST);
		const domain = pick(DOMAINS);
		leads.push({
			Name: `${first} ${last}`,
			Email: r() < 0.05 ? 'not an email' : `${first.toLowerCase().replace(/[^a-z]/g, '')}.${i}@${domain}`,
			Phone: pick(PHONES),
			Company: pick(COMPANIES),
			Website: r() < 0.5 ? `https://www.${domain}/about` : '',
			Country: pick(COUNTRIES),
			Message: 'We would like pricing for 40 seats and a demo next week.',
			utm_source: r() < 0.7 ? 'LinkedIn' : '',
			utm_medium: 'paid',
			utm_campaign: 'q4',
			submittedAt: new Date(Date.UTC(2026, 10, 1 + (i % 28), i % 24, i % 60)).toISOString(),
		});
	}
	return leads;
}

const QUARTER_START = Date.UTC(2026, 8, 1);
const QUARTER_MS = 91 * 86_400_000;

/** Leads with the cardinality of real traffic: distinct people, companies, domains, titles and times. */
function generateRealisticLeads(count, seed = 42) {
	// Required here, not at the top: realistic-values needs rng from this module.
	const v = require('./realistic-values').realisticValues(seed);
	const r = v.random;
	const FREE = ['gmail.com', 'outlook.com', 'yahoo.com', 'gmx.de', 'web.de', 'hotmail.co.uk', 'icloud.com', 'mailinator.com'];
	const MESSAGES = ['We would like pricing for {n} seats.', 'Can we book a demo next week?', 'Our team of {n} needs a better way to route leads.', 'Do you integrate with our CRM?', 'Please send a quote for {n} licences.', 'We are evaluating tools for our field team of {n}.', ''];
	const PHONES = ['+1 415 555 {n}', '(212) 555-{n}', '+44 20 7946 {n}', '+49 30 1234{n}', '030 1234{n}', '+33 1 42 68 {n}', '+46 8 123 {n}', 'n/a', ''];
	const leads = [];
	for (let i = 0; i < count; i++) {
		const first = v.firstName();
		const last = v.lastName();
		const company = v.company(i);
		const domain = r() < 0.2 ? FREE[Math.floor(r() * FREE.length)] : v.domain(i);
		const n = String(1000 + Math.floor(r() * 9000));
		const local = `${first}.${last}`.toLowerCase().normalize('NFD').replace(/[^a-z.]/g, '');
		leads.push({
			Name: `${first} ${last}`,
			Email: r() < 0.03 ? 'not an email' : `${local || 'lead'}${i}@${domain}`,
			Phone: PHONES[Math.floor(r() * PHONES.length)].replace('{n}', n),
			Company: company,
			'Job Title': v.title(),
			Website: r() < 0.5 ? `https://www.${v.domain(i)}/` : '',
			Country: v.country(),
			Message: MESSAGES[Math.floor(r() * MESSAGES.length)].replace('{n}', String(5 + Math.floor(r() * 500))),
			utm_source: r() < 0.7 ? ['LinkedIn', 'google', 'newsletter', 'g2', 'partner-' + (i % 300)][Math.floor(r() * 5)] : '',
			utm_medium: ['paid', 'cpc', 'email', 'organic', 'referral'][Math.floor(r() * 5)],
			utm_campaign: `campaign-${i % 1500}`,
			// Any millisecond of a quarter (daylight saving time ends inside it), as real traffic arrives.
			submittedAt: new Date(QUARTER_START + Math.floor(r() * QUARTER_MS)).toISOString(),
		});
	}
	return leads;
}

module.exports = { generateLeads, generateRealisticLeads, rng };
