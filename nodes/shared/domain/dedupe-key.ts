/**
 * The key a lead is matched on against the CRM, most reliable identity first:
 *   1. `email:<address>`: lower-cased, "+tag" removed; for Gmail also dots removed and googlemail.com
 *      folded into gmail.com (Gmail ignores both, so they are one inbox).
 *   2. `phone:<E.164>` when there is no usable e-mail.
 *   3. `name:<full name>|<company domain or company name>`, lower-cased, when neither exists.
 * null when none of these can be formed; such a lead cannot be deduplicated.
 */
export function dedupeKeyOf(lead: {
	email: string | null;
	phone: string | null;
	fullName: string | null;
	companyDomain: string | null;
	company: string | null;
}): string | null {
	if (lead.email) {
		const at = lead.email.lastIndexOf('@');
		let local = lead.email.slice(0, at).split('+')[0];
		let domain = lead.email.slice(at + 1);
		if (domain === 'googlemail.com') domain = 'gmail.com';
		if (domain === 'gmail.com') local = local.replace(/\./g, '');
		if (local) return `email:${local}@${domain}`;
	}
	if (lead.phone) return `phone:${lead.phone}`;
	const org = lead.companyDomain ?? lead.company;
	if (lead.fullName && org) return `name:${lead.fullName.toLowerCase()}|${org.toLowerCase()}`;
	return null;
}
