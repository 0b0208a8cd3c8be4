import { DateTime } from 'luxon';
import { CLEAN, InjectionScreen, type InjectionCheck } from '../trust/injection-screen';
import { IN_USE_CUES, JOB_CUES, JOB_PAGE, NEWS_PATTERNS, RESEARCH_DEFAULTS, type NewsKind } from './catalogs';
import type { ResearchConfig } from './config';
import type { PageBlock, PageText } from './page-text';

/**
 * Account research by rules: what an account's own pages say about its industry, size, technology
 * and recent news, each value with the page and the words that support it. Nothing is guessed: a
 * value without a quote is `unknown` (null), and an industry two taxonomies claim alike is unknown too.
 *
 * Page text is data. Nothing on a page changes what the rules do; text that reads like instructions
 * is screened and named on the item (so a model node later treats it as flagged), and hidden text
 * never counts (page-text.ts leaves it out).
 */
export interface Evidence {
	url: string;
	quote: string;
}

export interface IndustryFinding {
	value: string;
	score: number;
	evidence: Evidence[];
	/** The next best industry and its score, so a reader sees how clear the lead was. */
	runnerUp: { value: string; score: number } | null;
}

export interface EmployeeFinding {
	/** The stated number; for "50-200" or "over 200" the lower bound (never more than the page says). */
	value: number;
	hint: string;
	evidence: Evidence;
}

export interface TechFinding {
	name: string;
	/** markup: the page loads it; text: the company says it uses it; jobs: a job ad asks for it. */
	how: 'markup' | 'text' | 'jobs';
	evidence: Evidence;
}

export interface NewsFinding {
	kind: NewsKind;
	headline: string;
	date: string;
	evidence: Evidence;
}

export interface Research {
	industry: IndustryFinding | null;
	/** Why the industry is unknown, when it is. */
	industryNote: string | null;
	employees: EmployeeFinding | null;
	techStack: TechFinding[];
	news: NewsFinding[];
	lastFundingAt: string | null;
	/** Pages that said something (text or markup). */
	pagesRead: number;
	/** Text on the pages that reads like instructions to a machine (screened, never followed). */
	screen: InjectionCheck;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A whole-word, any-case pattern for a list of words and phrases (a plural "s" or "es" counts too). */
function wordsPattern(words: readonly string[]): RegExp | null {
	const clean = [...new Set(words.map((w) => w.trim().toLowerCase()).filter((w) => w.length >= 2))].sort((a, b) => b.length - a.length);
	return clean.length ? new RegExp(`(?<![\\p{L}\\p{N}])(?:${clean.map(escape).join('|')})(?:s|es)?(?![\\p{L}\\p{N}])`, 'giu') : null;
}

/** The sentence of `text` around `index`, cut to the quote length. */
function sentenceAt(text: string, index: number, max: number = RESEARCH_DEFAULTS.maxQuote): string {
	let start = index;
	while (start > 0 && text[start - 1] !== '\n' && !(/[.!?]/.test(text[start - 1]) && /\s/.test(text[start] ?? ' '))) start--;
	let end = index;
	while (end < text.length && text[end] !== '\n' && !(/[.!?]/.test(text[end]) && (end + 1 >= text.length || /\s/.test(text[end + 1])))) end++;
	let s = text.slice(start, Math.min(text.length, text[end] === '\n' ? end : end + 1)).trim();
	if (s.length > max) {
		const from = Math.max(0, index - start - Math.floor(max / 2));
		s = `${from > 0 ? '…' : ''}${s.slice(from, from + max).trim()}…`;
	}
	return s;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH = '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const DATE_PATTERNS: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => [number, number, number]]> = [
	[/\b(20\d{2})-(\d{1,2})-(\d{1,2})\b/, (m) => [+m[1], +m[2], +m[3]]],
	[new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(20\\d{2})\\b`, 'i'), (m) => [+m[3], MONTHS.indexOf(m[1].slice(0, 3).toLowerCase()) + 1, +m[2]]],
	[new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+${MONTH}\\s+(20\\d{2})\\b`, 'i'), (m) => [+m[3], MONTHS.indexOf(m[2].slice(0, 3).toLowerCase()) + 1, +m[1]]],
	[new RegExp(`\\b${MONTH}\\s+(20\\d{2})\\b`, 'i'), (m) => [+m[2], MONTHS.indexOf(m[1].slice(0, 3).toLowerCase()) + 1, 1]],
];

/** The first date a text names (ISO, "March 3, 2026", "3 March 2026", "March 2026"), as yyyy-MM-dd. */
export function dateIn(text: string | null): string | null {
	if (!text) return null;
	for (const [re, parts] of DATE_PATTERNS) {
		const m = re.exec(text);
		if (!m) continue;
		const [y, mo, d] = parts(m);
		const dt = DateTime.utc(y, mo, d);
		if (dt.isValid) return dt.toISODate();
	}
	return null;
}

const NUMBER = '(\\d{1,3}(?:[,.\\u00a0 ]\\d{3})+|\\d+)';
const PEOPLE = '(?:full[- ]time\\s+)?(?:employees|people|staff|team members|colleagues|professionals|experts|engineers and [a-z]+|mitarbeiter(?:innen)?|mitarbeitende|salariés|collaborateurs)';
const PEOPLE_RE = new RegExp(PEOPLE, 'i');
const SIZE_PATTERNS: ReadonlyArray<readonly [RegExp, (m: RegExpExecArray) => number]> = [
	[new RegExp(`\\b${NUMBER}\\s*(?:-|–|to)\\s*${NUMBER}\\s+${PEOPLE}\\b`, 'i'), (m) => toNumber(m[1])],
	[new RegExp(`\\b(?:over|more than|nearly|almost|about|around|approximately|some|over the|a team of|team of|employs|employing|staff of)\\s+${NUMBER}\\+?\\s*(?:${PEOPLE})?`, 'i'), (m) => toNumber(m[1])],
	[new RegExp(`\\b${NUMBER}\\+?\\s+${PEOPLE}\\b`, 'i'), (m) => toNumber(m[1])],
];
/** "For companies with 50-500 employees": a customer's size, not the account's own. */
const SOMEONE_ELSES = /\b(?:companies|businesses|customers|clients|organi[sz]ations|teams|firms|enterprises|brands|retailers|users|teams of up to|helps?|serv(?:e|es|ing)|for)\s+(?:with|of|up to|from|between)?\s*(?:over|more than|up to|about)?\s*(?:\d[\d,.]*\s*(?:-|–|to)\s*)?$/i;
const NOT_HEADCOUNT = /\b(?:customers|clients|users|downloads|countries|cities|partners|integrations|transactions|installs)\b/i;

/** Word hits counted per industry in one text (a title, a heading, a paragraph): a block repeating a word a hundred times counts ten. */
const MAX_HITS = 10;

function toNumber(text: string): number {
	return Number(text.replace(/[,.\u00a0 ]/g, ''));
}

function* blocksOf(pages: readonly PageText[]): Generator<{ page: PageText; block: PageBlock; index: number }> {
	for (const page of pages) for (let index = 0; index < page.blocks.length; index++) yield { page, block: page.blocks[index], index };
}

/**
 * Which texts may be evidence. Page text is screened where it would say something (a text that names
 * an industry, a head count, a technology in use or news): one that reads like instructions to a
 * machine is never evidence (a page saying "set the industry to fintech, 90000 employees" sets
 * neither), and the item is flagged with it, so a model node later treats the item with care. Text
 * that says nothing the rules take never leaves the node, so it is not screened (pages are long, the
 * screen is made for fields).
 */
class Vetting {
	private readonly verdicts = new Map<string, boolean>();
	private first: InjectionCheck | null = null;
	private readonly pages = new Set<string>();

	constructor(private readonly screen: InjectionScreen) {}

	ok(url: string, text: string): boolean {
		let clean = this.verdicts.get(text);
		if (clean === undefined) {
			const check = this.screen.check(text);
			clean = !check.suspected;
			if (!clean) this.first ??= check;
			this.verdicts.set(text, clean);
		}
		if (!clean) this.pages.add(url);
		return clean;
	}

	result(): InjectionCheck {
		return this.first ? { ...this.first, fields: [...this.pages] } : CLEAN;
	}
}

export class AccountResearcher {
	private readonly industryRes: Array<{ name: string; re: RegExp }>;
	private readonly techMarkup: Array<{ name: string; marks: string[] }>;
	private readonly techNames: Array<{ name: string; re: RegExp }>;
	private readonly screen: InjectionScreen;

	constructor(readonly config: ResearchConfig) {
		this.industryRes = config.industries.flatMap((i) => {
			const re = wordsPattern(i.keywords);
			return re ? [{ name: i.name, re }] : [];
		});
		this.techMarkup = config.technologies.filter((t) => t.markup.length).map((t) => ({ name: t.name, marks: t.markup.map((m) => m.toLowerCase()) }));
		this.techNames = config.technologies.flatMap((t) => {
			const re = wordsPattern(t.names);
			return re ? [{ name: t.name, re }] : [];
		});
		this.screen = new InjectionScreen();
	}

	research(pages: readonly PageText[], now: Date = new Date()): Research {
		const read = pages.filter((p) => p.blocks.length || p.markup.length || p.title);
		const vet = new Vetting(this.screen);
		const { industry, industryNote } = this.industry(read, vet);
		const news = this.news(read, now, vet);
		const funding = news.filter((n) => n.kind === 'funding').map((n) => n.date).sort();
		return {
			industry,
			industryNote,
			employees: this.employees(read, vet),
			techStack: this.techStack(read, vet),
			news,
			lastFundingAt: funding.length ? `${funding[funding.length - 1]}T00:00:00.000Z` : null,
			pagesRead: read.length,
			screen: vet.result(),
		};
	}

	/** Weighted word hits per industry: the title, description and headings count three times. */
	private industry(pages: readonly PageText[], vet: Vetting): { industry: IndustryFinding | null; industryNote: string | null } {
		const scores = new Map<string, { score: number; evidence: Evidence[] }>();
		const count = (url: string, text: string, weight: number) => {
			let found: Array<{ name: string; hits: number; first: number }> | null = null;
			for (const { name, re } of this.industryRes) {
				re.lastIndex = 0;
				let m: RegExpExecArray | null;
				let hits = 0;
				let first = -1;
				while ((m = re.exec(text)) && hits < MAX_HITS) {
					if (first < 0) first = m.index;
					hits++;
				}
				if (hits) (found ??= []).push({ name, hits, first });
			}
			// Only a text that says an industry is screened; one that reads like instructions never counts.
			if (!found || !vet.ok(url, text)) return;
			for (const { name, hits, first } of found) {
				const entry = scores.get(name) ?? { score: 0, evidence: [] };
				entry.score += hits * weight;
				if (entry.evidence.length < 3 && !entry.evidence.some((e) => e.url === url)) entry.evidence.push({ url, quote: sentenceAt(text, first) });
				scores.set(name, entry);
			}
		};
		for (const page of pages) {
			if (page.title) count(page.url, page.title, 3);
			if (page.description) count(page.url, page.description, 3);
			for (const block of page.blocks) count(page.url, block.text, block.heading ? 3 : 1);
		}
		const ranked = [...scores.entries()].sort((a, b) => b[1].score - a[1].score || a[0].localeCompare(b[0]));
		if (!ranked.length) return { industry: null, industryNote: 'no page names an industry of the taxonomy' };
		const [top, second] = ranked;
		const runnerUp = second ? { value: second[0], score: second[1].score } : null;
		if (top[1].score < this.config.industryMinScore) return { industry: null, industryNote: `too little said: ${top[0]} scored ${top[1].score}, ${this.config.industryMinScore} needed` };
		if (second && top[1].score < second[1].score * this.config.industryLead) return { industry: null, industryNote: `no clear industry: ${top[0]} ${top[1].score} against ${second[0]} ${second[1].score}` };
		return { industry: { value: top[0], score: top[1].score, evidence: top[1].evidence, runnerUp }, industryNote: null };
	}

	/** The account's own head count, as its pages state it; about and careers pages first. */
	private employees(pages: readonly PageText[], vet: Vetting): EmployeeFinding | null {
		const ordered = [...pages].sort((a, b) => rankForSize(a.url) - rankForSize(b.url));
		for (const page of ordered) {
			for (const text of [page.description, ...page.blocks.map((b) => b.text)]) {
				if (!text || !/\d/.test(text)) continue;
				for (const [re, value] of SIZE_PATTERNS) {
					const m = re.exec(text);
					if (!m) continue;
					const before = text.slice(Math.max(0, m.index - 40), m.index);
					const after = text.slice(m.index + m[0].length, m.index + m[0].length + 20);
					if (SOMEONE_ELSES.test(before)) continue;
					if (!PEOPLE_RE.test(m[0]) && !/^\s*(?:-|–)?\s*(?:employees|people|staff)/i.test(after)) continue;
					if (NOT_HEADCOUNT.test(m[0])) continue;
					const n = value(m);
					if (!Number.isFinite(n) || n < 1 || n > 5_000_000 || !vet.ok(page.url, text)) continue;
					return { value: n, hint: m[0].trim(), evidence: { url: page.url, quote: sentenceAt(text, m.index) } };
				}
			}
		}
		return null;
	}

	private techStack(pages: readonly PageText[], vet: Vetting): TechFinding[] {
		const found = new Map<string, TechFinding>();
		const rank = { markup: 0, text: 1, jobs: 2 } as const;
		const add = (f: TechFinding) => {
			const prior = found.get(f.name);
			if (!prior || rank[f.how] < rank[prior.how]) found.set(f.name, f);
		};
		for (const page of pages) {
			for (const mark of page.markup) {
				for (const t of this.techMarkup) if (t.marks.some((m) => mark.includes(m))) add({ name: t.name, how: 'markup', evidence: { url: page.url, quote: mark.slice(0, RESEARCH_DEFAULTS.maxQuote) } });
			}
			const jobs = JOB_PAGE.test(page.url);
			for (const block of page.blocks) {
				const inUse = IN_USE_CUES.test(block.text);
				const asked = jobs && JOB_CUES.test(block.text);
				if (!inUse && !asked) continue;
				for (const t of this.techNames) {
					t.re.lastIndex = 0;
					let m: RegExpExecArray | null;
					// The cue must be in the same sentence as the name: each mention is tried until one is.
					for (let tries = 0; (m = t.re.exec(block.text)) && tries < 10; tries++) {
						const quote = sentenceAt(block.text, m.index);
						if (!vet.ok(page.url, block.text)) break;
						if (IN_USE_CUES.test(quote)) add({ name: t.name, how: 'text', evidence: { url: page.url, quote } });
						else if (asked && JOB_CUES.test(quote)) add({ name: t.name, how: 'jobs', evidence: { url: page.url, quote } });
						else continue;
						break;
					}
				}
			}
		}
		return [...found.values()].sort((a, b) => rank[a.how] - rank[b.how] || a.name.localeCompare(b.name));
	}

	/** Headlines and sentences of a kind worth knowing, dated within the recent window. */
	private news(pages: readonly PageText[], now: Date, vet: Vetting): NewsFinding[] {
		const today = DateTime.fromJSDate(now, { zone: 'utc' }).startOf('day');
		const oldest = today.minus({ days: this.config.newsDays });
		const seen = new Set<string>();
		const out: NewsFinding[] = [];
		for (const { page, block, index } of blocksOf(pages)) {
			if (block.text.length < 12 || block.text.length > 600) continue;
			const kind = NEWS_PATTERNS.find(([, re]) => re.test(block.text))?.[0];
			if (!kind) continue;
			// The date: in the block, its <time>, or the blocks just around it (a list of posts).
			const near = [page.blocks[index + 1], page.blocks[index - 1], page.blocks[index + 2]];
			const date = dateIn(block.datetime) ?? dateIn(block.text) ?? near.map((b) => (b && b.text.length < 200 ? (dateIn(b.datetime) ?? dateIn(b.text)) : null)).find((d) => d) ?? null;
			if (!date) continue;
			const dt = DateTime.fromISO(date, { zone: 'utc' });
			if (dt < oldest || dt > today.plus({ days: 1 })) continue;
			const headline = sentenceAt(block.text, Math.max(0, block.text.search(NEWS_PATTERNS.find(([k]) => k === kind)![1])));
			const key = headline.toLowerCase().replace(/\W+/g, ' ').trim();
			if (seen.has(key) || !vet.ok(page.url, block.text)) continue;
			seen.add(key);
			out.push({ kind, headline, date, evidence: { url: page.url, quote: headline } });
		}
		return out.sort((a, b) => b.date.localeCompare(a.date)).slice(0, RESEARCH_DEFAULTS.maxNews);
	}
}

function rankForSize(url: string): number {
	if (/\/(?:about|company|who-we-are|team|ueber-uns|about-us)\b/i.test(url)) return 0;
	if (JOB_PAGE.test(url)) return 1;
	try {
		return new URL(url).pathname === '/' ? 2 : 3;
	} catch {
		return 3;
	}
}
