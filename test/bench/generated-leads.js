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

module.exports = { generateLeads, rng };
