import { createHash } from 'node:crypto';
import { ConfigError } from '../../config-error';
import { CRM_OBJECTS, LONG_TEXT } from '../model';
import { STATE_OBJECT, type StoreObject } from '../store';
import { HubSpotError, type HubSpotApi } from './api';
import { bookkeeping, fieldProperties, OBJECT_TYPES, propertyDefinition, type FieldMap, type HubSpotType } from './mapping';

/**
 * The HubSpot properties the canonical model needs, checked against the portal before the first
 * write: what is missing is created (custom `revops_*` properties in a "RevOps" group) or, when
 * creating is off or the name is one the company mapped itself, listed with the fix. Checked once per
 * process and portal, not on every run.
 */

export const PROPERTY_GROUP = 'revops';

export interface NeededProperty {
	type: HubSpotType;
	name: string;
	/** The canonical object and field it holds, or `bookkeeping`. */
	holds: string;
	definition: Record<string, unknown>;
	/** Ours to create (`revops_*`); a mapped name of the company's must exist already. */
	creatable: boolean;
}

/** Every property the canonical model uses in HubSpot, per HubSpot object type. */
export function neededProperties(fieldMap: FieldMap = {}): NeededProperty[] {
	const out = new Map<string, NeededProperty>();
	const add = (p: NeededProperty) => out.has(`${p.type}.${p.name}`) || out.set(`${p.type}.${p.name}`, p);
	const objects: StoreObject[] = [...CRM_OBJECTS, STATE_OBJECT];
	for (const object of objects) {
		for (const type of OBJECT_TYPES[object]) {
			const bk = bookkeeping(object);
			for (const f of fieldProperties(object, type, fieldMap)) {
				add({ type, name: f.property, holds: `${object}.${f.field}`, definition: { label: `RevOps ${f.field}`.slice(0, 100), description: f.description, ...propertyDefinition(f.type, (f.maxLength ?? 0) >= LONG_TEXT) }, creatable: f.property.startsWith('revops_') });
			}
			const text = (name: string, what: string, unique = false, long = false) => add({ type, name, holds: 'bookkeeping', definition: { label: name, description: what, type: 'string', fieldType: long ? 'textarea' : 'text', hasUniqueValue: unique }, creatable: true });
			if (object !== 'contact') text(bk.key, `RevOps match key of the ${object} (unique)`, true);
			text(bk.version, `RevOps revision of the ${object}: what its next write is conditional on (unique)`, true);
			text(bk.meta, `RevOps bookkeeping of the ${object}: validated fields, repeat submissions, applied writes`, false, true);
			text(bk.history, `RevOps history of the ${object}: the latest field changes, who made them and why`, false, true);
			if (bk.aliases) text(bk.aliases, 'RevOps: the account\'s other domains, separated by ";"');
		}
	}
	return [...out.values()];
}

export interface MissingProperty {
	type: HubSpotType;
	name: string;
	holds: string;
	creatable: boolean;
}

/** What the portal lacks: one GET per HubSpot object type. */
export async function missingProperties(api: HubSpotApi, fieldMap: FieldMap = {}): Promise<MissingProperty[]> {
	const needed = neededProperties(fieldMap);
	const missing: MissingProperty[] = [];
	for (const type of [...new Set(needed.map((p) => p.type))]) {
		const res = await api.call('GET', `/crm/v3/properties/${type}`);
		const have = new Set(((res.body as { results?: Array<{ name: string }> }).results ?? []).map((p) => p.name));
		for (const p of needed) if (p.type === type && !have.has(p.name)) missing.push({ type, name: p.name, holds: p.holds, creatable: p.creatable });
	}
	return missing;
}

const checked = new Map<string, { at: number; done: Promise<void> }>();
const CHECK_TTL_MS = 10 * 60_000;

/**
 * Creates what is missing (when `create`), else throws naming it. A company-mapped property that does
 * not exist is always an error (a typo is likelier than a wish for a new property under that name).
 */
export async function ensureProperties(api: HubSpotApi, fieldMap: FieldMap, options: { create: boolean; portal: string | null }): Promise<void> {
	const memo = options.portal ? createHash('sha256').update(JSON.stringify([options.portal, fieldMap, options.create])).digest('hex') : null;
	const hit = memo ? checked.get(memo) : undefined;
	if (hit && Date.now() - hit.at < CHECK_TTL_MS) return await hit.done;
	const done = (async () => {
		const missing = await missingProperties(api, fieldMap);
		const mapped = missing.filter((m) => !m.creatable);
		if (mapped.length) {
			throw new ConfigError(`HubSpot has no property ${mapped.slice(0, 8).map((m) => `${m.type}.${m.name} (for ${m.holds})`).join(', ')}${mapped.length > 8 ? ` and ${mapped.length - 8} more` : ''}`, 'Correct the name in the company config\'s fieldMap (HubSpot shows internal names under Settings > Properties), or create the property in HubSpot', 'fieldMap');
		}
		if (missing.length && !options.create) {
			const perType = [...new Set(missing.map((m) => m.type))].map((t) => `${t} ${missing.filter((m) => m.type === t).length}`).join(', ');
			throw new ConfigError(`HubSpot lacks ${missing.length} properties the canonical model needs (${perType}), e.g. ${missing.slice(0, 6).map((m) => `${m.type}.${m.name}`).join(', ')}`, 'Turn on crm.createProperties in the company config (the private app needs the crm.schemas.*.write scopes), or create them (the CRM node\'s Check Setup lists them all)', 'crm.createProperties');
		}
		const definitions = new Map(neededProperties(fieldMap).map((p) => [`${p.type}.${p.name}`, p.definition]));
		for (const type of [...new Set(missing.map((m) => m.type))]) {
			await api.call('POST', `/crm/v3/properties/${type}/groups`, { name: PROPERTY_GROUP, label: 'RevOps', displayOrder: -1 }).catch((error: unknown) => {
				if (!(error instanceof HubSpotError && error.status === 409)) throw error;
			});
			for (const m of missing.filter((x) => x.type === type)) {
				await api.call('POST', `/crm/v3/properties/${type}`, { name: m.name, groupName: PROPERTY_GROUP, ...definitions.get(`${type}.${m.name}`) }).catch((error: unknown) => {
					// Created meanwhile by another worker.
					if (!(error instanceof HubSpotError && error.status === 409)) throw error;
				});
			}
		}
	})();
	if (memo) checked.set(memo, { at: Date.now(), done });
	try {
		await done;
	} catch (error) {
		if (memo) checked.delete(memo);
		throw error;
	}
}
