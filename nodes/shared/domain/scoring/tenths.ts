/**
 * Scores and points are shown and summed with one decimal, so each is a tenth from 0 to 100: 1,001
 * values. A whole-CRM re-score keeps one result per account, with several of them in it, so the
 * texts and the numbers themselves are made once, here, and shared.
 */

const COUNT = 1001;

/** "0", "0.1", ... "100". */
export const TENTH_TEXTS: readonly string[] = Array.from({ length: COUNT }, (_, i) => String(i / 10));

/**
 * One number object per tenth. The array holds any values (it starts with a text), so V8 keeps each
 * number boxed once rather than as a raw double that every read would box again.
 */
const TENTH_VALUES: unknown[] = [''];
for (let i = 0; i < COUNT; i++) TENTH_VALUES[i] = i / 10;

/** The index of a number among the tenths, or -1 when it is not an exact tenth from 0 to 100. */
export function tenthsIndex(n: number): number {
	const tenths = Math.round(n * 10);
	// Same double, same text: only exact tenths take the tables.
	return tenths >= 0 && tenths <= 1000 && tenths / 10 === n ? tenths : -1;
}

/**
 * A number rounded to one decimal. From 0 to 100 it is the shared number of that tenth: a field that
 * may hold any value (see `anyValueShape`) then keeps a pointer to it instead of a number of its own.
 */
export function round1(n: number): number {
	const tenths = Math.round(n * 10);
	return tenths >= 0 && tenths <= 1000 ? (TENTH_VALUES[tenths] as number) : tenths / 10;
}

/**
 * A result's shape with every field null, made once before the first result. V8 keeps a field that has
 * only ever held numbers as a number box of each object's own, allocated with the object and kept as
 * long as the result: two or three more allocations for every reason and result of a re-score. Once
 * the shape's fields have held null, they hold any value, and a number in them is a pointer (to
 * `round1`'s shared tenth). The literal must list the keys in the order the results are built in; the
 * scoring tests check that both have the same V8 map.
 */
export function anyValueShape<T>(shape: Record<keyof T, null>): Record<keyof T, null> {
	return shape;
}
