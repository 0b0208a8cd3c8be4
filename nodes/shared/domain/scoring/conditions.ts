import { isBlankText, isWhiteSpaceCode, safeText } from '../text';
import type { Condition, Criterion, Operator } from './playbook-schema';
import { HitRate } from './hit-rate';
import { NO_ITEMS } from './shared-lists';

/**
 * Criteria and conditions compiled once per ruleset into closures, so scoring an item is property
 * reads and comparisons: the ICP and Health scorers must re-score a whole CRM in one run.
 */

export interface Flag {
	field: string;
	code: 'not_a_number' | 'negative_value' | 'not_a_date' | 'unknown_value' | 'below_min' | 'above_max' | 'not_a_list' | 'out_of_range' | 'date_out_of_range';
	message: string;
}

export interface ConditionResult {
	/** The field had no usable value (absent, empty, or unreadable and flagged). */
	missing: boolean;
	matched: boolean;
	/** For "bands": the band's points. */
	bandPoints?: number;
	value: unknown;
}

export interface EvalContext {
	now: number;
	flags: Flag[];
	/** Results of JSONata conditions for this item, computed beforehand (JSONata is asynchronous). */
	jsonata?: Map<string, unknown>;
}

/**
 * The evaluation context of one scorer, reused account after account (scoring is synchronous) so a
 * re-score does not allocate a context and a flag list per account; flags are copied out only when
 * an account has some.
 */
export class ScoringContext implements EvalContext {
	now = 0;
	readonly flags: Flag[] = [];
	jsonata: Map<string, unknown> | undefined = undefined;

	/** Starts the next account. */
	next(now: number, jsonata: Map<string, unknown> | undefined): this {
		this.now = now;
		this.jsonata = jsonata;
		this.flags.length = 0;
		return this;
	}

	/** The account's flags as its own list, or the shared empty list. */
	takeFlags(): readonly Flag[] {
		return this.flags.length === 0 ? NO_ITEMS : this.flags.splice(0);
	}
}

const DAY_MS = 86_400_000;

export function compilePath(path: string): string[] {
	return path.split('.').filter(Boolean);
}

export function readPath(item: unknown, keys: string[]): unknown {
	let v = item;
	for (const k of keys) {
		if (v === null || typeof v !== 'object') return undefined;
		v = (v as Record<string, unknown>)[k];
	}
	return v;
}

/** No data: absent, null, a text of white space only, NaN or an empty list. */
export function isMissing(v: unknown): boolean {
	return v === undefined || v === null || (typeof v === 'string' && isBlankText(v)) || (typeof v === 'number' && Number.isNaN(v)) || (Array.isArray(v) && v.length === 0);
}

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** No real account count, amount or score is this large: a value beyond it is garbage, not a big customer. */
export const LARGEST_SANE_NUMBER = 1e15;
/** Dates a CRM can mean: from 1900 to 50 years ahead; anything outside is flagged, never scored. */
export const EARLIEST_DATE = Date.UTC(1900, 0, 1);
export const LATEST_DATE_AHEAD = 50 * 365.25 * 86_400_000;

/** Why a date (epoch ms) is outside what a CRM can mean ("before 1900", "more than 50 years ahead"), or null. */
export function dateOutOfRange(t: number, now: number): string | null {
	if (!Number.isFinite(t)) return 'not a date';
	return t < EARLIEST_DATE ? 'before 1900' : t > now + LATEST_DATE_AHEAD ? 'more than 50 years ahead' : null;
}

/** Why a numeric value is out of any sane range ("not finite", "beyond 1e15"), or null when it is fine. */
export function outOfRangeNumber(raw: unknown, n: number): string | null {
	if (typeof raw === 'number' && !Number.isFinite(raw)) return 'not a finite number';
	if (typeof raw === 'string' && Number.isNaN(n) && /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(raw.replace(/[,\s_]/g, '')) ) return 'not a finite number';
	if (Math.abs(n) > LARGEST_SANE_NUMBER) return `beyond ${LARGEST_SANE_NUMBER}, more than any real value`;
	return null;
}

/** A number from a number or a numeric string ("1,200", "2 500"); NaN when it is not one. */
export function toNumber(v: unknown): number {
	if (typeof v === 'number') return Number.isFinite(v) ? v : Number.NaN;
	if (typeof v === 'string') {
		const t = v.replace(/[,\s_]/g, '');
		if (!NUMERIC.test(t)) return Number.NaN;
		const n = Number(t);
		return Number.isFinite(n) ? n : Number.NaN;
	}
	return Number.NaN;
}

/** Epoch milliseconds from a Date, ISO text, or epoch seconds / milliseconds; NaN otherwise. */
export function toTime(v: unknown): number {
	if (v instanceof Date) return v.getTime();
	if (typeof v === 'number') return Number.isFinite(v) ? (v < 1e11 ? v * 1000 : v) : Number.NaN;
	if (typeof v === 'string') return Date.parse(v);
	if (v && typeof v === 'object' && typeof (v as { toMillis?: unknown }).toMillis === 'function') return (v as { toMillis(): number }).toMillis();
	return Number.NaN;
}

function norm(v: unknown, caseSensitive: boolean): unknown {
	if (typeof v === 'string') {
		const t = v.trim();
		return caseSensitive ? t : t.toLowerCase();
	}
	return v;
}

function toList(v: unknown, caseSensitive: boolean): unknown[] | null {
	if (Array.isArray(v)) return v.map((x) => norm(x, caseSensitive));
	if (typeof v === 'string') return v.split(/[,;|]/).map((x) => norm(x, caseSensitive)).filter((x) => x !== '');
	return null;
}

/**
 * A string function remembered per compiled condition. CRM columns repeat a few values (industry,
 * country, stack) across a whole re-score, so trimming, lower-casing and splitting them once per
 * distinct value instead of once per account is most of a condition's cost. Bounded; once full, a
 * column of free text or unique values that mostly misses stops being looked up (HitRate).
 */
function memoByString<T>(fn: (s: string) => T, max = 1024): (s: string) => T {
	const known = new Map<string, T>();
	const rate = new HitRate();
	return (s) => {
		if (!rate.open) return fn(s);
		let v = known.get(s);
		// One lookup: a text of a column with more distinct values than fit (a miss) is not looked up
		// twice. A function that returns undefined is simply called again.
		const hit = v !== undefined;
		if (!hit) {
			v = fn(s) as T;
			if (known.size < max && s.length <= 128) known.set(s, v);
		}
		if (known.size >= max) rate.count(hit);
		return v as T;
	};
}

const isSeparator = (code: number) => code === 44 || code === 59 || code === 124; // , ; |

/**
 * Whether a comma-, semicolon- or bar-separated text holds `token` as one of its entries (entries
 * trimmed), without splitting it: a CRM's tech-stack column has as many distinct texts as accounts,
 * so nothing can be remembered and every split was garbage.
 */
function listTextHas(text: string, token: string): boolean {
	if (token === '') return false;
	for (let at = text.indexOf(token); at !== -1; at = text.indexOf(token, at + 1)) {
		let before = at - 1;
		while (before >= 0 && isWhiteSpaceCode(text.charCodeAt(before))) before--;
		if (before >= 0 && !isSeparator(text.charCodeAt(before))) continue;
		let after = at + token.length;
		while (after < text.length && isWhiteSpaceCode(text.charCodeAt(after))) after++;
		if (after === text.length || isSeparator(text.charCodeAt(after))) return true;
	}
	return false;
}

/**
 * Evaluates one condition on one item. The returned object is reused by the next call of the same
 * compiled condition (scoring 100,000 accounts should not allocate 700,000 result objects): read
 * it at once, never keep it.
 */
export type CompiledCondition = (item: unknown, ctx: EvalContext) => ConditionResult;

const NUMERIC_OPS = new Set<Operator>(['between', 'gt', 'gte', 'lt', 'lte', 'bands']);

export function compileCondition(c: Condition | Criterion): CompiledCondition {
	const keys = c.field ? compilePath(c.field) : [];
	const field = c.field ?? c.id;
	const cs = c.caseSensitive === true;
	const out: ConditionResult = { missing: false, matched: false, bandPoints: undefined, value: undefined };
	const missing = (value: unknown): ConditionResult => {
		out.missing = true;
		out.matched = false;
		out.bandPoints = undefined;
		out.value = value;
		return out;
	};
	const result = (matched: boolean, value: unknown, bandPoints?: number): ConditionResult => {
		out.missing = false;
		out.matched = matched;
		out.bandPoints = bandPoints;
		out.value = value;
		return out;
	};

	if (c.op === 'exists' || c.op === 'notExists') {
		const want = c.op === 'exists';
		// Presence is the question here, so an absent value is an answer, not missing data.
		return (item) => {
			const v = readPath(item, keys);
			return result(isMissing(v) !== want, v);
		};
	}
	if (c.op === 'jsonata') {
		const id = c.id;
		return (_item, ctx) => {
			const v = ctx.jsonata?.get(id);
			return v === undefined ? missing(v) : result(!!v && !(Array.isArray(v) && v.length === 0), v);
		};
	}
	if (NUMERIC_OPS.has(c.op)) {
		const allowNegative = c.allowNegative === true;
		const { min, max } = c;
		const value = typeof c.value === 'number' ? c.value : Number.NaN;
		const bands = c.bands ?? [];
		const test: (n: number) => ConditionResult | boolean = {
			between: (n: number) => (min === undefined || n >= min) && (max === undefined || n <= max),
			gt: (n: number) => n > value,
			gte: (n: number) => n >= value,
			lt: (n: number) => n < value,
			lte: (n: number) => n <= value,
			bands: (n: number) => {
				const band = bands.find((b) => (b.min === undefined || n >= b.min) && (b.max === undefined || n < b.max));
				return result(band !== undefined, n, band?.points);
			},
		}[c.op as 'between'];
		return (item, ctx) => {
			const raw = readPath(item, keys);
			// NaN is no data to a spreadsheet but garbage to a scorer: flagged, like Infinity.
			if (typeof raw === 'number' && Number.isNaN(raw)) {
				ctx.flags.push({ field, code: 'out_of_range', message: `${field} is NaN, not a finite number; treated as missing` });
				return missing(raw);
			}
			if (isMissing(raw)) return missing(raw);
			const n = toNumber(raw);
			const outOfRange = outOfRangeNumber(raw, n);
			if (outOfRange) {
				ctx.flags.push({ field, code: 'out_of_range', message: `${field} is ${safeText(raw)}, ${outOfRange}; treated as missing` });
				return missing(raw);
			}
			if (Number.isNaN(n)) {
				ctx.flags.push({ field, code: 'not_a_number', message: `${field} is "${safeText(raw)}", not a number; treated as missing` });
				return missing(raw);
			}
			if (n < 0 && !allowNegative) {
				ctx.flags.push({ field, code: 'negative_value', message: `${field} is ${n}, which cannot be negative; treated as missing` });
				return missing(raw);
			}
			const r = test(n);
			return typeof r === 'boolean' ? result(r, n) : r;
		};
	}
	if (c.op === 'withinDays' || c.op === 'olderThanDays') {
		const limit = (c.days ?? 0) * DAY_MS;
		const within = c.op === 'withinDays';
		const parseText = memoByString((text) => Date.parse(text), 4096);
		return (item, ctx) => {
			const raw = readPath(item, keys);
			if (isMissing(raw)) return missing(raw);
			const t = typeof raw === 'string' ? parseText(raw) : toTime(raw);
			if (Number.isNaN(t)) {
				ctx.flags.push({ field, code: 'not_a_date', message: `${field} is "${safeText(raw)}", not a date; treated as missing` });
				return missing(raw);
			}
			if (t < EARLIEST_DATE || t > ctx.now + LATEST_DATE_AHEAD) {
				ctx.flags.push({ field, code: 'date_out_of_range', message: `${field} is ${safeText(raw)}, ${t < EARLIEST_DATE ? 'before 1900' : 'more than 50 years ahead'}; treated as missing` });
				return missing(raw);
			}
			const age = ctx.now - t;
			return result(within ? age <= limit : age > limit, raw);
		};
	}
	if (c.op === 'containsAny' || c.op === 'containsAll') {
		const wanted = (c.values ?? []).map((v) => norm(v, cs));
		const all = c.op === 'containsAll';
		const matches = (list: unknown[]) => {
			const has = new Set(list);
			return all ? wanted.every((w) => has.has(w)) : wanted.some((w) => has.has(w));
		};
		// Wanted entries as texts can be found in the text itself; any other (a number) takes the split.
		const textual = wanted.every((w) => typeof w === 'string' && w !== '' && !/[,;|]/.test(w) && w.trim() === w);
		const textMatches = textual
			? (text: string) => {
					const t = cs ? text : text.toLowerCase();
					return all ? wanted.every((w) => listTextHas(t, w as string)) : wanted.some((w) => listTextHas(t, w as string));
				}
			: memoByString((text) => matches(toList(text, cs) as unknown[]));
		return (item, ctx) => {
			const raw = readPath(item, keys);
			if (isMissing(raw)) return missing(raw);
			if (typeof raw === 'string') return result(textMatches(raw), raw);
			const list = toList(raw, cs);
			if (!list) {
				ctx.flags.push({ field, code: 'not_a_list', message: `${field} is not a list or comma-separated text; treated as missing` });
				return missing(raw);
			}
			return result(matches(list), raw);
		};
	}
	// equals, notEquals, in, notIn: compared by a canonical key, so "250" equals 250 and "TRUE" equals true
	// whichever side (playbook or CRM) wrote it as text.
	const textKey = (v: string): string => {
		const t = v.trim();
		const lower = t.toLowerCase();
		if (lower === 'true' || lower === 'false') return lower;
		if (NUMERIC.test(t)) return String(Number(t));
		return cs ? t : lower;
	};
	const rememberedTextKey = memoByString(textKey);
	const key = (v: unknown): unknown => {
		if (typeof v === 'boolean' || typeof v === 'number') return String(v);
		if (typeof v === 'string') return rememberedTextKey(v);
		return v;
	};
	const set = new Set((c.op === 'equals' || c.op === 'notEquals' ? [c.value] : (c.values ?? [])).map(key));
	const negate = c.op === 'notEquals' || c.op === 'notIn';
	return (item) => {
		const raw = readPath(item, keys);
		if (isMissing(raw)) return missing(raw);
		const hit = set.has(key(raw));
		return result(negate ? !hit : hit, raw);
	};
}
