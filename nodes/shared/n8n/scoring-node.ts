import { performance } from 'node:perf_hooks';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { canonicalJson } from '../domain/hash';
import type { JsonataConditions } from '../domain/scoring/weighted-score';
import { mergeCrmPatch, withAudit } from './audit';
import { routeItems } from './item-router';
import { parametersDependOnItem } from './playbook-params';

interface Scorer {
	rulesetVersion: string;
	jsonata: JsonataConditions;
}

export interface ScoringNodeSpec<S extends Scorer, R> {
	node: string;
	outputCount: number;
	/** Output that takes error items under "On Error: Continue". */
	errorOutput: number;
	/** The playbook for item i, as the node's parameters describe it. */
	readPlaybook(i: number): unknown;
	build(playbook: unknown): S;
	score(scorer: S, item: IDataObject, now: number, jsonata: Map<string, unknown> | undefined): R;
	output(scorer: S, result: R): number;
	crmPatch(result: R, scorer: S): Record<string, unknown>;
}

/**
 * The item loop of the deterministic scorers. The playbook is read and compiled once per run unless
 * a parameter reads the current item (then once per distinct playbook); JSONata conditions, which
 * evaluate asynchronously, are awaited only when the playbook has any.
 */
export async function runScoringNode<S extends Scorer, R extends object>(
	ctx: IExecuteFunctions,
	spec: ScoringNodeSpec<S, R>,
): Promise<INodeExecutionData[][]> {
	const perItem = parametersDependOnItem(ctx);
	const cache = new Map<string, S>();
	let shared: S | undefined;
	const scorerFor = (i: number): S => {
		if (!perItem && shared) return shared;
		const playbook = spec.readPlaybook(i);
		const key = canonicalJson(playbook);
		let scorer = cache.get(key);
		if (!scorer) {
			scorer = spec.build(playbook);
			cache.set(key, scorer);
		}
		if (!perItem) shared = scorer;
		return scorer;
	};
	const outputField = String((ctx.getNodeParameter('options', 0, {}) as IDataObject).outputField || spec.node.replace(/Scorer$|Score$/, '').toLowerCase());
	const now = Date.now();
	const nowIso = new Date(now).toISOString();
	const nodeVersion = ctx.getNode().typeVersion;

	return await routeItems(ctx, spec.outputCount, spec.errorOutput, async (item, i) => {
		const started = performance.now();
		const scorer = scorerFor(i);
		const jsonata = scorer.jsonata.empty ? undefined : await scorer.jsonata.evaluate(item.json);
		const result = spec.score(scorer, item.json, now, jsonata);
		const json: IDataObject = { ...item.json, [outputField]: { ...(result as IDataObject), rulesetVersion: scorer.rulesetVersion } };
		json.crmPatch = mergeCrmPatch(item.json, spec.crmPatch(result, scorer));
		return {
			output: spec.output(scorer, result),
			json: withAudit(json, {
				node: spec.node,
				nodeVersion,
				decidedBy: 'rule',
				rulesetVersion: scorer.rulesetVersion,
				latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
				at: nowIso,
			}),
		};
	});
}
