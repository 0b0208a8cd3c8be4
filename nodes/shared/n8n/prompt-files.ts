import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Default prompts ship as reviewed text in prompts/ (copied to dist/prompts by the build), two levels
 * above this file in both the sources and dist. __dirname is one of n8n Cloud's restricted globals;
 * this package is for self-hosted n8n (it has runtime dependencies), where reading its own files is fine.
 */
export function readPrompt(file: string): string {
	// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals
	return readFileSync(join(__dirname, '..', '..', '..', 'prompts', file), 'utf8').trim();
}

/**
 * Where company config files are looked for: REVOPS_CONFIG_DIR (or the revops-companies folder in
 * n8n's user folder), then the example companies shipped in the package. Environment variables are
 * how a self-hosted operator sets one company per instance (and per queue-mode worker).
 */
export function companyConfigFolders(): string[] {
	/* eslint-disable @n8n/community-nodes/no-restricted-globals */
	const userFolder = process.env.N8N_USER_FOLDER || homedir();
	return [process.env.REVOPS_CONFIG_DIR || join(userFolder, '.n8n', 'revops-companies'), join(__dirname, '..', '..', '..', 'workflows', 'companies')];
	/* eslint-enable @n8n/community-nodes/no-restricted-globals */
}

/** The company an instance runs for when a Company Config node names none. */
export function defaultCompanyId(): string {
	// eslint-disable-next-line @n8n/community-nodes/no-restricted-globals
	return process.env.REVOPS_COMPANY ?? '';
}
