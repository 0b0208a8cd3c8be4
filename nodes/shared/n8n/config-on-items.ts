import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { companyConfigReference, type LoadedCompanyConfig } from '../domain/crm/company-config';

/**
 * Whether a node that loads the config by the company's id puts the whole config on its items or a
 * reference (Company Config, RevOps CRM Trigger). Whole stays the default, as expressions may read
 * any section; the templates choose the reference.
 */
export function configOnItemsProperty(show?: Record<string, string[]>): INodeProperties {
	return {
		displayName: 'Put On Items',
		name: 'configOnItems',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Reference and Small Settings',
				value: 'reference',
				description:
					'The config without its playbooks, taxonomy, prompts, routing, chat, drafting and research sections, which our nodes load from the file by the company\'s ID: about a sixth of the size, so every run stores and loads less. Expressions still read company, calendar, slas, approvers, channels.',
			},
			{ name: 'Whole Config', value: 'whole', description: 'Every section, for expressions that read playbooks or routing rules' },
		],
		default: 'whole',
		...(show ? { displayOptions: { show } } : {}),
	};
}

/** The portfolio company and its config as an item carries them: `mode` is the Put On Items value. */
export function configOnItem(loaded: LoadedCompanyConfig, mode: unknown): IDataObject {
	return {
		// Not `company`: that is the lead's own company on a webhook or form item, never overwritten.
		portfolioCompany: { id: loaded.config.company.id, name: loaded.config.company.name, configVersion: loaded.version, backend: loaded.config.crm.backend },
		companyConfig: (mode === 'reference' ? companyConfigReference(loaded) : loaded.config) as unknown as IDataObject,
	};
}
