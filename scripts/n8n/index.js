// @ts-check
'use strict';

/**
 * Helpers to run our package inside a real n8n (the pinned release), shared by `npm run dev`
 * (scripts/dev.js) and the end-to-end tests (test/e2e). See each module for details.
 */

module.exports = {
	...require('./paths'),
	...require('./process'),
	...require('./install'),
	...require('./env'),
	...require('./package'),
	...require('./cli'),
	...require('./server'),
	...require('./rest'),
	...require('./instance'),
	...require('./simulator'),
	...require('./credentials'),
	...require('./data'),
	...require('./webhook-auth'),
	...require('./ledger'),
	...require('./smtp'),
};
