// @ts-check
// n8n-core writes an instance config (encryption key) under N8N_USER_FOLDER when it loads;
// point it at a throw-away folder so tests never touch a real ~/.n8n.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

if (!process.env.N8N_USER_FOLDER) {
	const dir = path.join(os.tmpdir(), 'n8n-nodes-commvault-jest');
	fs.mkdirSync(dir, { recursive: true });
	process.env.N8N_USER_FOLDER = dir;
}
process.env.N8N_DIAGNOSTICS_ENABLED = 'false';
// n8n's logger repeats every node error on the console; the tests assert on those errors instead.
// N8N_LOG_LEVEL=debug npm test brings the log back.
if (!process.env.N8N_LOG_LEVEL) process.env.N8N_LOG_LEVEL = 'silent';
