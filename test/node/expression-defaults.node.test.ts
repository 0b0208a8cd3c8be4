// No parameter of a RevOps node defaults to an expression that reads the item: n8n 2.x evaluates every
// expression, defaults included, in its sandboxed engine, which was most of n8n's work on the inbound
// path (#21); such defaults are read in code (nodes/shared/n8n/item-defaults.ts). The exceptions name
// another node of the template they belong to, which the node cannot know.
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import fs from 'node:fs';
import path from 'node:path';

const ALLOWED = new Set([
	// Chat Handoff's Check Answer reads the decision of the template's Decide Turn node for this message.
	'chatHandoff.turn',
	// RevOps Metrics' report names the template's Company Config node's Slack channel.
	'revOpsMetrics.channel',
	// The CRM node's Fields (JSON) is shown only when the builder chose to type the fields; it starts as the item's crmPatch.
	'revOpsCrm.fieldsJson',
]);

function descriptions(): INodeTypeDescription[] {
	const root = path.join(__dirname, '../../nodes');
	const out: INodeTypeDescription[] = [];
	for (const dir of fs.readdirSync(root)) {
		const file = path.join(root, dir, `${dir}.node.ts`);
		if (!fs.existsSync(file)) continue;
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const mod = require(file) as Record<string, new () => { description: INodeTypeDescription; nodeVersions?: Record<number, { description: INodeTypeDescription }> }>;
		const node = new mod[dir]();
		out.push(...(node.nodeVersions ? Object.values(node.nodeVersions).map((v) => v.description) : [node.description]));
	}
	return out;
}

function expressionDefaults(properties: readonly INodeProperties[], prefix: string): string[] {
	const out: string[] = [];
	for (const p of properties) {
		if (typeof p.default === 'string' && p.default.startsWith('=') && /\$json|\$\(|\$input/.test(p.default)) out.push(`${prefix}.${p.name}`);
		for (const option of (p.options ?? []) as Array<INodeProperties & { values?: INodeProperties[] }>) {
			if ('type' in option && 'default' in option) out.push(...expressionDefaults([option], prefix));
			if (option.values) out.push(...expressionDefaults(option.values, prefix));
		}
	}
	return out;
}

describe('parameter defaults', () => {
	it('read the item in code, never by an expression the engine evaluates on every item', () => {
		const all = descriptions();
		expect(all.length).toBeGreaterThan(15);
		const found = all.flatMap((d) => expressionDefaults(d.properties, d.name.replace(/^.*\./, '')));
		expect(found.filter((f) => !ALLOWED.has(f))).toEqual([]);
		// The allowed ones still exist (an entry left over would hide a new one).
		expect([...ALLOWED].filter((a) => !found.includes(a))).toEqual([]);
	});
});
