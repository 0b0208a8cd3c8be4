import { checkForInjection } from './injection-screen';

/**
 * Grounding as support, not word overlap. A claim is supported when every fact in it (a number with
 * its unit, an amount of money, a percentage, a date, a name) stands in its evidence with the same
 * meaning: "$50k" is not backed by "50 employees", "March 3" not by "March 30", "Dana Lee" not by a
 * quote about "Lee Industries" alone. Sentences of the source that are instructions or requests to
 * record something ("note in your CRM that ...") are never evidence.
 */

export type FactKind = 'money' | 'percent' | 'count' | 'number' | 'date' | 'name';

export interface Fact {
	kind: FactKind;
	/** Canonical form compared between claim and evidence ("money:50000", "date:3-3"). */
	key: string;
	/** As written in the claim. */
	text: string;
}

const MONTHS: Record<string, number> = {};
[
	['january jan januar janvier enero janeiro gennaio januari 一月', 1],
	['february feb februar février fevrier febrero fevereiro febbraio februari 二月', 2],
	['march mar märz maerz mars marzo março marco maart 三月', 3],
	['april apr avril abril aprile 四月', 4],
	['may mai mayo maio maggio mei 五月', 5],
	['june jun juni juin junio junho giugno 六月', 6],
	['july jul juli juillet julio julho luglio 七月', 7],
	['august aug août aout agosto augustus 八月', 8],
	['september sep sept septembre septiembre setembro settembre 九月', 9],
	['october oct oktober octobre octubre outubro ottobre 十月', 10],
	['november nov novembre noviembre novembro 十一月', 11],
	['december dec dezember décembre decembre diciembre dezembro dicembre 十二月', 12],
].forEach(([names, n]) => (names as string).split(' ').forEach((m) => (MONTHS[m] = n as number)));
const MONTH_RE = Object.keys(MONTHS)
	.sort((a, b) => b.length - a.length)
	.join('|');

const CURRENCY = '(?:\\$|€|£|¥|usd|eur|gbp|chf|jpy|dollars?|euros?|pounds?|dólares|dolares|reais|franken|francs)';
const SCALE: Record<string, number> = { k: 1e3, thousand: 1e3, tausend: 1e3, mil: 1e3, mille: 1e3, m: 1e6, mm: 1e6, mn: 1e6, million: 1e6, millions: 1e6, mio: 1e6, millionen: 1e6, millón: 1e6, millones: 1e6, milhão: 1e6, milhões: 1e6, milioni: 1e6, miljoen: 1e6, b: 1e9, bn: 1e9, billion: 1e9, mrd: 1e9, 万: 1e4, 億: 1e8, 亿: 1e8 };
const SCALE_RE = '(?:k|thousand|tausend|mille|mm|mn|m|million|millions|mio|millionen|millón|millones|milhão|milhões|milioni|miljoen|bn|b|billion|mrd|万|億|亿)';
const NUM = '\\d{1,3}(?:[,.\\s]\\d{3})+(?:[.,]\\d+)?|\\d+(?:[.,]\\d+)?';
const NUMBER_RE = new RegExp(`(${CURRENCY})?\\s?(${NUM})\\s?(${SCALE_RE}(?![\\p{L}]))?\\s?(${CURRENCY}|%|percent|prozent|pour ?cent|por ?ciento|por ?cento|per ?cento|procent)?(?:\\s*(?<=\\s)([\\p{L}]{3,}))?`, 'giu');
const DATE_RES = [
	new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th|\\.|er)?\\s+(?:de\\s+)?(${MONTH_RE})\\b`, 'giu'),
	new RegExp(`\\b(${MONTH_RE})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b`, 'giu'),
	/\b(\d{4})-(\d{2})-(\d{2})\b/g,
	/\bq([1-4])\s*(?:fy)?\s*'?(\d{2,4})?\b/gi,
];
// Capitalised words that start a name; sentence-initial words are judged by whether they stand alone.
const NAME_RE = /(?<![\p{L}\p{N}])\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+)*/gu;
const COMMON = new Set(
	'a an and the this that these those it its is are was were be been has have had do does did will would can could should may might must our your their his her we you they he she i of in on at to for from by with about as or if but not no yes per via into over under than then so also just only very more most less least next last new they lead intent they wrote summary customer company team next step please hi hello thanks thank dear regards best kind send book call demo pricing asap urgent monday tuesday wednesday thursday friday saturday sunday today tomorrow'.split(' '),
);

function toNumber(text: string): number {
	const t = text.replace(/\s/g, '');
	// "1,200,000" and "1.200.000" group thousands; "3,5" and "3.5" are decimals.
	if (/^\d{1,3}([,.]\d{3})+$/.test(t)) return Number(t.replace(/[,.]/g, ''));
	return Number(t.replace(',', '.'));
}

function unitClass(noun: string | undefined): string {
	if (!noun) return '';
	const n = noun.toLowerCase();
	if (/^(employees?|people|staff|heads?|fte|mitarbeiter\w*|salariés|employés|empleados|funcionários|dipendenti|medewerkers)$/.test(n)) return 'people';
	if (/^(users?|seats?|licen[cs]es?|nutzer|lizenzen|utilisateurs|licences|usuarios|licencias|usuários|licenças|utenti|licenze|gebruikers|licenties)$/.test(n)) return 'seats';
	if (/^(days?|tage[n]?|jours?|días|dias|giorni|dagen)$/.test(n)) return 'days';
	if (/^(weeks?|wochen|semaines?|semanas?|settimane|weken)$/.test(n)) return 'weeks';
	if (/^(months?|monate[n]?|mois|meses|mesi|maanden)$/.test(n)) return 'months';
	if (/^(years?|jahre[n]?|ans|années|años|anos|anni|jaar|jaren)$/.test(n)) return 'years';
	if (/^(hours?|stunden|heures|horas|ore|uur)$/.test(n)) return 'hours';
	if (/^(locations?|sites?|offices?|stores?|branches|standorte|sites|sedes|lojas|sedi|vestigingen)$/.test(n)) return 'sites';
	return '';
}

const NUMBER_WORDS: Record<string, number> = {};
'one two three four five six seven eight nine ten eleven twelve'.split(' ').forEach((w, i) => (NUMBER_WORDS[w] = i + 1));
'eins zwei drei vier fünf sechs sieben acht neun zehn elf zwölf'.split(' ').forEach((w, i) => (NUMBER_WORDS[w] = i + 1));
'un deux trois quatre cinq six sept huit neuf dix onze douze'.split(' ').forEach((w, i) => (NUMBER_WORDS[w] = i + 1));
'uno dos tres cuatro cinco seis siete ocho nueve diez once doce'.split(' ').forEach((w, i) => (NUMBER_WORDS[w] = i + 1));
Object.assign(NUMBER_WORDS, { twenty: 20, thirty: 30, forty: 40, fifty: 50, hundred: 100, zwanzig: 20, dreißig: 30, vingt: 20, trente: 30, veinte: 20, treinta: 30 });
const UNIT_AHEAD = '(?=\\s+(?:weeks?|days?|months?|years?|hours?|people|employees|staff|seats?|users?|licen[cs]es?|reps?|offices?|locations?|sites?|wochen|tage|monate|jahre|stunden|semaines?|jours?|mois|ans|heures|semanas?|días|meses|años|horas)(?![\\p{L}]))';
const NUMBER_WORD_RE = new RegExp(`(?<![\\p{L}])(${Object.keys(NUMBER_WORDS).join('|')})${UNIT_AHEAD}`, 'giu');
const MONTH_ALONE = new RegExp(`(?<![\\p{L}])(${Object.keys(MONTHS).filter((m) => m.length > 3 && !/[^a-zäéèûôç]/i.test(m)).join('|')})(?![\\p{L}])`, 'giu');

/** The facts a text states: what a claim must find again in its evidence. */
export function extractFacts(raw: string): Fact[] {
	// "six weeks" states the same as "6 weeks".
	const text = raw.replace(NUMBER_WORD_RE, (w) => String(NUMBER_WORDS[w.toLowerCase()]));
	const facts: Fact[] = [];
	const taken: Array<[number, number]> = [];
	const overlaps = (start: number, end: number) => taken.some(([s, e]) => start < e && end > s);
	for (const r of DATE_RES) {
		r.lastIndex = 0;
		for (const m of text.matchAll(r)) {
			let key: string;
			if (r === DATE_RES[0]) key = `date:${MONTHS[m[2].toLowerCase()]}-${Number(m[1])}`;
			else if (r === DATE_RES[1]) key = `date:${MONTHS[m[1].toLowerCase()]}-${Number(m[2])}`;
			else if (r === DATE_RES[2]) key = `date:${Number(m[2])}-${Number(m[3])}`;
			else key = `date:q${m[1]}`;
			facts.push({ kind: 'date', key, text: m[0].trim() });
			taken.push([m.index!, m.index! + m[0].length]);
		}
	}
	for (const m of text.matchAll(MONTH_ALONE)) {
		const word = m[0];
		// Capitalised month names only ("may" is a verb); one inside a dated fact is already counted.
		if (word[0] !== word[0].toUpperCase() || overlaps(m.index!, m.index! + word.length)) continue;
		facts.push({ kind: 'date', key: `month:${MONTHS[word.toLowerCase()]}`, text: word });
	}
	NUMBER_RE.lastIndex = 0;
	for (const m of text.matchAll(NUMBER_RE)) {
		const start = m.index! + m[0].indexOf(m[2]);
		if (overlaps(start, start + m[2].length)) continue;
		const lead = m.index! + (m[0].length - m[0].trimStart().length);
		const before = text.slice(Math.max(0, lead - 1), lead);
		if (/[\p{L}]/u.test(before)) continue; // part of a word or a code ("Q3", "v2")
		let value = toNumber(m[2]);
		if (!Number.isFinite(value)) continue;
		const scale = m[3] ? SCALE[m[3].toLowerCase()] ?? 1 : 1;
		value *= scale;
		const currency = m[1] || (m[4] && new RegExp(`^${CURRENCY}$`, 'i').test(m[4]) ? m[4] : '');
		const percent = m[4] && !currency;
		let kind: FactKind;
		let key: string;
		if (currency) {
			kind = 'money';
			key = `money:${value}`;
		} else if (percent) {
			kind = 'percent';
			key = `percent:${value}`;
		} else if (unitClass(m[5])) {
			kind = 'count';
			key = `count:${value}:${unitClass(m[5])}`;
		} else {
			// A year or a bare number: the value alone.
			kind = 'number';
			key = `number:${value}`;
		}
		// The fact as written: the number with its currency, scale or percent sign, without the noun after it.
		const written = `${m[1] ?? ''}${m[1] && /\s/.test(m[0].slice(m[1].length, m[1].length + 1)) ? ' ' : ''}${m[2]}${m[3] ?? ''}${m[4] && (currency || percent) ? (m[4] === '%' ? '%' : ` ${m[4]}`) : ''}`;
		facts.push({ kind, key, text: written.trim() });
	}
	for (const m of text.matchAll(NAME_RE)) {
		// The first word of a claim is capitalised whatever it is ("Cut ...", "Manual ..."): alone, it is not a name.
		// A run of Title-case words there ("Daniel Okafor") is a name; "Cut CRM" or "Manual" is not.
		const words = m[0].split(/\s+/);
		const atStart = m.index === text.length - text.trimStart().length;
		if (atStart && (words.length === 1 ? /^\s*\S+\s+\p{Ll}/u.test(text.slice(m.index)) : words.some((w) => w.length > 1 && w === w.toUpperCase()))) words.shift();
		for (const word of words) {
			if (word.length < 2 || COMMON.has(word.toLowerCase()) || MONTHS[word.toLowerCase()]) continue;
			facts.push({ kind: 'name', key: `name:${word.toLowerCase().replace(/['’]s$/, '')}`, text: word });
		}
	}
	return facts;
}

/** Facts of the evidence, indexed for lookups: how a claim's fact may be found there. */
export class FactIndex {
	private readonly keys = new Set<string>();
	private readonly numbers = new Set<number>();
	private readonly lower: string;

	constructor(evidence: string) {
		this.lower = ` ${evidence.toLowerCase()} `;
		for (const f of extractFacts(evidence)) {
			this.keys.add(f.key);
			const month = /^date:(\d+)-/.exec(f.key);
			if (month) this.keys.add(`month:${month[1]}`);
			const n = /^(?:money|percent|count|number):([\d.e+]+)/.exec(f.key);
			if (n) this.numbers.add(Number(n[1]));
		}
	}

	has(fact: Fact): boolean {
		if (this.keys.has(fact.key)) return true;
		switch (fact.kind) {
			case 'name':
				// A name is backed where the word is written (any case, possessive or not).
				return new RegExp(`(?<![\\p{L}])${fact.key.slice(5).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`, 'iu').test(this.lower);
			case 'count': {
				// "40 seats" is backed by "40 seats" or "40 licences", not by "40 employees"; a bare "40"
				// followed by no unit in the evidence does not say seats either.
				return false;
			}
			case 'number': {
				// A bare number in a claim ("2025", "3 steps") must be in the evidence as some number.
				const v = Number(fact.key.split(':')[1]);
				return this.numbers.has(v);
			}
			default:
				return false;
		}
	}
}

export interface SupportCheck {
	supported: boolean;
	/** Facts of the claim its evidence does not state. */
	unsupported: string[];
}

/** Whether `evidence` states every fact of `claim`; `vocabulary` lists words that are never facts (our template's words). */
export function checkSupport(claim: string, evidence: string | FactIndex, vocabulary: string[] = []): SupportCheck {
	const index = typeof evidence === 'string' ? new FactIndex(evidence) : evidence;
	const allowed = new Set(vocabulary.map((v) => v.toLowerCase()));
	const unsupported: string[] = [];
	for (const fact of extractFacts(claim)) {
		if (fact.kind === 'name' && allowed.has(fact.text.toLowerCase())) continue;
		if (!index.has(fact)) unsupported.push(fact.text);
	}
	return { supported: unsupported.length === 0, unsupported: [...new Set(unsupported)] };
}

/** Asking us to write something down is not evidence that it is true. */
const RECORD_REQUEST = /(?:^\s*|(?<![\p{L}])(?:please|kindly|pls)\s+)(?:note|record|log|write|put|set|update|enter|add|store|save|mark|change)\b[^.!?\n]{0,40}\b(?:crm|record|notes?|file|system|field|summary|hubspot|salesforce|database|that|as)\b|(?<![\p{L}])(?:bitte\s+)?(?:notieren|vermerken|eintragen|speichern|setzen)|(?:notez|enregistrez|inscrivez|indiquez)\s|(?:anote|registre|apunte|anota|registra|annota|segna|noteer|registreer|zet in)\s|(?:记录|記錄|写入|寫入|登记|登記|記録して|記入して)/iu;

/**
 * The sentences of a source that can be evidence: instructions to a model and requests to record a
 * claim are left out. Returns the evidence text and the sentences dropped.
 */
export function evidenceText(source: string): { text: string; dropped: string[] } {
	const sentences = source.split(/(?<=[.!?。！？\n])\s*/u);
	const kept: string[] = [];
	const dropped: string[] = [];
	for (const s of sentences) {
		if (!s.trim()) continue;
		if (RECORD_REQUEST.test(s) || checkForInjection(s).suspected) dropped.push(s.trim());
		else kept.push(s);
	}
	return { text: kept.join(' '), dropped };
}

/** Whether one sentence is an instruction or a request to record something, and so never evidence. */
export function isRequestNotEvidence(sentence: string): boolean {
	return RECORD_REQUEST.test(sentence) || checkForInjection(sentence).suspected;
}
