import fc from 'fast-check';
import { readMailEvent } from '../../nodes/shared/domain/drafting/mail-events';
import { claimSendSlot, sequenceDecision, SEQUENCE_DEFAULTS, sentPatch, type SendCapState } from '../../nodes/shared/domain/drafting/sequence';

const s = { ...SEQUENCE_DEFAULTS };
const NOW = Date.parse('2026-12-03T09:00:00Z');
const ago = (d: number) => new Date(NOW - d * 86_400_000).toISOString();

describe('sequence rules', () => {
	it('makes a lead due after its tier\'s quiet days, then every gap, until the last touch', () => {
		expect(sequenceDecision({ lastTouchAt: ago(15) }, 'T3', NOW, s)).toMatchObject({ due: true, touch: 1 });
		expect(sequenceDecision({ lastTouchAt: ago(15) }, 'T2', NOW, s)).toMatchObject({ due: false, stopped: null, reason: 'quiet for 15 of 21 days (T2)' });
		expect(sequenceDecision({ lastTouchAt: ago(40), repliedAt: ago(10) }, 'T3', NOW, s)).toMatchObject({ due: false, reason: 'quiet for 10 of 14 days (T3)' }); // a reply counts as a touch
		expect(sequenceDecision({ lastTouchAt: ago(40), ...sentPatch(1, ago(3)) }, 'T3', NOW, s)).toMatchObject({ due: false, reason: 'message 1 was sent 3 of 7 days ago' });
		expect(sequenceDecision({ lastTouchAt: ago(40), sequenceStartedAt: ago(8), sequenceTouches: 1, lastSequenceAt: ago(8) }, 'T3', NOW, s)).toMatchObject({ due: true, touch: 2 });
		expect(sequenceDecision({ lastTouchAt: ago(60), sequenceTouches: 3, lastSequenceAt: ago(20) }, 'T3', NOW, s)).toMatchObject({ due: false, stopped: 'finished' });
		expect(sequenceDecision({}, 'T3', NOW, s)).toMatchObject({ due: false, stopped: null, reason: 'no touch on record to be quiet since' });
	});

	it('starts an outbound sequence at once for a picked lead, unless a conversation is going on', () => {
		expect(sequenceDecision({}, 'T3', NOW, s, 'outbound')).toMatchObject({ due: true, touch: 1, reason: 'first outbound message' });
		expect(sequenceDecision({ lastTouchAt: ago(3) }, 'T3', NOW, s, 'outbound')).toMatchObject({ due: false, stopped: null, reason: 'touched 3 of 7 days ago: outbound waits for a quiet gap' });
		expect(sequenceDecision({ lastTouchAt: ago(30), repliedAt: ago(2) }, 'T2', NOW, s, 'outbound').due).toBe(false);
		expect(sequenceDecision({ lastTouchAt: ago(9) }, 'T1', NOW, s, 'outbound')).toMatchObject({ due: true, touch: 1 });
		expect(sequenceDecision({ ...sentPatch(1, ago(8)) }, 'T3', NOW, s, 'outbound')).toMatchObject({ due: true, touch: 2 });
		expect(sequenceDecision({ ...sentPatch(1, ago(8)), repliedAt: ago(1) }, 'T3', NOW, s, 'outbound').stopped).toBe('replied');
		expect(sequenceDecision({ unsubscribed: true }, 'T3', NOW, s, 'outbound').stopped).toBe('unsubscribed');
		expect(sequenceDecision({ consent: 'withdrawn' }, 'T3', NOW, s, 'outbound').stopped).toBe('unsubscribed');
	});

	it('stops for good on an unsubscribe or a bounce, and on a reply, a meeting, the owner or a closed status', () => {
		const quiet = { lastTouchAt: ago(60) };
		expect(sequenceDecision({ ...quiet, unsubscribedAt: ago(1) }, 'T3', NOW, s).stopped).toBe('unsubscribed');
		expect(sequenceDecision({ ...quiet, bouncedAt: ago(1) }, 'T3', NOW, s).stopped).toBe('bounced');
		expect(sequenceDecision({ ...quiet, unsubscribedAt: 'yes' }, 'T3', NOW, s).stopped).toBe('unsubscribed'); // not a date, still a no
		expect(sequenceDecision({ ...quiet, status: 'Qualified' }, 'T3', NOW, s).stopped).toBe('closed');
		expect(sequenceDecision({ ...quiet, meetingBookedAt: ago(2) }, 'T3', NOW, s).stopped).toBe('meetingBooked');
		expect(sequenceDecision({ ...quiet, ownerTookOverAt: ago(2) }, 'T3', NOW, s).stopped).toBe('ownerTookOver');
		expect(sequenceDecision({ ...quiet, sequenceStartedAt: ago(20), sequenceTouches: 2, lastSequenceAt: ago(9), repliedAt: ago(12) }, 'T3', NOW, s).stopped).toBe('replied');
		// A reply from before the sequence started does not stop it.
		expect(sequenceDecision({ ...quiet, sequenceStartedAt: ago(20), sequenceTouches: 1, lastSequenceAt: ago(20), repliedAt: ago(50) }, 'T3', NOW, s)).toMatchObject({ due: true, touch: 2 });
	});

	it('never makes an unsubscribed or bounced lead due, and never goes past the last touch, whatever else the record says (property)', () => {
		const anyDate = fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 400 }).map(ago), fc.string({ maxLength: 5 }), fc.constant(null));
		fc.assert(
			fc.property(
				fc.record({ lastTouchAt: anyDate, repliedAt: anyDate, unsubscribedAt: anyDate, bouncedAt: anyDate, sequenceStartedAt: anyDate, lastSequenceAt: anyDate, sequenceTouches: fc.oneof(fc.integer({ min: -2, max: 6 }), fc.constant('2' as unknown as number)), status: fc.constantFrom('new', 'working', 'qualified', undefined) }),
				fc.constantFrom('T1', 'T2', 'T3', 'x', 3),
				(lead, tier) => {
					const d = sequenceDecision(lead as Record<string, unknown>, tier, NOW, s);
					const gone = [lead.unsubscribedAt, lead.bouncedAt].some((v) => v !== undefined && v !== null && v !== '');
					if (gone && d.due) return false;
					return !d.due || (d.touch !== null && d.touch >= 1 && d.touch <= s.maxTouches);
				},
			),
			{ seed: 1903, numRuns: 3000 },
		);
	});

	it('holds the daily cap per sender across any order of claims, and starts again the next day (property)', () => {
		fc.assert(
			fc.property(fc.array(fc.tuple(fc.constantFrom('ana', 'ben'), fc.constantFrom('2026-12-03', '2026-12-04')), { maxLength: 60 }), fc.integer({ min: 1, max: 5 }), (claims, cap) => {
				let state: SendCapState | null = null;
				const granted = new Map<string, number>();
				for (const [sender, day] of claims.sort((a, b) => a[1].localeCompare(b[1]))) {
					const { value, result } = claimSendSlot(state, day, sender, cap);
					state = value;
					if (result.granted) granted.set(`${day}|${sender}`, (granted.get(`${day}|${sender}`) ?? 0) + 1);
				}
				const wanted = new Map<string, number>();
				for (const [sender, day] of claims) wanted.set(`${day}|${sender}`, (wanted.get(`${day}|${sender}`) ?? 0) + 1);
				return [...wanted].every(([k, n]) => (granted.get(k) ?? 0) === Math.min(n, cap));
			}),
			{ seed: 1904, numRuns: 1000 },
		);
	});
});

describe('mail events', () => {
	const at = new Date('2026-12-03T10:00:00Z');
	const read = (m: Parameters<typeof readMailEvent>[0]) => readMailEvent(m, at);
	const quoted = '\n\nOn Tue, Dec 1, 2026 at 9:00 AM Lena <lena@acme.example> wrote:\n> Hi Jonas,\n> Reply STOP or unsubscribe here: https://acme.example/unsubscribe';

	it('reads a reply, an unsubscribe, a bounce and an automatic reply', () => {
		expect(read({ from: 'Jonas Weber <Jonas@Kunde.example>', subject: 'Re: A quick idea', text: `Sounds good, call me Thursday.${quoted}` })).toMatchObject({ kind: 'reply', leadEmail: 'jonas@kunde.example', leadPatch: { repliedAt: at.toISOString() }, said: 'Sounds good, call me Thursday.' });
		expect(read({ from: 'jonas@kunde.example', subject: 'Re: A quick idea', text: `Please remove me from your list.${quoted}` })).toMatchObject({ kind: 'unsubscribe', leadPatch: { unsubscribedAt: at.toISOString(), repliedAt: at.toISOString() } });
		expect(read({ from: 'jonas@kunde.example', subject: 'Re: Idee', text: 'STOP' }).kind).toBe('unsubscribe');
		expect(read({ from: 'jonas@kunde.example', subject: 'Bitte abmelden', text: '' }).kind).toBe('unsubscribe');
		const dsn = 'This is the mail system at host mx.acme.example.\n\nReporting-MTA: dns; mx.acme.example\nFinal-Recipient: rfc822; gone@kunde.example\nAction: failed\nStatus: 5.1.1';
		expect(read({ from: 'MAILER-DAEMON@mx.acme.example', subject: 'Undelivered Mail Returned to Sender', text: dsn })).toMatchObject({ kind: 'bounce', leadEmail: 'gone@kunde.example', leadPatch: { bouncedAt: at.toISOString() } });
		expect(read({ from: 'postmaster@outlook.example', subject: 'Undeliverable: A quick idea', text: 'Delivery has failed.', headers: { 'X-Failed-Recipients': 'old@kunde.example' } }).leadEmail).toBe('old@kunde.example');
		expect(read({ from: 'mailer-daemon@x.example', subject: 'failure notice', text: 'no recipient named' })).toMatchObject({ kind: 'bounce', leadEmail: null, leadPatch: null });
		expect(read({ from: 'jonas@kunde.example', subject: 'Automatic reply: A quick idea', text: 'I am out of the office until Monday.' })).toMatchObject({ kind: 'autoReply', leadPatch: null });
		expect(read({ from: 'jonas@kunde.example', subject: 'Re: A quick idea', text: 'Back Monday.', headers: { 'Auto-Submitted': 'auto-replied' } }).kind).toBe('autoReply');
	});

	it('never unsubscribes anybody for our own footer in the quoted original, and never patches without an address', () => {
		fc.assert(
			fc.property(fc.constantFrom('Thanks!', 'Yes, Thursday works.', 'Can you send pricing?', 'Danke, passt.'), fc.constantFrom(quoted, '\n\n-----Original Message-----\nFrom: Lena\nTo unsubscribe reply STOP', '\n\n> Reply STOP to opt out'), (reply, original) => {
				expect(read({ from: 'a@kunde.example', subject: 'Re: Hello', text: `${reply}${original}` }).kind).toBe('reply');
			}),
			{ seed: 5, numRuns: 50 },
		);
		fc.assert(
			fc.property(fc.anything(), fc.anything(), fc.anything(), fc.anything(), (from, subject, text, headers) => {
				const e = readMailEvent({ from, subject, text, headers }, at);
				if (e.leadPatch) expect(e.leadEmail).toMatch(/@/);
			}),
			{ seed: 6, numRuns: 500 },
		);
	});
});
