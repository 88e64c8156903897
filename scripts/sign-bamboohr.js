#!/usr/bin/env node
// @ts-check
'use strict';

/**
 * Sends a JSON file to a webhook the way BambooHR does: signed with the webhook's private key
 * (X-BambooHR-Timestamp, and X-BambooHR-Signature = hex HMAC SHA-256 of the raw body followed by
 * the timestamp). Prints n8n's status and reply. For trying the HR example; BambooHR signs its own.
 *
 *   node scripts/sign-bamboohr.js URL FILE            the key from BAMBOOHR_WEBHOOK_KEY
 *   node scripts/sign-bamboohr.js --dev URL FILE      the key `npm run dev` made (.dev/webhook-secrets.json)
 *   add --curl to print a curl command instead of sending (valid for 5 minutes)
 */

const fs = require('node:fs');
const path = require('node:path');

const { signBambooHr } = require('./n8n/webhook-auth');

const DEV_SECRETS = path.join(__dirname, '..', '.dev', 'webhook-secrets.json');

/** @param {string[]} argv */
function parse(argv) {
	const flags = new Set(argv.filter((a) => a.startsWith('--')));
	const [url, file] = argv.filter((a) => !a.startsWith('--'));
	if (!url || !file || [...flags].some((f) => f !== '--dev' && f !== '--curl')) {
		throw new Error('Usage: node scripts/sign-bamboohr.js [--dev] [--curl] URL FILE');
	}
	const key = flags.has('--dev') ? JSON.parse(fs.readFileSync(DEV_SECRETS, 'utf8')).bambooHrKey : process.env.BAMBOOHR_WEBHOOK_KEY;
	if (!key) throw new Error('No key: set BAMBOOHR_WEBHOOK_KEY to the webhook\'s private key, or pass --dev after `npm run dev`.');
	return { url, file, key, curl: flags.has('--curl') };
}

/** @param {string} value */
const quoted = (value) => `'${value.replace(/'/g, "'\\''")}'`;

async function main() {
	const { url, file, key, curl } = parse(process.argv.slice(2));
	const body = fs.readFileSync(file, 'utf8');
	const headers = { 'Content-Type': 'application/json', ...signBambooHr(body, key) };
	if (curl) {
		const h = Object.entries(headers).map(([name, value]) => `-H ${quoted(`${name}: ${value}`)}`);
		console.log(`curl -sS -X POST ${quoted(url)} ${h.join(' ')} --data-binary @${quoted(file)}`);
		return;
	}
	const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(120_000) });
	console.log(`HTTP ${response.status}`);
	console.log(await response.text());
}

main().catch((error) => {
	console.error(error instanceof Error ? error.message : String(error));
	process.exit(1);
});
