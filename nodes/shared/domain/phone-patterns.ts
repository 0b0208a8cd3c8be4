import { createRequire } from 'node:module';

/**
 * libphonenumber-js checks a number against its metadata's patterns by building a new RegExp from
 * the pattern text for every check: a number's type is a dozen checks, its country under +1 two
 * dozen more, and each build hashes the whole pattern text again before V8 finds the compiled code.
 * That was a third of parsing a phone number, and a phone is a quarter of normalizing a lead.
 *
 * This keeps one RegExp per pattern text, for this package's copy of the library (Ruby's phonelib
 * merged the same cache upstream). The answers are the library's own: a RegExp without the g or y
 * flag keeps no state between tests. The patterns are the metadata's, so the cache is bounded by
 * it. Should a later version of the library move or reshape the helper, nothing is replaced and the
 * library runs as shipped.
 */
export function cachePhonePatterns(): boolean {
	try {
		const fromLibrary = createRequire(require.resolve('libphonenumber-js/max'));
		const helper = fromLibrary('../build/helpers/matchesEntirely.js') as { default?: unknown };
		if (PATCHED.has(helper)) return true;
		if (typeof helper.default !== 'function' || helper.default.length !== 2) return false;
		const compiled = new Map<string, RegExp>();
		helper.default = (text: string | undefined, pattern: string): boolean => {
			let re = compiled.get(pattern);
			if (re === undefined) {
				re = new RegExp(`^(?:${pattern})$`);
				compiled.set(pattern, re);
			}
			return re.test(text || '');
		};
		PATCHED.add(helper);
		return true;
	} catch {
		return false;
	}
}
const PATCHED = new WeakSet<object>();
