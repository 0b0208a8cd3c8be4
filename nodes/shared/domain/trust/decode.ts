/**
 * The views of a text that the injection screen judges. An attacker hides instructions from a
 * pattern list by encoding them (base64, hex, URL or HTML escapes), by splitting words with
 * zero-width or spacing characters, or by swapping letters for look-alikes from other scripts; a
 * model reads through all of that. So the screen judges the text as a model would read it: each view
 * below is the same text with one kind of disguise taken off, and a payload found in any view counts.
 */

/** Invisible characters that split words for a pattern but not for a model. */
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]|\uDB40[\uDC00-\uDC7F]/g;

/**
 * Letters of other scripts that look like Latin ones (Cyrillic, Greek, Armenian and IPA look-alikes).
 * Full-width forms and mathematical letters (𝐢𝐠𝐧𝐨𝐫𝐞) are folded by NFKC before this map applies.
 */
const HOMOGLYPHS: Record<string, string> = {};
const pairs: Array<[string, string]> = [
	['аɑα', 'a'], ['Ааᴀ', 'A'], ['вʙ', 'b'], ['Вβ', 'B'], ['сϲς', 'c'], ['СϹ', 'C'], ['ԁ', 'd'], ['еєҽε', 'e'], ['ЕЁΕ', 'E'],
	['ғ', 'f'], ['ɡ', 'g'], ['һ', 'h'], ['НΗ', 'H'], ['іӏιɩ', 'i'], ['ІΙӀ', 'I'], ['ј', 'j'], ['ЈͿ', 'J'], ['κ', 'k'], ['КΚ', 'K'],
	['ʟ', 'l'], ['М', 'M'], ['Μ', 'M'], ['ո', 'n'], ['Ν', 'N'], ['оοօ', 'o'], ['ОΟՕ', 'O'], ['рρ', 'p'], ['РΡ', 'P'], ['ԛ', 'q'],
	['ѕ', 's'], ['Ѕ', 'S'], ['τ', 't'], ['ТΤ', 'T'], ['υս', 'u'], ['ѵν', 'v'], ['ԝѡ', 'w'], ['хχ', 'x'], ['ХΧ', 'X'], ['уγ', 'y'],
	['ҮΥ', 'Y'], ['ᴢ', 'z'], ['Ζ', 'Z'],
];
for (const [from, to] of pairs) for (const c of from) HOMOGLYPHS[c] = to;
const HOMOGLYPH_RE = new RegExp(`[${Object.keys(HOMOGLYPHS).join('')}]`, 'g');
/** A word that mixes Latin letters with look-alikes is a disguise; a whole word in Cyrillic or Greek is not touched. */
const MIXED_WORD = /[\p{L}\p{M}]+/gu;

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', colon: ':', sol: '/', lpar: '(', rpar: ')', comma: ',', period: '.', excl: '!', quest: '?', num: '#', lowbar: '_', equals: '=', newline: '\n' };

function decodeHtmlEntities(text: string): string {
	return text.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,8});?/gi, (m, body: string) => {
		if (body[0] === '#') {
			const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
			return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
		}
		return NAMED_ENTITIES[body.toLowerCase()] ?? m;
	});
}

function decodeEscapes(text: string): string {
	// %xx (URL), \xNN and \uNNNN (JavaScript, JSON, Python) escapes.
	let out = text.replace(/\\u\{?([0-9a-f]{4,6})\}?/gi, (m, h: string) => safeCodePoint(parseInt(h, 16), m)).replace(/\\x([0-9a-f]{2})/gi, (m, h: string) => safeCodePoint(parseInt(h, 16), m));
	if (/%[0-9a-f]{2}/i.test(out)) {
		out = out.replace(/(?:%[0-9a-f]{2})+/gi, (m) => {
			try {
				return decodeURIComponent(m);
			} catch {
				return m.replace(/%([0-9a-f]{2})/gi, (_x, h: string) => String.fromCharCode(parseInt(h, 16)));
			}
		});
	}
	return out;
}

function safeCodePoint(code: number, fallback: string): string {
	return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : fallback;
}

function foldHomoglyphs(text: string): string {
	if (!HOMOGLYPH_RE.test(text)) return text;
	HOMOGLYPH_RE.lastIndex = 0;
	return text.replace(MIXED_WORD, (word) => {
		const folded = word.replace(HOMOGLYPH_RE, (c) => HOMOGLYPHS[c]);
		// Only words that end up all Latin were disguised; real Cyrillic or Greek words stay as they are.
		return folded !== word && /^[\p{Script=Latin}\p{M}]+$/u.test(folded) ? folded : word;
	});
}

/** "i g n o r e", "i.g.n.o.r.e" and "i-g-n-o-r-e" read as one word. */
function joinSpacedLetters(text: string): string {
	const joined = text.replace(/(?<![\p{L}])(?:\p{L}[.\-_*·]){3,}\p{L}(?![\p{L}])/gu, (m) => m.replace(/[.\-_*·]/g, ''));
	// Letters spaced out one by one, words apart by wider gaps: join the letters, keep one space per gap.
	const tokens = joined.split(/\s+/).filter(Boolean);
	const single = tokens.filter((t) => /^\S$/u.test(t)).length;
	if (tokens.length < 6 || single / tokens.length < 0.6) return joined;
	return joined.replace(/(?<=\S) (?=\S)/g, '').replace(/\s{2,}/g, ' ');
}

const LEET: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i', '|': 'l' };
/** Words that mix letters with digits or symbols standing for letters ("1gn0re", "instruct10ns"). */
function unLeet(text: string): string {
	return text.replace(/[\p{L}0-9@$!|]{3,}/gu, (w) => (/\p{L}/u.test(w) && /[0-9@$!|]/.test(w) ? w.replace(/[0-9@$!|]/g, (c) => LEET[c] ?? c) : w));
}

function rot13(text: string): string {
	return text.replace(/[a-z]/gi, (c) => {
		const base = c <= 'Z' ? 65 : 97;
		return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
	});
}

/** Mostly readable text (letters, spaces, punctuation), not binary noise that happened to decode. */
function readable(text: string): boolean {
	if (text.length < 6) return false;
	if (/[\u0000-\u0008\u000E-\u001F\uFFFD]/.test(text)) return false;
	// Letters and spaces, or answer-shaped JSON: words with quotes, colons, commas and braces around them.
	const letters = (text.match(/[\p{L}]/gu) ?? []).length;
	const wordy = (text.match(/[\p{L}\p{N}\p{P}\s]/gu) ?? []).length;
	return letters / text.length >= 0.4 && wordy / text.length >= 0.9;
}

const BASE64_RUN = /[A-Za-z0-9+/_-]{16,}={0,2}/g;
const HEX_RUN = /\b(?:0x)?(?:[0-9a-f]{2}[\s:]?){8,}\b/gi;

/** Text hidden in base64 or hex runs, when it decodes to something readable. */
function decodedPayloads(text: string): string[] {
	const out: string[] = [];
	for (const run of text.match(BASE64_RUN) ?? []) {
		// A long word or a slug is not base64; real base64 of text mixes cases or digits.
		if (!/[A-Z]/.test(run) || !/[a-z]/.test(run)) continue;
		const decoded = Buffer.from(run.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
		if (readable(decoded)) out.push(decoded);
	}
	for (const run of text.match(HEX_RUN) ?? []) {
		const hex = run.replace(/^0x/i, '').replace(/[\s:]/g, '');
		if (hex.length % 2) continue;
		const decoded = Buffer.from(hex, 'hex').toString('utf8');
		if (readable(decoded)) out.push(decoded);
	}
	return out;
}

/**
 * Every view of `text` worth screening, the plain one first; views equal to an earlier one are left
 * out, so plain text costs one view. Decoded payloads are themselves unwrapped once more (base64 of
 * URL-encoded text, and so on).
 */
export function screeningViews(text: string): string[] {
	const views: string[] = [];
	const add = (v: string) => {
		if (v && !views.includes(v)) views.push(v);
	};
	const unwrap = (raw: string, depth: number) => {
		const base = raw.normalize('NFKC').replace(INVISIBLE, '');
		const unescaped = /[&%\\]/.test(base) ? decodeHtmlEntities(decodeEscapes(base)).normalize('NFKC').replace(INVISIBLE, '') : base;
		add(unescaped);
		const folded = foldHomoglyphs(unescaped);
		add(folded);
		add(joinSpacedLetters(folded));
		add(unLeet(folded));
		if (/rot-?13/i.test(folded)) add(rot13(folded));
		// Text written backwards, for a model told to read it backwards.
		if (/revers|backwards|r[üu]ckw[äa]rts|[àa] l['’]envers|al rev[ée]s|de tr[áa]s para|al contrario|achterstevoren|倒|逆/i.test(folded)) add([...folded].reverse().join(''));
		if (depth < 2) for (const payload of decodedPayloads(unescaped)) unwrap(payload, depth + 1);
	};
	unwrap(text, 0);
	return views;
}
