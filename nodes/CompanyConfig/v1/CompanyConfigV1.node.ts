import {
	NodeConnectionTypes,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeType,
	type INodeTypeBaseDescription,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { configReferenceOf, loadCompanyConfigById, resolveCompanyConfig } from '../../shared/domain/crm/company-config';
import { compilePath, readPath } from '../../shared/domain/scoring/conditions';
import { addAudit, nodeAudit } from '../../shared/n8n/audit';
import { configOnItem } from '../../shared/n8n/config-on-items';
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
			// An id given by an expression is read raw: the canvas has no item to resolve it with, and n8n
			// draws no subtitle at all when its expression fails.
			subtitle:
				'={{ $parameter["source"] === "field" ? "From " + $parameter["field"] : $parameter["source"] === "here" ? "Written here" : "Company " + (String($rawParameter["companyId"] ?? "").startsWith("=") ? "from each item" : $parameter["companyId"] || "from REVOPS_COMPANY") + ($parameter["configOnItems"] === "reference" ? " (reference)" : "") }}',
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
			const raw = source === 'company' ? undefined : source === 'field' ? readPath(item.json, compilePath(String(this.getNodeParameter('field', i, 'config')))) : this.getNodeParameter('config', i);
			const loaded =
				source === 'company'
					? loadCompanyConfigById(String(this.getNodeParameter('companyId', i, '') || defaultCompanyId()), companyConfigFolders())
					: resolveCompanyConfig(raw, companyConfigFolders());
			// A reference only where any process can load the file again by the id: the company's own
			// source, or a reference that arrived (a workflow the handoff template started).
			const onItems = source === 'company' ? this.getNodeParameter('configOnItems', i, 'whole') : configReferenceOf(raw) ? 'reference' : 'whole';
			const json: IDataObject = { ...item.json, ...configOnItem(loaded, onItems) };
			return {
				output: 0,
				json: addAudit(json, nodeAudit('companyConfig', version, loaded.version, started)),
			};
		});
	}
}
