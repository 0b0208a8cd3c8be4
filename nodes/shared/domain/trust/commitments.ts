/**
 * Commitments in model text: prices, discounts, budgets, approvals, terms and "no review needed".
 * A model that repeats (or invents) one writes it as if it were settled; only a person may settle it.
 * Found in a summary, a next step or a draft, they keep that text out of `crmPatch` and out of any
 * message sent without a person, whatever the tier.
 */
const RULES: Array<{ id: string; re: RegExp }> = [
	{ id: 'discount', re: /(?<![\p{L}])(discount\w*|\d+\s?% off|rebate|rabatt\w*|nachlass|remise|réduction|descuento|desconto|sconto|korting|折扣|折|割引|値引)/iu },
	{ id: 'price', re: /(?<![\p{L}])((?:price[ds]?|pricing|costs?|rate|preis|prix|precio|preço|prezzo|prijs)\s+(?:of|at|is|will be|would be|von|ist|beträgt|de|est|es|é|di|è|van)?\s*(?:only\s+|just\s+|nur\s+)?(?:\$|€|£|usd|eur)\s?\d|(?:\$|€|£)\s?\d[\d,.]*\s?(?:k|m)?\s?(?:\/|per|a|each|pro|par|por|al|per)\s?(?:month|year|seat|user|licen[cs]e|monat|jahr|mois|an|mes|año|mês|ano|mese|anno|maand|jaar)|价格为|価格は)/iu },
	{ id: 'budget', re: /(?<![\p{L}])(budget|etat|presupuesto|orçamento|orcamento|bilancio|begroting|预算|預算|予算)s?(?![\p{L}])[^.\n]{0,40}(approved|allocated|confirmed|signed|genehmigt|freigegeben|approuvé|aprobado|aprovado|approvato|goedgekeurd|批准|承認|(?:\$|€|£)\s?\d|\d[\d,.]*\s?(?:k|m|million|mio)?\s?(?:\$|€|£|usd|eur|dollars?|euros?))/iu },
	{ id: 'approval', re: /(?<![\p{L}])(approved|approval (?:granted|given|confirmed)|pre-?approved|signed off|sign-off (?:given|granted)|genehmigt|freigegeben|approuvée?|aprobad[oa]|aprovad[oa]|approvat[oa]|goedgekeurd|已批准|批准了|承認済み|承認されました)(?![\p{L}])/iu },
	{ id: 'no-review', re: /(?<![\p{L}])((?:skip|bypass|without|no need for|no)\s+(?:the\s+|any\s+|human\s+|manual\s+)*(?:review|approval|verification|checks?)|ohne (?:prüfung|freigabe)|sans (?:validation|revue)|sin (?:revisión|aprobación)|sem (?:revisão|aprovação)|senza (?:revisione|approvazione)|zonder (?:controle|goedkeuring)|无需审核|審査不要)/iu },
	{ id: 'terms', re: /(?<![\p{L}])(free of charge|for free|waive[ds]?|waiver|refund|money-back|guarantee[ds]?|net ?\d{2,3}(?!\d)|payment terms|contract (?:terms|length) of|lock(?:ed)? (?:in|the) (?:price|rate)|kostenlos|gratuit|gratis|gratuito|garantie|garantía|garantia|garanzia|rimborso|remboursement|reembolso|terugbetaling|免费|無料|保証)/iu },
];

/** Ids and words of the commitments in `text`, e.g. ["discount: 40% off", "approval: approved"]. */
export function findCommitments(text: string): string[] {
	if (!text) return [];
	const found: string[] = [];
	for (const { id, re } of RULES) {
		const m = re.exec(text);
		if (m) found.push(`${id}: ${m[0].trim().slice(0, 60)}`);
	}
	return found;
}
