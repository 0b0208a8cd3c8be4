import { DateTime } from 'luxon';
import { type IDataObject, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeBaseDescription, type INodeTypeDescription } from 'n8n-workflow';
import { getPath } from '../../shared/domain/approval/approval-request';
import { BusinessCalendar } from '../../shared/domain/business-calendar';
import { versionHash } from '../../shared/domain/hash';
import { onboardingConfig, researchConfig } from '../../shared/domain/planning/config';
import { recommendNextAction, type NextAction } from '../../shared/domain/planning/next-action';
import { businessDaysAfter, checkOverdue, onboardingChecklist } from '../../shared/domain/planning/onboarding';
import { pageText, type PageText } from '../../shared/domain/planning/page-text';
import { AccountResearcher, type NewsFinding, type Research } from '../../shared/domain/planning/research';
import { accountHost, pageUrls } from '../../shared/domain/planning/urls';
import { safeText } from '../../shared/domain/text';
import { addAudit, mergeCrmPatch, nodeAudit } from '../../shared/n8n/audit';
import { readCompanyConfig } from '../../shared/n8n/crm-store';
import { itemParameter, routeItemsConcurrently } from '../../shared/n8n/item-router';
import { firstField, parameterOrItem } from '../../shared/n8n/item-defaults';
import { trustOf, withTrust } from '../../shared/n8n/trust';
import { accountPlannerProperties, configuredOutputs, OUTPUT_NAMES, TEXTS_FROM_ITEM, type Operation } from './description';
import { fetchPage, pageLimiter, type FetchedPage } from './fetch-pages';

const NODE = 'accountPlanner';
const DEFAULT_FIELD: Record<Operation, string> = { research: 'research', nextAction: 'nextAction', onboardingChecklist: 'onboarding', overdueTasks: 'overdue' };

const textOf = (v: unknown) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '');
const EMAIL = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[a-z]{2,63}$/i;
/** A number from a number or a numeric text; anything else (an object, NaN, Infinity) is no number. */
const numberOf = (v: unknown) => {
	const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
	return Number.isFinite(n) ? n : null;
};
const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);

/** The pages an item carries: a list of { url, html } (or body, text) from an HTTP Request node. */
function pagesOnItem(value: unknown): FetchedPage[] {
	const list = Array.isArray(value) ? value : value && typeof value === 'object' ? [value] : [];
	return list.slice(0, 50).map((p) => {
		const page = (p && typeof p === 'object' ? p : {}) as Record<string, unknown>;
		const html = [page.html, page.body, page.data, page.text].find((v) => typeof v === 'string') as string | undefined;
		return { url: textOf(page.url) || 'item', status: null, html: (html ?? '').slice(0, 1_500_000), bytes: html?.length ?? 0, cut: false, error: html === undefined ? 'no html, body or text on this page' : null };
	});
}

const evidenceLine = (field: string, quote: string, url: string) => `${field}: ${quote} (${url})`.slice(0, 600);
const newsLine = (n: NewsFinding) => `${n.date} ${n.kind}: ${n.headline} (${n.evidence.url})`.slice(0, 600);

/**
 * Account Planner: stage 2 (research an account from its own pages, recommend the next action with an
 * owner task) and stage 5 (the onboarding checklist of a won deal, and the overdue tasks whose owner
 * must hear). The rules live in nodes/shared/domain/planning; this file reads parameters, fetches
 * pages and writes the items.
 */
export class AccountPlannerV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ {research: "research account", nextAction: "next action", onboardingChecklist: "onboarding checklist", overdueTasks: "overdue tasks"}[$parameter["operation"]] }}',
			defaults: { name: 'Account Planner' },
			inputs: ['main'],
			outputs: `={{(${configuredOutputs})($parameter)}}`,
			usableAsTool: true,
			properties: accountPlannerProperties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const operation = this.getNodeParameter('operation', 0) as Operation;
		const options = this.getNodeParameter('options', 0, {}) as IDataObject;
		const field = textOf(options.outputField) || DEFAULT_FIELD[operation];
		const version = this.getNode().typeVersion;
		const outputs = OUTPUT_NAMES[operation].length;
		const limiter = pageLimiter();
		const now = new Date();
		// One researcher per distinct research config of the run (its patterns are built once, not per account).
		const researchers = new Map<string, { settings: ReturnType<typeof researchConfig>; researcher: AccountResearcher; version: string }>();
		const researcherFor = (raw: unknown) => {
			const key = JSON.stringify(raw ?? {});
			let entry = researchers.get(key);
			if (!entry) {
				const settings = researchConfig(raw);
				entry = { settings, researcher: new AccountResearcher(settings), version: versionHash(settings) };
				researchers.set(key, entry);
			}
			return entry;
		};

		return await routeItemsConcurrently(this, outputs, 0, async (item, i) => {
			const started = Date.now();
			const { config } = readCompanyConfig(this, i);
			const json: IDataObject = { ...item.json };
			const read = (name: string) => (name in TEXTS_FROM_ITEM ? parameterOrItem(this, name, i, (json) => firstField(json, TEXTS_FROM_ITEM[name]) ?? '') : itemParameter(this, name, i, '', () => undefined));
			const param = (name: string) => textOf(read(name));

			if (operation === 'research') {
				const { settings, researcher, version: rulesetVersion } = researcherFor(config.research);
				const { host, problem } = accountHost(read('domain'));
				let fetched: FetchedPage[] = [];
				if (this.getNodeParameter('pagesFrom', i, 'fetch') === 'item') fetched = pagesOnItem(getPath(item.json, String(this.getNodeParameter('pagesField', i, 'pages'))));
				else if (host) {
					const paths = textOf(options.paths) ? textOf(options.paths).split(',').map((p) => p.trim()).filter((p) => p.startsWith('/')) : settings.pages;
					const urls = pageUrls(host, paths, textOf(options.urlTemplate) || settings.urlTemplate);
					const fetchSettings = { timeoutMs: Number(options.timeoutMs) || 10_000, allowPrivate: typeof options.allowPrivate === 'boolean' ? options.allowPrivate : settings.allowPrivateNetwork };
					fetched = await Promise.all(urls.map((url) => limiter.run(() => fetchPage(this, url, fetchSettings))));
				}
				const pages: PageText[] = fetched.filter((p) => !p.error && p.html).map((p) => pageText(p.url, p.html));
				const found = researcher.research(pages, now);
				const patch = researchPatch(json, found, this.getNodeParameter('overwrite', i, false) === true, now);
				json[field] = {
					status: !host && !fetched.length ? 'no_domain' : found.pagesRead ? 'researched' : 'nothing_read',
					domain: host,
					problem,
					industry: found.industry ?? { value: 'unknown', note: found.industryNote },
					employees: found.employees ?? { value: 'unknown' },
					techStack: found.techStack,
					news: found.news,
					lastFundingAt: found.lastFundingAt,
					pages: fetched.map((p) => ({ url: p.url, status: p.status, bytes: p.bytes, cut: p.cut, error: p.error })),
				} as unknown as IDataObject;
				json.crmPatch = mergeCrmPatch(json, patch);
				withTrust(json, trustOf(item.json), NODE, found.screen);
				return { output: 0, json: addAudit(json, nodeAudit(NODE, version, rulesetVersion, started)) };
			}

			if (operation === 'nextAction') {
				const icp = (item.json.icp && typeof item.json.icp === 'object' ? item.json.icp : {}) as IDataObject;
				const research = (item.json.research && typeof item.json.research === 'object' ? item.json.research : {}) as IDataObject;
				const { host } = accountHost(read('domain'));
				const action = recommendNextAction({
					icpTier: textOf(icp.tier ?? item.json.icpTier) || null,
					fitScore: numberOf(icp.fitScore === undefined ? item.json.icpFitScore : icp.fitScore),
					tier: param('tier'),
					lifecycle: param('lifecycle') || null,
					isCompetitor: item.json.isCompetitor === true,
					knockedOut: Array.isArray(icp.knockouts) && icp.knockouts.length > 0,
					hasOpenDeal: itemParameter(this, 'hasOpenDeal', i, false, () => undefined) === true,
					news: Array.isArray(research.news) ? (research.news as unknown as NewsFinding[]).filter((n) => n && typeof n.kind === 'string' && typeof n.headline === 'string' && typeof n.date === 'string') : [],
					owner: param('owner') || null,
					dealOwner: param('dealOwner') || null,
					fallbackOwner: config.routing?.queueOwner ?? config.channels.notifyEmail ?? null,
				});
				const calendar = new BusinessCalendar(config.calendar);
				const dueAt = action.dueBusinessDays === null ? null : businessDaysAfter(calendar, now.getTime(), action.dueBusinessDays);
				json[field] = { ...action, dueAt, task: host ? nextActionTask(host, action, dueAt, now) : null, message: host && action.action !== 'no_action' ? { to: EMAIL.test(action.owner ?? '') ? action.owner : (config.channels.notifyEmail ?? config.routing?.queueOwner ?? null), ...ownerMessage(host, action, dueAt, research) } : null } as unknown as IDataObject;
				if (action.action !== 'no_action') json.crmPatch = mergeCrmPatch(json, { nextAction: `${action.title} (${action.why.join('; ')})`.slice(0, 2000), nextActionDueAt: dueAt });
				return { output: action.action === 'no_action' || !host ? 1 : 0, json: addAudit(json, nodeAudit(NODE, version, null, started)) };
			}

			if (operation === 'onboardingChecklist') {
				const settings = onboardingConfig(config.onboarding);
				const dealId = safeText(param('dealId'), 200);
				if (!dealId) {
					json[field] = { tasks: [], unassigned: [], problem: 'the deal has no ID: set Deal ID (the won opportunity\'s externalId) so the tasks can be tied to it' };
				} else {
					const owner = param('owner') || null;
					const checklist = onboardingChecklist(
						{ dealId, accountDomain: accountHost(param('accountDomain')).host, accountName: param('accountName') || null, tier: param('tier'), wonAt: param('wonAt') || null, dealOwner: param('dealOwner') || null, accountOwner: owner },
						settings,
						new BusinessCalendar(config.calendar),
						now,
					);
					json[field] = { dealId, ...checklist, problem: checklist.unassigned.length ? `no owner for ${checklist.unassigned.join(', ')}: set onboarding.owner in the company config, or the deal owner` : null } as unknown as IDataObject;
				}
				return { output: 0, json: addAudit(json, nodeAudit(NODE, version, versionHash(settings.checklist), started)) };
			}

			// Overdue tasks
			const settings = onboardingConfig(config.onboarding);
			const path = String(this.getNodeParameter('taskFields', i, 'crm.record.fields'));
			const at = getPath(item.json, path);
			const task = (at && typeof at === 'object' ? at : item.json) as IDataObject;
			const check = checkOverdue(task, now, settings.remindEveryHours);
			// The alert is an e-mail: an owner kept as a user id (or junk) hands it to the queue owner, who is told why.
			const owner = textOf(task.owner);
			const ownerAddress = EMAIL.test(owner) ? owner : null;
			const to = ownerAddress ?? config.routing?.queueOwner ?? config.channels.notifyEmail ?? null;
			const summary = safeText(task.summary ?? 'A task', 300);
			json[field] = {
				...check,
				to,
				ownerNote: ownerAddress ? null : owner ? `the task's owner "${safeText(owner, 60)}" is not an e-mail address: sent to ${to ?? 'nobody'}` : `the task has no owner: sent to ${to ?? 'nobody'}`,
				externalId: textOf(task.externalId) || null,
				message: check.overdue
					? {
							subject: `Overdue ${check.daysOverdue ? `${check.daysOverdue} day${check.daysOverdue === 1 ? '' : 's'}` : 'today'}: ${summary}`.slice(0, 300),
							text: `${summary}\nDue: ${textOf(task.dueAt)}\nAccount: ${textOf(task.accountDomain) || 'unknown'}${task.checklist ? `\nChecklist: ${textOf(task.checklist)}` : ''}\n\nMark it done in the CRM (taskStatus: done), or move its due date.`,
						}
					: null,
				taskPatch: check.alert ? { alertedAt: now.toISOString() } : null,
			} as unknown as IDataObject;
			return { output: check.alert && to ? 0 : 1, json: addAudit(json, nodeAudit(NODE, version, null, started)) };
		});
	}
}

/**
 * What research adds to the account: values only with a quote behind them, known values kept unless
 * the builder chose to overwrite, new technologies appended, the newest funding date. The item gets
 * the same values at the top level, so an ICP Scorer right after re-scores with them.
 */
function researchPatch(json: IDataObject, found: Research, overwrite: boolean, now: Date): Record<string, unknown> {
	if (!found.pagesRead) return {};
	const patch: Record<string, unknown> = { researchedAt: now.toISOString() };
	const evidence: string[] = [];
	if (found.industry && (overwrite || isEmpty(json.industry))) {
		patch.industry = found.industry.value;
		json.industry = found.industry.value;
	}
	if (found.industry) evidence.push(...found.industry.evidence.map((e) => evidenceLine(`industry ${found.industry!.value}`, e.quote, e.url)));
	if (found.employees) {
		if (overwrite || isEmpty(json.employeeCount)) {
			patch.employeeCount = found.employees.value;
			json.employeeCount = found.employees.value;
		}
		evidence.push(evidenceLine(`employees ${found.employees.value}`, found.employees.evidence.quote, found.employees.evidence.url));
	}
	if (found.techStack.length) {
		const known = Array.isArray(json.techStack) ? json.techStack.filter((t): t is string => typeof t === 'string') : [];
		const added = found.techStack.map((t) => t.name).filter((t) => !known.includes(t));
		if (added.length) {
			patch.techStack = added;
			json.techStack = [...known, ...added];
		}
		evidence.push(...found.techStack.map((t) => evidenceLine(`tech ${t.name} (${t.how})`, t.evidence.quote, t.evidence.url)));
	}
	const known = typeof json.lastFundingAt === 'string' ? Date.parse(json.lastFundingAt) : NaN;
	if (found.lastFundingAt && (!Number.isFinite(known) || known < Date.parse(found.lastFundingAt))) {
		patch.lastFundingAt = found.lastFundingAt;
		json.lastFundingAt = found.lastFundingAt;
	}
	if (evidence.length) patch.researchEvidence = evidence.slice(0, 30);
	if (found.news.length) patch.recentNews = found.news.map(newsLine);
	return patch;
}

/** The owner's task for a next action: one per account, action and ISO week (a daily run updates it, never duplicates it). */
function nextActionTask(domain: string, action: NextAction, dueAt: string | null, now: Date): IDataObject | null {
	if (action.action === 'no_action' || !dueAt) return null;
	const week = DateTime.fromJSDate(now, { zone: 'utc' }).toFormat("kkkk-'W'WW");
	return {
		externalId: `next-action:${domain}:${action.action}:${week}`,
		type: 'task',
		summary: action.title.slice(0, 500),
		nextStep: action.why.join('; ').slice(0, 2000),
		outcome: `recommended (${action.priority})`,
		owner: action.owner,
		dueAt,
		taskStatus: 'open',
		occurredAt: now.toISOString(),
		accountDomain: domain,
	};
}

/** What the owner reads: the action, why, by when, and what the research found with its sources. */
function ownerMessage(domain: string, action: NextAction, dueAt: string | null, research: IDataObject): IDataObject {
	const finding = (v: unknown) => (v && typeof v === 'object' ? textOf((v as IDataObject).value) : '') || 'unknown';
	const news = Array.isArray(research.news) ? (research.news as unknown as NewsFinding[]).slice(0, 5).map((n) => `- ${n.date} ${n.kind}: ${safeText(n.headline, 200)} (${safeText(n.evidence?.url, 200)})`) : [];
	const tech = Array.isArray(research.techStack) ? (research.techStack as IDataObject[]).map((t) => textOf(t.name)).filter(Boolean) : [];
	const lines = [
		`${action.title}`,
		`Why: ${action.why.join('; ')}`,
		`Priority: ${action.priority}${dueAt ? `, due ${dueAt}` : ''}`,
		'',
		`What ${domain}'s own pages say:`,
		`Industry: ${finding(research.industry)}`,
		`Employees: ${finding(research.employees)}`,
		`Technology: ${tech.length ? tech.join(', ') : 'none found'}`,
		...(news.length ? ['Recent news:', ...news] : ['Recent news: none found']),
	];
	return { subject: `Next action on ${domain}: ${NEXT_ACTION_SUBJECT[action.priority]}${action.title}`.slice(0, 250), text: lines.join('\n') };
}

const NEXT_ACTION_SUBJECT = { high: '[high] ', medium: '', low: '' } as const;

