import { intern } from './text';

/**
 * Problems found on one item. Errors make the item invalid; warnings are kept on the item so a rep
 * or a later rule can see them, but never block it.
 */
export type IssueSeverity = 'error' | 'warning';

export interface Issue {
	field: string;
	code: string;
	/** Said to whoever sent the data (it may be shown on a public page): never about settings. */
	message: string;
	severity: IssueSeverity;
	/** The node setting behind the issue, for the builder (e.g. "Required Fields"). */
	setting?: string;
}

/** The issues of one severity, in an array of exactly their number (they are kept on every item). */
function ofSeverity(items: Issue[], severity: IssueSeverity): Issue[] {
	let n = 0;
	for (const issue of items) if (issue.severity === severity) n++;
	if (n === 0) return [];
	const out = new Array<Issue>(n);
	let j = 0;
	for (const issue of items) if (issue.severity === severity) out[j++] = issue;
	return out;
}

export class IssueList {
	readonly items: Issue[] = [];

	error(field: string, code: string, message: string, setting?: string): void {
		const issue: Issue = { field, code, message: intern(message), severity: 'error' };
		if (setting) issue.setting = setting;
		this.items.push(issue);
	}

	warn(field: string, code: string, message: string): void {
		this.items.push({ field, code, message: intern(message), severity: 'warning' });
	}

	get errors(): Issue[] {
		return ofSeverity(this.items, 'error');
	}

	get warnings(): Issue[] {
		return ofSeverity(this.items, 'warning');
	}
}
