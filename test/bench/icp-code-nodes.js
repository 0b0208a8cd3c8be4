// The benchmark playbook (BENCH_ICP_PLAYBOOK) written by hand in n8n Code nodes, for the side-by-side
// run in n8n. Code nodes cannot require files, so each is a string of JavaScript.
'use strict';

// The same generator as generated-accounts.js.
const GENERATE_ACCOUNTS = `
const count = $input.first().json.body.count;
let s = 7;
const r = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s / 4294967296; };
const pick = (l) => l[Math.floor(r() * l.length)];
const IND = ['software','fintech','retail','manufacturing','healthcare','education','Software',''];
const CTY = ['US','GB','DE','FR','BR','IN','JP','CA','NL',''];
const STK = ['salesforce,slack','hubspot','pipedrive,zoom','','salesforce','zendesk,jira'];
const now = Date.parse('2026-11-21T00:00:00Z');
const out = [];
for (let i = 0; i < count; i++) out.push({ json: { id: i, name: 'Account ' + i, domain: 'account-' + i + '.example', industry: pick(IND),
  employees: r() < 0.1 ? null : Math.floor(r() ** 2 * 20000), annualRevenue: r() < 0.3 ? null : Math.floor(r() * 2e9), country: pick(CTY),
  techStack: pick(STK), lastFundingAt: r() < 0.5 ? null : new Date(now - Math.floor(r() * 1500) * 86400000).toISOString(), isCompetitor: r() < 0.01 } });
return out;`;

/**
 * The same scoring with the same output as the ICP Scorer: the icp result (fit score, tier and its
 * reason, knock-outs, a reason per criterion with label, value, status, sub-score, weight and points,
 * the explanation sentence, missing fields), the CRM patch and the audit entry. The bench checks that
 * both give equal items before it times them. Written as a builder would: plain loops, the playbook
 * as constants, no data validation beyond what this data needs (so it does less than the node).
 * `__RULESET__` is replaced by the node's ruleset hash, so the items can be compared whole.
 */
const SAME_OUTPUT = `
const RULESET = '__RULESET__';
const DAY = 86400000;
const now = Date.now();
const round1 = (n) => Math.round(n * 10) / 10;
const isMissing = (v) => v === undefined || v === null || v === '' || (typeof v === 'number' && Number.isNaN(v));
const toNumber = (v) => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v.replace(/[,\\s_]/g, '')) : NaN);
const lower = (v) => String(v).trim().toLowerCase();
const TIERS = { T1: 75, T2: 55, T3: 35 };
const criteria = [
  { id: 'industry', label: 'Industry', field: 'industry', weight: 30, score: (v) => (['software', 'fintech'].includes(lower(v)) ? 100 : 20) },
  { id: 'size', label: 'Employees', field: 'employees', weight: 25, numeric: true, band: true, score: (n) => (n < 20 ? 10 : n < 200 ? 60 : n < 5000 ? 100 : 70) },
  { id: 'revenue', label: 'Annual revenue', field: 'annualRevenue', weight: 15, numeric: true, score: (n) => (n >= 1e7 && n <= 1e9 ? 100 : 0) },
  { id: 'region', label: 'Core market', field: 'country', weight: 15, score: (v) => (['us', 'ca', 'gb', 'de', 'nl', 'fr'].includes(lower(v)) ? 100 : 0) },
  { id: 'stack', label: 'CRM we integrate with', field: 'techStack', weight: 10,
    score: (v) => (String(v).split(/[,;|]/).some((t) => t.trim().toLowerCase() === 'salesforce' || t.trim().toLowerCase() === 'hubspot') ? 100 : 0) },
  { id: 'funding', label: 'Funded in 18 months', field: 'lastFundingAt', weight: 5,
    score: (v) => { const t = Date.parse(v); return Number.isNaN(t) ? null : now - t <= 548 * DAY ? 100 : 0; } },
];
const shortValue = (v) => { const s = String(v); return typeof v === 'string' && s.length > 30 ? s.slice(0, 27) + '...' : s; };
const lost = (r) => r.maxPoints - r.points;
const audit = { node: 'icpScorer', nodeVersion: 1, decidedBy: 'rule', rulesetVersion: RULESET, latencyMs: 0, at: new Date(now).toISOString() };
const trail = [audit];
const started = Date.now();
const items = $input.all();
const out = new Array(items.length);
for (let i = 0; i < items.length; i++) {
  const a = items[i].json;
  const values = [];
  const subs = [];
  const missingFields = [];
  let totalWeight = 0;
  for (const c of criteria) {
    const raw = a[c.field];
    const value = isMissing(raw) ? null : c.numeric ? toNumber(raw) : raw;
    const sub = value === null || Number.isNaN(value) || value < 0 ? null : c.score(value);
    values.push(sub === null ? raw ?? null : value);
    subs.push(sub);
    if (sub === null) missingFields.push(c.field);
    else totalWeight += c.weight;
  }
  const reasons = [];
  let sum = 0;
  for (let k = 0; k < criteria.length; k++) {
    const c = criteria[k];
    const sub = subs[k];
    if (sub === null) {
      reasons.push({ criterion: c.id, label: c.label, value: values[k], status: 'excluded', subScore: null, weight: c.weight, points: 0, maxPoints: 0 });
      continue;
    }
    const share = c.weight / totalWeight;
    sum += share * sub;
    reasons.push({ criterion: c.id, label: c.label, value: values[k], status: c.band || sub === 100 ? 'matched' : 'not_matched', subScore: sub,
      weight: c.weight, points: round1(share * sub), maxPoints: round1(share * 100) });
  }
  const fitScore = totalWeight > 0 ? Math.round(sum * 10) / 10 : null;
  let explanation = 'No score: none of the criteria had data.';
  if (fitScore !== null) {
    // Array sort is stable, so ties keep the criteria's order.
    const scored = reasons.filter((r) => r.status !== 'excluded');
    const up = scored.filter((r) => r.points > 0).sort((x, y) => y.points - x.points).slice(0, 2);
    const down = scored.filter((r) => lost(r) > 0).sort((x, y) => lost(y) - lost(x)).slice(0, 2);
    const excluded = reasons.filter((r) => r.status === 'excluded');
    explanation = fitScore + '/100';
    if (up.length) explanation += '; up: ' + up.map((r) => r.label + ' = ' + shortValue(r.value) + ' (+' + r.points + ')').join(', ');
    if (down.length) explanation += '; down: ' + down.map((r) => r.label + ' = ' + shortValue(r.value) + ' (-' + round1(lost(r)) + ')').join(', ');
    if (excluded.length) explanation += '; not scored (no data): ' + excluded.slice(0, 3).map((r) => r.label).join(', ') + (excluded.length > 3 ? ', ...' : '');
    explanation += '.';
  }
  const knockouts = !isMissing(a.isCompetitor) && lower(a.isCompetitor) === 'true'
    ? [{ id: 'competitor', label: 'Competitor', field: 'isCompetitor', value: a.isCompetitor, reason: 'Competitor: isCompetitor = ' + String(a.isCompetitor) }]
    : [];
  let tier;
  let tierReason;
  if (knockouts.length) {
    tier = 'Disqualified';
    tierReason = 'knock-out: ' + knockouts.map((k) => k.reason).join('; ');
  } else if (fitScore === null) {
    tier = 'Disqualified';
    tierReason = 'no fit criterion had data, so fit is unknown';
  } else {
    tier = fitScore >= TIERS.T1 ? 'T1' : fitScore >= TIERS.T2 ? 'T2' : fitScore >= TIERS.T3 ? 'T3' : 'Disqualified';
    tierReason = 'fit ' + fitScore + ' is ' + (tier === 'Disqualified' ? 'below T3 (' + TIERS.T3 + ')' : 'at or above ' + tier + ' (' + TIERS[tier] + ')');
  }
  const icp = { fitScore, engagementScore: null, grade: null, tier, tierReason, knockouts, reasons, explanation, missingFields, flags: [], rulesetVersion: RULESET };
  const crmPatch = fitScore === null
    ? { icpTier: tier, icpExplanation: explanation, icpRulesetVersion: RULESET }
    : { icpFitScore: fitScore, icpTier: tier, icpExplanation: explanation, icpRulesetVersion: RULESET };
  out[i] = { json: { ...a, icp, crmPatch, _meta: audit, auditTrail: trail }, pairedItem: { item: i } };
}
audit.latencyMs = Math.round(((Date.now() - started) / Math.max(1, items.length)) * 1000) / 1000;
return out;`;

/**
 * Scores only: the same criteria, weights, missing-data rule, knock-out and tiers, with each
 * criterion's points, but none of the rest of the node's output (no labels or statuses in reasons, no
 * explanation or tier reason, no CRM patch or audit). Less work than the node does; shown for scale.
 */
const SCORES_ONLY = `
const criteria = [
  { id: 'industry', w: 30, f: (a) => a.industry ? (['software','fintech'].includes(String(a.industry).trim().toLowerCase()) ? 100 : 20) : null },
  { id: 'size', w: 25, f: (a) => { const n = Number(a.employees); if (a.employees === null || a.employees === undefined || Number.isNaN(n)) return null;
      return n < 20 ? 10 : n < 200 ? 60 : n < 5000 ? 100 : 70; } },
  { id: 'revenue', w: 15, f: (a) => { const n = Number(a.annualRevenue); if (a.annualRevenue === null || a.annualRevenue === undefined || Number.isNaN(n)) return null;
      return n >= 1e7 && n <= 1e9 ? 100 : 0; } },
  { id: 'region', w: 15, f: (a) => a.country ? (['us','ca','gb','de','nl','fr'].includes(String(a.country).toLowerCase()) ? 100 : 0) : null },
  { id: 'stack', w: 10, f: (a) => a.techStack ? (String(a.techStack).toLowerCase().split(',').some((t) => t === 'salesforce' || t === 'hubspot') ? 100 : 0) : null },
  { id: 'funding', w: 5, f: (a) => { if (!a.lastFundingAt) return null; const t = Date.parse(a.lastFundingAt); if (Number.isNaN(t)) return null;
      return Date.now() - t <= 548 * 86400000 ? 100 : 0; } },
];
return $input.all().map((item) => {
  const a = item.json;
  const subs = criteria.map((c) => ({ id: c.id, w: c.w, sub: c.f(a) }));
  const total = subs.reduce((s, x) => s + (x.sub === null ? 0 : x.w), 0);
  const reasons = subs.map((x) => ({ criterion: x.id, value: a[x.id] ?? null, points: x.sub === null || !total ? 0 : Math.round((x.w / total) * x.sub * 10) / 10 }));
  const fitScore = total ? Math.round(reasons.reduce((s, x) => s + x.points, 0) * 10) / 10 : null;
  const tier = a.isCompetitor === true ? 'Disqualified' : fitScore === null ? 'Disqualified' : fitScore >= 75 ? 'T1' : fitScore >= 55 ? 'T2' : fitScore >= 35 ? 'T3' : 'Disqualified';
  return { json: { ...a, icp: { fitScore, tier, reasons } }, pairedItem: item.pairedItem };
});`;

module.exports = { GENERATE_ACCOUNTS, SAME_OUTPUT, SCORES_ONLY };
