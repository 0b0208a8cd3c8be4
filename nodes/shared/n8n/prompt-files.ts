import { readFileSync } from 'node:fs';
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
