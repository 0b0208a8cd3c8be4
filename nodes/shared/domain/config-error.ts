/**
 * A setting the user chose cannot work. Carries the fix in words, which the node shows as the error's
 * description, so nodes need no knowledge of the domain to explain it.
 */
export class ConfigError extends Error {
	constructor(
		message: string,
		readonly fix: string,
		readonly path?: string,
	) {
		super(message);
		this.name = 'ConfigError';
	}
}
