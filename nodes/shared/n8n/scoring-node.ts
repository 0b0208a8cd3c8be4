import { performance } from 'node:perf_hooks';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { canonicalJson } from '../domain/hash';
import type { JsonataConditions } from '../domain/scoring/weighted-score';
import { mergeCrmPatch, type AuditEntry } from './audit';
import { routeItems } from './item-router';
import { parametersDependOnItem } from './playbook-params';

interface Scorer {
	/** Also on every result the scorer returns. */
	rulesetVersion: string;
	jsonata: JsonataConditions;
}

export interface ScoringNodeSpec<S extends Scorer, R extends { rulesetVersion: string }> {
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
export async function runScoringNode<S extends Scorer, R extends { rulesetVersion: string }>(
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

	// Scoring is deterministic and takes microseconds, so one audit entry per ruleset serves every item
	// of the run (its latencyMs is the run's average per item, filled in at the end). Sharing it, and the
	// one-entry trail, avoids allocating two objects per item when re-scoring a whole CRM.
	const audits = new Map<S, { entry: AuditEntry; trail: AuditEntry[] }>();
	const auditFor = (scorer: S) => {
		let audit = audits.get(scorer);
		if (!audit) {
			const entry: AuditEntry = { node: spec.node, nodeVersion, decidedBy: 'rule', rulesetVersion: scorer.rulesetVersion, latencyMs: 0, at: nowIso };
			audit = { entry, trail: [entry] };
			audits.set(scorer, audit);
		}
		return audit;
	};
	const finish = (item: INodeExecutionData, scorer: S, result: R) => {
		const audit = auditFor(scorer);
		// Every field in one literal: adding fields to the copy one by one reallocates its storage, for
		// every account of a whole-CRM re-score.
		const json: IDataObject = {
			...item.json,
			[outputField]: result as IDataObject,
			crmPatch: mergeCrmPatch(item.json, spec.crmPatch(result, scorer)),
			_meta: audit.entry,
			auditTrail: Array.isArray(item.json.auditTrail) ? [...(item.json.auditTrail as IDataObject[]), audit.entry] : audit.trail,
		};
		return { output: spec.output(scorer, result), json };
	};

	const started = performance.now();
	const outputs = await routeItems(ctx, spec.outputCount, spec.errorOutput, (item, i) => {
		const scorer = scorerFor(i);
		if (scorer.jsonata.empty) return finish(item, scorer, spec.score(scorer, item.json, now, undefined));
		return scorer.jsonata.evaluate(item.json).then((jsonata) => finish(item, scorer, spec.score(scorer, item.json, now, jsonata)));
	});
	const averageMs = Math.round(((performance.now() - started) / Math.max(1, ctx.getInputData().length)) * 1000) / 1000;
	for (const { entry } of audits.values()) entry.latencyMs = averageMs;
	return outputs;
}
