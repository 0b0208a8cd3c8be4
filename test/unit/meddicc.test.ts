import { DateTime } from 'luxon';
import { dealContacts, existingFromRecord, readParticipants } from '../../nodes/shared/domain/meddicc/crm';
import { EvidenceIndex, normalizeForMatch } from '../../nodes/shared/domain/meddicc/evidence';
import { MeddiccExtractor } from '../../nodes/shared/domain/meddicc/extractor';
import { checkEvidence, completeness, dealRisks, mergeParts, mergeWithCrm, MEDDICC_FIELDS, type MeddiccAnswer, type MeddiccField } from '../../nodes/shared/domain/meddicc/meddicc';
import { parseStageCriteria, stageProgress } from '../../nodes/shared/domain/meddicc/stage-exit';
import { parseTranscript, splitSegments } from '../../nodes/shared/domain/meddicc/transcript';

const TRANSCRIPT = `[00:00:05] Sam (Seller): Thanks for joining. What is driving this?
[00:00:20] Priya Shah: Our reps lose about 6 hours a week updating the CRM by hand, and forecast calls are guesswork.
[00:01:10] Priya Shah: We need to cut that to under 1 hour per rep by the end of Q2.
[00:02:00] Priya Shah: Our CFO, Daniel Okafor, signs anything above 50k and he wants a business case.
[00:02:40] Priya Shah: I'm pushing hard for this internally; I'll set up the meeting with Daniel.
[00:03:30] Priya Shah: We are also evaluating Clari and have a demo with them next week.
[00:04:00] Priya Shah: Someone mentioned Gong at a conference once, no idea what it does.
[00:05:10] Priya Shah: Security review and procurement take about six weeks after the decision.`;

const FIELDS = MEDDICC_FIELDS.filter((f) => f !== 'paperProcess');
const unknown = { value: null, state: 'unknown' as const, confidence: 0, evidence: [] };
const answer = (fields: Partial<Record<MeddiccField, { value: string | null; state: 'stated' | 'implied' | 'unknown'; confidence: number; evidence: Array<{ quote: string }> }>>, contacts: MeddiccAnswer['contacts'] = []): MeddiccAnswer =>
	({ fields: Object.fromEntries(FIELDS.map((f) => [f, fields[f] ?? unknown])), contacts }) as MeddiccAnswer;

describe('transcripts', () => {
	it('reads speakers and timestamps from the usual line formats, and segment arrays', () => {
		const segments = parseTranscript(TRANSCRIPT);
		expect(segments[1]).toEqual({ timestamp: '00:00:20', speaker: 'Priya Shah', text: expect.stringContaining('6 hours a week') });
		expect(parseTranscript('Jane (12:03): hello there\nplain note line')).toEqual([
			{ speaker: 'Jane', timestamp: '12:03', text: 'hello there' },
			{ speaker: null, timestamp: null, text: 'plain note line' },
		]);
		expect(parseTranscript([{ speaker: 'A', start: '0:01', text: 'hi' }, { text: '' }])).toEqual([{ speaker: 'A', timestamp: '0:01', text: 'hi' }]);
	});

	it('splits long inputs on segment boundaries within the token budget', () => {
		const segments = Array.from({ length: 100 }, (_, i) => ({ speaker: 'A', timestamp: null, text: `${'word '.repeat(80)}${i}` }));
		const parts = splitSegments(segments, 1000);
		expect(parts.length).toBeGreaterThan(1);
		expect(parts.flatMap((p) => p.segments)).toHaveLength(100);
		expect(parts[1].start).toBe(parts[0].segments.length);
	});
});

describe('evidence check', () => {
	const segments = parseTranscript(TRANSCRIPT);
	const index = new EvidenceIndex(segments);

	it('finds quotes despite case, whitespace and quote-mark differences, with speaker and time', () => {
		expect(index.find('our CFO,  Daniel Okafor, SIGNS anything above 50k')).toEqual({ segmentIndex: 3, speaker: 'Priya Shah', timestamp: '00:02:00' });
		expect(index.find('I’m pushing hard for this internally')).toMatchObject({ segmentIndex: 4 });
	});

	it('does not find paraphrases, changed words or quotes spanning two turns', () => {
		expect(index.find('Our CFO Daniel approves anything above 50k')).toBeNull();
		expect(index.find('cut that to under 2 hours per rep')).toBeNull();
		expect(index.find('business case. I\'m pushing hard')).toBeNull();
		expect(index.find('yes')).toBeNull();
	});

	it('rejects fabricated and paraphrased evidence and competitors named in passing; keeps backed claims', () => {
		const result = checkEvidence(
			answer(
				{
					metrics: { value: 'Cut CRM updating from 6 to under 1 hour per rep per week by end of Q2', state: 'stated', confidence: 0.9, evidence: [{ quote: 'Our reps lose about 6 hours a week updating the CRM by hand' }, { quote: 'We need to cut that to under 1 hour per rep by the end of Q2.' }] },
					economicBuyer: { value: 'Daniel Okafor (CFO)', state: 'stated', confidence: 0.9, evidence: [{ quote: 'Our CFO Daniel approves anything above 50k' }] },
					decisionProcess: { value: 'Board vote in March', state: 'stated', confidence: 0.8, evidence: [{ quote: 'The board votes on this in March' }] },
					competition: { value: 'Gong', state: 'stated', confidence: 0.7, evidence: [{ quote: 'Someone mentioned Gong at a conference once' }] },
					champion: { value: 'Priya Shah', state: 'implied', confidence: 0.7, evidence: [{ quote: "I'm pushing hard for this internally" }] },
				},
				[
					{ name: 'Daniel Okafor', role: 'economic_buyer', quote: 'Our CFO, Daniel Okafor, signs anything above 50k' },
					{ name: 'Dan Okafor', role: 'economic_buyer', quote: 'Our CFO, Daniel Okafor, signs anything above 50k' },
				],
			),
			index,
			FIELDS,
		);
		expect(result.fields.metrics).toMatchObject({ state: 'stated', evidence: [{ speaker: 'Priya Shah', timestamp: '00:00:20' }, { speaker: 'Priya Shah', timestamp: '00:01:10' }] });
		expect(result.fields.champion).toMatchObject({ value: 'Priya Shah', state: 'implied' });
		for (const f of ['economicBuyer', 'decisionProcess', 'competition'] as const) expect(result.fields[f]).toMatchObject({ state: 'unknown', value: null });
		expect(result.rejectedClaims).toEqual([
			{ field: 'economicBuyer', value: 'Daniel Okafor (CFO)', reason: expect.stringContaining('not found') },
			{ field: 'decisionProcess', value: 'Board vote in March', reason: expect.stringContaining('not found') },
			{ field: 'competition', value: 'Gong', reason: expect.stringContaining('in passing') },
			{ field: 'contact', value: 'Dan Okafor (economic_buyer)', reason: expect.stringContaining('does not name this person') },
		]);
		expect(result.contacts).toEqual([{ name: 'Daniel Okafor', role: 'economic_buyer', evidence: [expect.objectContaining({ timestamp: '00:02:00' })] }]);
	});

	it('keeps a competitor the buyer is evaluating', () => {
		const result = checkEvidence(answer({ competition: { value: 'Clari', state: 'stated', confidence: 0.9, evidence: [{ quote: 'We are also evaluating Clari and have a demo with them next week.' }] } }), index, FIELDS);
		expect(result.fields.competition).toMatchObject({ value: 'Clari', state: 'stated' });
	});
});

describe('merging, completeness and risks', () => {
	const stated = (value: string, quote: string, confidence = 0.9) => ({ value, state: 'stated' as const, confidence, evidence: [{ quote, speaker: 'P', timestamp: null }] });

	it('merges parts: best-supported value, evidence without duplicates', () => {
		const merged = mergeParts(
			[
				{ fields: { metrics: { ...stated('6h to 1h', 'quote one'), state: 'implied' as const } }, contacts: [{ name: 'Priya', role: 'unknown', evidence: [] }], rejectedClaims: [] },
				{ fields: { metrics: stated('6h to 1h', 'quote two') }, contacts: [{ name: 'priya', role: 'champion', evidence: [] }], rejectedClaims: [{ field: 'competition', value: 'X', reason: 'r' }] },
				{ fields: { metrics: stated('6h to 1h', 'Quote two') }, contacts: [], rejectedClaims: [] },
			],
			FIELDS,
		);
		expect(merged.fields.metrics).toMatchObject({ state: 'stated', evidence: [{ quote: 'quote two' }, { quote: 'quote one' }] });
		expect(merged.contacts).toEqual([{ name: 'Priya', role: 'champion', evidence: [] }]);
		expect(merged.rejectedClaims).toHaveLength(1);
		expect(merged.fields.champion).toMatchObject({ state: 'unknown' });
	});

	it('never overwrites validated CRM values; write policies decide the rest', () => {
		const extracted = { fields: { economicBuyer: stated('Daniel Okafor', 'q'), metrics: stated('1h per rep', 'q'), identifyPain: stated('manual CRM updates', 'q'), champion: stated('Priya', 'q') }, contacts: [], rejectedClaims: [] };
		const merged = mergeWithCrm(
			extracted,
			{ economicBuyer: { value: 'Maria Lopez', validated: true }, metrics: { value: 'old', validated: false }, champion: { value: 'Priya', validated: false } },
			{ identifyPain: 'suggest', decisionProcess: 'never' },
			FIELDS,
		);
		expect(merged.fields.economicBuyer).toEqual({ value: 'Maria Lopez', state: 'kept', confidence: 1, evidence: [] });
		expect(merged.crmPatch).toEqual({ metrics: '1h per rep' });
		expect(merged.record).toEqual({ economicBuyer: { value: 'Maria Lopez', validated: true }, metrics: { value: '1h per rep', validated: false }, champion: { value: 'Priya', validated: false } });
		expect(merged.suggestions.map((s) => [s.field, s.current, s.suggested])).toEqual([
			['economicBuyer', 'Maria Lopez', 'Daniel Okafor'],
			['identifyPain', null, 'manual CRM updates'],
		]);
	});

	it('scores completeness with weights and asks for what is missing or weak', () => {
		const c = completeness({ metrics: stated('x', 'q'), identifyPain: { ...stated('y', 'q'), state: 'implied' } }, { metrics: 3 }, FIELDS);
		// 3 (metrics) + 0.5 (pain) of 3 + 6
		expect(c.score).toBe(Math.round((3.5 / 9) * 100));
		expect(c.missing).toContain('economicBuyer');
		expect(c.weak).toEqual(['identifyPain']);
		expect(c.questions.find((q) => q.field === 'economicBuyer')?.question).toMatch(/budget/);
	});

	it('flags deal risks, stalled from the last activity date', () => {
		const now = DateTime.fromISO('2026-11-21T00:00:00Z', { zone: 'utc' });
		const flags = dealRisks({ competition: stated('Clari', 'q'), economicBuyer: stated('D', 'q') }, '2026-10-01T00:00:00Z', 30, now);
		expect(flags.map((f) => f.id)).toEqual(['no-champion', 'competitor-present', 'no-decision-process', 'stalled']);
		expect(flags.at(-1)!.reason).toBe('last activity 51 days ago (more than 30)');
		expect(dealRisks({}, 'not a date', 30, now).map((f) => f.id)).not.toContain('stalled');
	});
});

describe('the extractor', () => {
	it('keeps the format out of the editable prompt, adds Paper Process on request, and needs one request per 8,000 tokens at most', () => {
		const x = new MeddiccExtractor({ prompt: 'Qualify: {{fields}}', paperProcess: true, maxTokensPerPart: 8000 });
		expect(x.fields).toContain('paperProcess');
		expect(x.systemPrompt).toMatch(/^Qualify: metrics \(Metrics\)/);
		expect(x.systemPrompt).toContain('word for word');
		const long = Array.from({ length: 2000 }, (_, i) => ({ speaker: i % 2 ? 'Buyer' : 'Seller', timestamp: null, text: `${'we talked about the rollout plan and timing '.repeat(4)}${i}` }));
		const parts = x.parts(long);
		const tokens = parts.reduce((s, p) => s + p.tokens, 0);
		expect(parts.length).toBeLessThanOrEqual(Math.ceil(tokens / 8000) + 1);
		expect(parts[0].user).toContain('<untrusted_input name="transcript">');
		expect(new MeddiccExtractor({ prompt: '', paperProcess: false, maxTokensPerPart: 7000 }).fields).not.toContain('paperProcess');
	});
});

describe('MEDDICC and the CRM: deal contacts and stage exit criteria', () => {
	const said = (value: string, confidence = 0.9) => ({ value, state: 'stated' as const, confidence, evidence: [{ quote: `${value}!`, speaker: 'Ann', timestamp: null }] });

	it('gives a contact an e-mail only from a participant of that name; an ambiguous first name gets none', () => {
		const participants = readParticipants(JSON.stringify([{ name: 'José Núñez', email: 'JOSE@acme.com' }, { name: 'Ann Lee', email: 'ann@acme.com' }, { name: 'Ann Berg', email: 'ann.b@acme.com' }, { name: 'Bob', email: 'no email' }, 'junk', null]));
		expect(participants.map((p) => p.email)).toEqual(['jose@acme.com', 'ann@acme.com', 'ann.b@acme.com', null]);
		const contacts = dealContacts(
			[
				{ name: 'jose nunez', role: 'champion' as const, evidence: [] },
				{ name: 'Ann', role: 'blocker' as const, evidence: [] },
				{ name: 'Bob', role: 'influencer' as const, evidence: [] },
				{ name: 'Zoe Park', role: 'economic_buyer' as const, evidence: [{ quote: 'I sign', speaker: 'Zoe Park', timestamp: '00:01:00' }] },
			],
			participants,
		);
		expect(contacts.map((c) => [c.name, c.email, c.dealRole])).toEqual([
			['José Núñez', 'jose@acme.com', 'Champion'],
			['Ann', null, 'Blocker'],
			['Bob', null, 'Influencer'],
			['Zoe Park', null, 'Economic Buyer'],
		]);
		expect(contacts[3].evidence).toEqual(['"I sign" (Zoe Park, 00:01:00)']);
		expect(readParticipants('not json')).toEqual([]);
	});

	it("reads an opportunity record's MEDDICC fields and which a person validated, and nothing from other shapes", () => {
		expect(existingFromRecord({ fields: { meddiccChampion: 'Priya', meddiccMetrics: '', name: 'x' }, validated: ['meddiccChampion'] })).toEqual({ champion: { value: 'Priya', validated: true } });
		expect(existingFromRecord({ champion: { value: 'Priya' } })).toBeNull();
		expect(existingFromRecord(null)).toBeNull();
	});

	it('is ready only when every required field is stated or validated and completeness is reached', () => {
		const criteria = parseStageCriteria({ discovery: { next: 'Demo', requires: ['identifyPain', 'champion'], minCompleteness: 40 } });
		const kept = { value: 'Priya', state: 'kept' as const, confidence: 1, evidence: [] };
		// Stage names match without case.
		expect(stageProgress('Discovery', criteria, { identifyPain: said('pain', 0.7), champion: kept }, 50)).toMatchObject({ ready: true, next: 'Demo', confidence: 0.7, ruleId: 'exit:discovery' });
		expect(stageProgress('Discovery', criteria, { identifyPain: { ...said('pain'), state: 'implied' as const }, champion: kept }, 50)).toMatchObject({ ready: false, missing: ['Identify Pain'] });
		expect(stageProgress('Discovery', criteria, { identifyPain: said('pain'), champion: kept }, 30)).toMatchObject({ ready: false, missing: ['completeness 30 < 40'] });
		expect(stageProgress('', criteria, {}, 100)).toMatchObject({ ready: false, next: null, current: null });
		expect(() => parseStageCriteria('{"Discovery": {"requires": ["identifyPain"]}}')).toThrow(/Discovery\.next/);
		expect(() => parseStageCriteria('{')).toThrow(/not valid JSON/);
	});
});

describe('normalizeForMatch', () => {
	it('folds exactly as the one-pass version it replaced (NFKC, lower case, typographic marks, whitespace runs)', () => {
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const fc = require('fast-check') as typeof import('fast-check');
		const FOLD: Record<string, string> = {};
		for (const c of '\u2018\u2019\u201A\u201B\u2032\u0060\u00B4') FOLD[c] = "'";
		for (const c of '\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB') FOLD[c] = '"';
		for (const c of '\u2010\u2011\u2012\u2013\u2014\u2015\u2212') FOLD[c] = '-';
		FOLD['\u2026'] = '...';
		const ONE_PASS = /[\u2018\u2019\u201A\u201B\u2032\u0060\u00B4\u201C\u201D\u201E\u201F\u2033\u00AB\u00BB\u2010-\u2015\u2212\u2026]|\s+/g;
		const reference = (text: string) => text.normalize('NFKC').toLowerCase().replace(ONE_PASS, (c) => FOLD[c] ?? ' ').trim();
		const pieces = ['We', 'need', ' ', '  ', '\t', '\n', '\u00a0', '\u2003', '\u2019', '\u201C', '\u2014', '\u2026', '\uFB01', 'İ', 'Σ', 'ß', '\u2460', 'é', 'e\u0301', 'ＡＢ', '"', "'", '-', '40%', '\u0001', '\r\n', '\u000b', '\u3000', '\ufeff', '\u2028', ' \t '];
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 20 }), (parts) => {
				const text = parts.join('');
				expect(normalizeForMatch(text)).toBe(reference(text));
			}),
			{ numRuns: 5000, seed: 20261203 },
		);
	});
});
