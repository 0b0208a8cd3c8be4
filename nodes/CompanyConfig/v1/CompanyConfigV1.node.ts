import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { loadCompanyConfigById, parseCompanyConfig } from '../../shared/domain/crm/company-config';
import { compilePath, readPath } from '../../shared/domain/scoring/conditions';
import { addAudit, nodeAudit } from '../../shared/n8n/audit';
import { companyConfigFolders, defaultCompanyId } from '../../shared/n8n/prompt-files';
import { routeItems } from '../../shared/n8n/item-router';
import { companyConfigProperties } from './description';

/**
 * Puts the portfolio company's validated config on each item, so every node and template reads its
 * settings in one place: `$('Company Config').first().json.companyConfig`.
 */
export class CompanyConfigV1 implements INodeType {
	description: INodeTypeDescription;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = {
			...baseDescription,
			version: 1,
			subtitle: '={{ $parameter["source"] === "field" ? "From " + $parameter["field"] : "Written here" }}',
			defaults: { name: 'Company Config' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			usableAsTool: true,
			properties: companyConfigProperties,
		};
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const version = this.getNode().typeVersion;
		return await routeItems(this, 1, 0, (item, i) => {
			const started = Date.now();
			const source = this.getNodeParameter('source', i, 'company');
			const loaded =
				source === 'company'
					? loadCompanyConfigById(String(this.getNodeParameter('companyId', i, '') || defaultCompanyId()), companyConfigFolders())
					: parseCompanyConfig(source === 'field' ? readPath(item.json, compilePath(String(this.getNodeParameter('field', i, 'config')))) : this.getNodeParameter('config', i));
			const json: IDataObject = {
				...item.json,
				// Not `company`: that is the lead's own company on a webhook or form item, never overwritten.
				portfolioCompany: { id: loaded.config.company.id, name: loaded.config.company.name, configVersion: loaded.version, backend: loaded.config.crm.backend },
				companyConfig: loaded.config as unknown as IDataObject,
			};
			return {
				output: 0,
				json: addAudit(json, nodeAudit('companyConfig', version, loaded.version, started)),
			};
		});
	}
}
