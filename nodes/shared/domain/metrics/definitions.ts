/**
 * What each sales KPI means: the one home of the definitions the metrics carry on every figure and
 * the README lists. A figure is computed for a period [from, to) and a group of deals; its `count`
 * is the records behind it, and every record left out is named with the reason.
 */

export const KPI_DEFINITIONS = {
	winRate: { name: 'Win rate', unit: 'ratio', formula: 'won / (won + lost), deals closed in the period' },
	cycleDaysMedian: { name: 'Sales cycle (median)', unit: 'days', formula: 'median of closedAt - openedAt, deals won in the period' },
	cycleDaysP75: { name: 'Sales cycle (p75)', unit: 'days', formula: '75th percentile of closedAt - openedAt, deals won in the period' },
	acv: { name: 'Average contract value', unit: 'currency', formula: 'mean amount of deals won in the period (company currency only)' },
	velocity: {
		name: 'Sales velocity',
		unit: 'currency per day',
		formula: 'open deals at the period end x win rate x ACV / median sales cycle in days',
	},
	pipeline: { name: 'Open pipeline', unit: 'currency', formula: 'sum of amounts of deals open at the period end with an expected close date in the next period' },
	coverage: { name: 'Pipeline coverage', unit: 'ratio', formula: 'open pipeline / quota of the next period (healthy: 3 to 5)' },
	weightedPipeline: { name: 'Weighted pipeline', unit: 'currency', formula: 'sum of amount x win probability of the deal\'s stage (config stageProbabilities), open deals closing in the next period' },
	commit: { name: 'Commit', unit: 'currency', formula: 'sum of amounts of open deals closing in the next period with forecast category commit' },
	bestCase: { name: 'Best case', unit: 'currency', formula: 'commit plus open deals closing in the next period with forecast category best_case' },
	bookings: { name: 'Bookings', unit: 'currency', formula: 'sum of amounts of deals won in the period (company currency only)' },
	pipelineCreated: { name: 'Pipeline created', unit: 'currency', formula: 'sum of amounts of deals opened in the period (company currency only)' },
	cac: { name: 'Customer acquisition cost', unit: 'currency', formula: 'sales and marketing spend of the period (config metrics.spend) / deals won in the period' },
	activityToOpportunity: { name: 'Activities per opportunity', unit: 'ratio', formula: 'calls, meetings, e-mails and LinkedIn touches in the period / deals opened in the period' },
	responseMinutesMedian: { name: 'Lead response time (median)', unit: 'minutes', formula: 'median of firstRespondedAt - firstTouchAt, leads first touched in the period that got a response' },
	slaHitRate: { name: 'First-response SLA hit rate', unit: 'ratio', formula: 'leads answered by firstResponseDueAt / leads first touched in the period whose deadline has passed' },
	noOwnerLeads: { name: 'Leads without an owner', unit: 'count', formula: 'leads first touched in the period with no owner' },
	nrr: { name: 'Net revenue retention', unit: 'ratio', formula: 'recurring revenue at the period end of accounts that had some at its start / their recurring revenue at its start (expansion counts, new accounts do not)' },
	grr: { name: 'Gross revenue retention', unit: 'ratio', formula: 'sum over the same accounts of min(revenue at the end, revenue at the start) / their revenue at the start (expansion does not count)' },
} as const;

export type KpiId = keyof typeof KPI_DEFINITIONS;

export const FORECAST_DEFINITIONS = {
	learnedProbability: 'won / closed, among deals closed before the period end that reached the stage (a deal reaches every stage up to the furthest it entered)',
	accuracy: '1 - |forecast - bookings| / bookings, for the forecast stored at the end of the period before (null when nothing was booked)',
	bias: '(forecast - bookings) / bookings: above 0 the forecast was too high',
} as const;

export const STAGE_DEFINITIONS = {
	conversion: 'deals that reached the next stage / deals that reached this stage (a deal reaches every stage up to the furthest it entered), among deals opened in the period',
	timeInStage: 'days from entering a stage to leaving it (median and p75), stage changes in the period',
} as const;
