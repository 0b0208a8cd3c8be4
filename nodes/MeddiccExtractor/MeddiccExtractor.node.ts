import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';
import { MeddiccExtractorV1 } from './v1/MeddiccExtractorV1.node';

export class MeddiccExtractor extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'MEDDICC Extractor',
			name: 'meddiccExtractor',
			icon: { light: 'file:meddiccExtractor.svg', dark: 'file:meddiccExtractor.dark.svg' },
			group: ['transform'],
			description: 'Qualify deals from calls, notes and e-mails: every MEDDICC field backed by the buyer\'s own words, or honestly unknown',
			defaultVersion: 1,
		};
		super({ 1: new MeddiccExtractorV1(baseDescription) } as IVersionedNodeType['nodeVersions'], baseDescription);
	}
}
