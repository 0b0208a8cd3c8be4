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

export class IssueList {
	readonly items: Issue[] = [];

	error(field: string, code: string, message: string, setting?: string): void {
		this.items.push({ field, code, message, severity: 'error', ...(setting ? { setting } : {}) });
	}

	warn(field: string, code: string, message: string): void {
		this.items.push({ field, code, message, severity: 'warning' });
	}

	get errors(): Issue[] {
		return this.items.filter((i) => i.severity === 'error');
	}

	get warnings(): Issue[] {
		return this.items.filter((i) => i.severity === 'warning');
	}
}
