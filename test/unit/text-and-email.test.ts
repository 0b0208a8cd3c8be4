import fc from 'fast-check';
import { normalizeEmail } from '../../nodes/shared/domain/email';
import { IssueList } from '../../nodes/shared/domain/issues';
import { cleanText, isBlankText, isWhiteSpaceCode, unpadText } from '../../nodes/shared/domain/text';

const codes = (issues: IssueList) => issues.items.map((i) => i.code);

describe('white space', () => {
	it('reads every UTF-16 code as white space exactly as /\\s/ does', () => {
		const differ: number[] = [];
		for (let c = 0; c <= 0xffff; c++) if (isWhiteSpaceCode(c) !== /\s/.test(String.fromCharCode(c))) differ.push(c);
		expect(differ).toEqual([]);
	});

	it('takes the padding off a text, and calls a text of white space only blank, as the regex definitions do', () => {
		const pieces = fc.constantFrom(' ', '  ', '\t', '\n', '\u00a0', '\u2003', '\ufeff', 'a', 'Germany', 'x y', '\u200b', '');
		fc.assert(
			fc.property(fc.array(pieces, { maxLength: 8 }).map((p) => p.join('')), (text) => {
				expect(unpadText(text)).toBe(/^\s|\s$/.test(text) ? text.replace(/\s+/g, ' ').trim() : text);
				expect(isBlankText(text)).toBe(text.trim() === '');
			}),
			{ numRuns: 5000, seed: 20261206 },
		);
		// A text without padding is handed back as the very string.
		const clean = 'Germany  and\tAustria';
		expect(unpadText(clean)).toBe(clean);
	});
});

describe('cleanText', () => {
	it.each([
		[undefined, null, []],
		[null, null, []],
		['  Jane   Doe \n', 'Jane Doe', []],
		[42, '42', []],
		[Number.NaN, null, ['not_text']],
		[true, null, ['not_text']],
		[{ a: 1 }, null, ['not_text']],
		[[], null, ['not_text']],
		[['first', 'second'], 'first', ['list_value']],
		['<b>Jane</b> &amp; co', 'Jane & co', ['html_removed']],
		['Ja\u0000ne\u202E', 'Jane', ['control_characters']],
		['مرحبا بالعالم', 'مرحبا بالعالم', []],
		['😀 Corp', '😀 Corp', []],
		['   ', null, []],
	])('%p -> %p', (input, expected, expectedCodes) => {
		const issues = new IssueList();
		expect(cleanText(input, 'f', issues)).toBe(expected);
		expect(codes(issues)).toEqual(expectedCodes);
	});

	it('cuts over-long text and says so, fast even for a megabyte', () => {
		const issues = new IssueList();
		const started = process.hrtime.bigint();
		const out = cleanText('a'.repeat(1_000_000), 'company', issues, 200);
		expect(out).toHaveLength(200);
		expect(codes(issues)).toEqual(['too_long']);
		// A sanity bound, not a benchmark: quadratic work on 1 MB would take seconds.
		expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(500);
	});

	/**
	 * Every cleaning step, written out as the node's documentation states them, so the shortcut for
	 * values that need no cleaning can be held to them: same text, same flags.
	 */
	function cleanedStepByStep(raw: string, maxLength: number): { text: string | null; codes: string[] } {
		const flagged: string[] = [];
		let text = raw.length > maxLength * 4 ? raw.slice(0, maxLength * 4) : raw;
		text = text.normalize('NFC');
		const withoutControls = text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\u200B\uFEFF]/g, '');
		if (withoutControls !== text) flagged.push('control_characters');
		text = withoutControls;
		const withoutTags = text.replace(/<\/?[a-zA-Z][^<>]{0,500}>/g, ' ');
		if (withoutTags !== text) flagged.push('html_removed');
		text = withoutTags.replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' ' })[e] ?? m);
		text = text.replace(/\s+/g, ' ').trim();
		if (text.length > maxLength) {
			flagged.push('too_long');
			text = text.slice(0, maxLength).trim();
		}
		return { text: text === '' ? null : text, codes: flagged };
	}

	it('gives what every cleaning step gives, for text near the edges of what needs no cleaning', () => {
		// Characters on both sides of each edge of the shortcut: spaces, markup, entities, controls,
		// the ends of Latin-1 and Latin Extended-A, a no-break space, combining marks, other scripts.
		const edges = [' ', '  ', '\t', '\n', '<', '>', '&', '&amp;', '&nbsp;', '<b>', '</i>', '!', '~', '\u007f', '\u0085', '\u009f', '\u00a0', '\u00a1', '\u00e9', '\u00ff', '\u0100', '\u017f', '\u0180', 'e\u0301', '\u0301', '\u202e', '\u200b', '\ufeff', '\u00ad', 'ß', 'Ω', 'я', '中', '😀', 'a', 'Z', '0', '.', '@', '+', '-'];
		fc.assert(
			fc.property(fc.array(fc.constantFrom(...edges), { maxLength: 12 }), fc.integer({ min: 1, max: 30 }), (parts, maxLength) => {
				const raw = parts.join('');
				const issues = new IssueList();
				const text = cleanText(raw, 'f', issues, maxLength);
				expect({ text, codes: codes(issues) }).toEqual(cleanedStepByStep(raw, maxLength));
			}),
			{ numRuns: 5000 },
		);
	});
});

describe('normalizeEmail', () => {
	it('lower-cases and extracts addresses from common wrappers', () => {
		for (const input of ['Jane.Doe@ACME.com', ' Jane Doe <jane.doe@acme.com> ', 'mailto:jane.doe@acme.com?subject=Hi']) {
			const facts = normalizeEmail(input, new IssueList());
			expect(facts).toMatchObject({ email: 'jane.doe@acme.com', domain: 'acme.com', valid: true, freeMail: false, disposable: false });
		}
	});

	it.each([
		['jane', 'one @'],
		['jane@', 'one @'],
		['@acme.com', 'one @'],
		['jane..doe@acme.com', 'dots'],
		['.jane@acme.com', 'dots'],
		['jane doe@acme.com', 'characters'],
		['jane@acme', 'top-level domain'],
		['jane@acme.notarealtld', 'top-level domain'],
		['jane@127.0.0.1', 'top-level domain'],
		[`${'a'.repeat(65)}@acme.com`, '64'],
	])('rejects %s', (input, reason) => {
		const issues = new IssueList();
		expect(normalizeEmail(input, issues).valid).toBe(false);
		expect(issues.errors[0].code).toBe('email_invalid');
		expect(issues.errors[0].message).toContain(reason);
	});

	it('flags free-mail, disposable (also on subdomains) and role accounts from the maintained lists', () => {
		let issues = new IssueList();
		expect(normalizeEmail('someone@gmail.com', issues)).toMatchObject({ valid: true, freeMail: true, disposable: false });
		expect(codes(issues)).toEqual(['email_free_mail']);

		issues = new IssueList();
		expect(normalizeEmail('x@mailinator.com', issues)).toMatchObject({ valid: true, disposable: true, freeMail: false });
		expect(codes(issues)).toEqual(['email_disposable']);

		issues = new IssueList();
		expect(normalizeEmail('x@eu.mailinator.com', issues).disposable).toBe(true);

		issues = new IssueList();
		expect(normalizeEmail('sales@acme.com', issues).roleAccount).toBe(true);
		expect(codes(issues)).toEqual(['email_role_account']);
	});

	it('accepts internationalised domains in their ASCII form', () => {
		expect(normalizeEmail('info@münchen.de', new IssueList())).toMatchObject({ valid: true, domain: 'xn--mnchen-3ya.de' });
	});
});
