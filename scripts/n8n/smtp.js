// @ts-check
'use strict';

/**
 * A tiny SMTP receiver on loopback for the leaver ledger's approval emails (n8n's Send Email node,
 * Send and Wait): it accepts every message, keeps it in memory and delivers it nowhere. Enough of
 * RFC 5321 for nodemailer (which n8n's Send Email node uses): EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP,
 * QUIT; no STARTTLS and no AUTH are offered, so the client sends in plain text without logging in.
 */

const net = require('node:net');

/** The SMTP credential the due-run example uses (`examples/offboard-due-leavers.json`). */
const APPROVALS_SMTP_CREDENTIAL = Object.freeze({ id: 'cvSmtpApprovals1', name: 'SMTP (approvals)' });

/**
 * @typedef {object} ReceivedMail
 * @property {string} from
 * @property {string[]} to
 * @property {string} data      the message as sent (headers and body, transfer-encoded)
 * @property {string} subject
 * @property {string} body      the body with quoted-printable soft line breaks and escapes undone
 */

/** @param {string} text */
function decodeQuotedPrintable(text) {
	return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
}

/** @param {string} data */
function parseMail(data) {
	const split = data.indexOf('\r\n\r\n');
	const headers = split < 0 ? data : data.slice(0, split);
	const raw = split < 0 ? '' : data.slice(split + 4);
	const subject = /^Subject: (.*(?:\r\n[ \t].*)*)/im.exec(headers)?.[1].replace(/\r\n[ \t]/g, ' ') ?? '';
	const body = /quoted-printable/i.test(data) ? decodeQuotedPrintable(raw) : raw;
	return { subject, body: body.replace(/&amp;/g, '&') };
}

/**
 * One SMTP session: commands line by line, then the message until a line with a single dot.
 * @param {net.Socket} socket
 * @param {(mail: ReceivedMail) => void} deliver
 */
function serveSession(socket, deliver) {
	let buffer = '';
	/** @type {{ from: string, to: string[], lines: string[] | null }} */
	let envelope = { from: '', to: [], lines: null };
	const reply = (/** @type {string} */ line) => socket.write(`${line}\r\n`);
	reply('220 localhost n8n-nodes-commvault test SMTP receiver');
	socket.on('data', (chunk) => {
		buffer += chunk.toString('utf8');
		let end;
		while ((end = buffer.indexOf('\r\n')) >= 0) {
			const line = buffer.slice(0, end);
			buffer = buffer.slice(end + 2);
			if (envelope.lines) {
				if (line !== '.') {
					envelope.lines.push(line.startsWith('..') ? line.slice(1) : line);
					continue;
				}
				const data = envelope.lines.join('\r\n');
				deliver({ from: envelope.from, to: envelope.to, data, ...parseMail(data) });
				envelope = { from: '', to: [], lines: null };
				reply('250 OK: queued');
				continue;
			}
			const command = line.slice(0, 4).toUpperCase();
			if (command === 'EHLO') reply('250-localhost\r\n250-8BITMIME\r\n250 SMTPUTF8');
			else if (command === 'HELO') reply('250 localhost');
			else if (command === 'MAIL') (envelope.from = line.replace(/^MAIL FROM:\s*/i, '').replace(/[<>].*$|[<>]/g, ''), reply('250 OK'));
			else if (command === 'RCPT') (envelope.to.push(/<([^>]*)>/.exec(line)?.[1] ?? line), reply('250 OK'));
			else if (command === 'DATA') ((envelope.lines = []), reply('354 End data with <CR><LF>.<CR><LF>'));
			else if (command === 'RSET') ((envelope = { from: '', to: [], lines: null }), reply('250 OK'));
			else if (command === 'NOOP') reply('250 OK');
			else if (command === 'QUIT') (reply('221 Bye'), socket.end());
			else reply('502 Command not implemented');
		}
	});
	socket.on('error', () => socket.destroy());
}

/**
 * Starts the receiver on 127.0.0.1 (a free port unless one is given).
 * @param {{ port?: number }} [options]
 */
async function startSmtpReceiver(options = {}) {
	/** @type {ReceivedMail[]} */
	const messages = [];
	/** @type {Array<() => void>} */
	const waiting = [];
	/** @type {Set<net.Socket>} */
	const sockets = new Set();
	const server = net.createServer((socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		serveSession(socket, (mail) => {
			messages.push(mail);
			for (const wake of waiting.splice(0)) wake();
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined));
	});
	const address = /** @type {net.AddressInfo} */ (server.address());
	return {
		port: address.port,
		messages,
		/**
		 * Waits for the `count`-th message (1-based) and returns it.
		 * @param {number} count
		 * @param {number} [timeoutMs]
		 * @returns {Promise<ReceivedMail>}
		 */
		async waitForMessage(count, timeoutMs = 120_000) {
			const deadline = Date.now() + timeoutMs;
			while (messages.length < count) {
				if (Date.now() > deadline) throw new Error(`Expected ${count} email(s), received ${messages.length}`);
				await new Promise((resolve) => {
					const timer = setTimeout(resolve, 500);
					waiting.push(() => (clearTimeout(timer), resolve(undefined)));
				});
			}
			return messages[count - 1];
		},
		/** The SMTP credential n8n imports to send through this receiver. */
		credential() {
			return {
				...APPROVALS_SMTP_CREDENTIAL,
				type: 'smtp',
				data: { host: '127.0.0.1', port: address.port, secure: false, disableStartTls: true, user: '', password: '' },
			};
		},
		async stop() {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/**
 * The links of a received email's buttons (n8n's Send and Wait puts the signed resume URLs there).
 * @param {ReceivedMail} mail
 * @returns {Array<{ label: string, url: string }>}
 */
function mailButtons(mail) {
	return [...mail.body.matchAll(/<a href="([^"]+)"[^>]*>([^<]*)<\/a>/g)].map((m) => ({ url: m[1], label: m[2].trim() }));
}

module.exports = { startSmtpReceiver, mailButtons, APPROVALS_SMTP_CREDENTIAL };
