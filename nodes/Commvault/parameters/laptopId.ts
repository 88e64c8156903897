import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { shownItem } from '../failures/errors';

/** Reads the Laptop ID field: a positive whole number. */
export function readLaptopId(this: IExecuteFunctions, itemIndex: number): number {
	const raw = this.getNodeParameter('laptopId', itemIndex, '') as string | number;
	const value = String(raw ?? '').trim();
	if (/^[0-9]+$/.test(value) && Number(value) > 0 && Number.isSafeInteger(Number(value))) return Number(value);
	throw new NodeOperationError(this.getNode(), `Item ${shownItem(itemIndex)}: "${value.slice(0, 40)}" is not a laptop ID`, {
		itemIndex,
		description: 'A laptop ID is the client ID Commvault gives the laptop, a positive whole number. Laptop → Get Many returns it as "laptopId".',
	});
}
