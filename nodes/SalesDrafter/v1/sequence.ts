import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { getPath } from '../../shared/domain/approval/approval-request';
import type { LoadedCompanyConfig } from '../../shared/domain/crm/company-config';
import { updateState } from '../../shared/domain/crm/state';
import type { CrmStore } from '../../shared/domain/crm/store';
import { draftingConfig } from '../../shared/domain/drafting/config';
import { claimSendSlot, sendCapKey, sequenceDecision, sequenceSettings, type SendCapState, type SequenceDecision, type SequenceKind } from '../../shared/domain/drafting/sequence';
import { openCrmStore } from '../../shared/n8n/crm-store';

/**
 * The Sales Drafter's sequence step (the rules are in domain/drafting/sequence.ts): is the item's lead
 * due, and may its sender send one more today (the cap is kept in the company's CRM store, so it holds
 * across runs and queue-mode workers).
 */
export function sequenceStep(ctx: IExecuteFunctions, kind: SequenceKind) {
	const leadFrom = String(ctx.getNodeParameter('leadFrom', 0, 'crm.record.fields') ?? '').trim();
	let store: Promise<CrmStore> | null = null;
	return {
		decide(json: IDataObject, tier: unknown, loaded: LoadedCompanyConfig): SequenceDecision {
			const at = leadFrom ? getPath(json, leadFrom) : undefined;
			const lead = at && typeof at === 'object' && !Array.isArray(at) ? (at as Record<string, unknown>) : json;
			return sequenceDecision(lead, tier, Date.now(), sequenceSettings(draftingConfig(loaded.config.drafting)), kind);
		},
		async claim(loaded: LoadedCompanyConfig, sender: string): Promise<{ granted: boolean; reason: string }> {
			store ??= openCrmStore(ctx, 0).then((o) => o.store);
			const cap = sequenceSettings(draftingConfig(loaded.config.drafting)).dailyCapPerSender;
			// The company's day, in its own time zone.
			const day = new Intl.DateTimeFormat('en-CA', { timeZone: loaded.config.calendar.timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
			const { result } = await updateState<SendCapState, { granted: boolean; sent: number }>(await store, sendCapKey(loaded.config.company.id), (current) => claimSendSlot(current, day, sender, cap));
			return { granted: result.granted, reason: result.granted ? `message ${result.sent} of ${cap} for ${sender} on ${day}` : `${sender} has sent the ${cap} messages of ${day} (drafting.sequence.dailyCapPerSender): due again tomorrow` };
		},
	};
}
