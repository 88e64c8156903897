// @ts-check
'use strict';

/**
 * Child processes that never outlive us: each one runs in its own process group (so n8n's task
 * runner and anything else it spawns go with it), its output is kept in a bounded buffer (and
 * optionally teed to a log file or a line callback), and `stop()` sends SIGTERM to the group,
 * then SIGKILL after a grace period. A last-resort `exit` hook kills every group still alive.
 */

const { spawn } = require('node:child_process');
const fs = require('node:fs');

/** @type {Set<ManagedProcess>} */
const live = new Set();
let exitHookInstalled = false;

function installExitHook() {
	if (exitHookInstalled) return;
	exitHookInstalled = true;
	process.on('exit', () => {
		for (const managed of live) managed.killGroup('SIGKILL');
	});
}

/**
 * @typedef {object} SpawnOptions
 * @property {string} name                      used in messages, e.g. "n8n" or "simulator"
 * @property {string} command
 * @property {string[]} args
 * @property {NodeJS.ProcessEnv} env
 * @property {string} [cwd]
 * @property {string} [logFile]                 append stdout and stderr here
 * @property {(line: string, stream: 'stdout' | 'stderr') => void} [onLine]
 * @property {number} [maxBufferBytes]          output kept in memory (default 4 MiB, oldest dropped)
 * @property {boolean} [keepStdout]             also keep all of stdout apart (for short-lived commands)
 */

/**
 * @typedef {object} ExitInfo
 * @property {number | null} code
 * @property {NodeJS.Signals | null} signal
 */

class ManagedProcess {
	/** @param {SpawnOptions} options */
	constructor(options) {
		this.name = options.name;
		/** @private */
		this.maxBufferBytes = options.maxBufferBytes ?? 4 * 1024 * 1024;
		/** @private @type {string[]} */
		this.chunks = [];
		/** @private */
		this.bufferedBytes = 0;
		/** @private */
		this.droppedBytes = 0;
		/** @private @type {string[]} */
		this.stdoutChunks = [];
		/** @private */
		this.keepStdout = options.keepStdout ?? false;
		/** @private @type {number | undefined} */
		this.logFd = options.logFile ? fs.openSync(options.logFile, 'a') : undefined;
		/** @type {ExitInfo | undefined} */
		this.exitInfo = undefined;

		installExitHook();
		this.child = spawn(options.command, options.args, {
			cwd: options.cwd,
			env: options.env,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		});
		this.pid = this.child.pid;
		live.add(this);

		/** @type {Promise<ExitInfo>} */
		this.exited = this.watchExit(options.onLine);
		this.forwardOutput(options.onLine);
	}

	/**
	 * Resolves when the process has gone (or failed to start), after killing what it left in its group.
	 * @private
	 * @param {SpawnOptions['onLine']} onLine
	 * @returns {Promise<ExitInfo>}
	 */
	watchExit(onLine) {
		return new Promise((resolve) => {
			this.child.once('error', (error) => {
				this.append(`[${this.name}] failed to start: ${error.message}\n`, 'stderr', onLine);
				this.exitInfo = { code: -1, signal: null };
				live.delete(this);
				resolve(this.exitInfo);
			});
			this.child.once('close', (code, signal) => {
				this.exitInfo = { code, signal };
				live.delete(this);
				// The leader is gone; take down anything it left behind in its group.
				this.killGroup('SIGKILL');
				if (this.logFd !== undefined) {
					fs.closeSync(this.logFd);
					this.logFd = undefined;
				}
				resolve(this.exitInfo);
			});
		});
	}

	/**
	 * Keeps stdout and stderr, and hands them line by line to `onLine`.
	 * @private
	 * @param {SpawnOptions['onLine']} onLine
	 */
	forwardOutput(onLine) {
		for (const stream of /** @type {const} */ (['stdout', 'stderr'])) {
			let partial = '';
			const source = this.child[stream];
			source.setEncoding('utf8');
			source.on('data', (/** @type {string} */ text) => {
				this.append(text, stream, undefined);
				if (!onLine) return;
				partial += text;
				const lines = partial.split('\n');
				partial = lines.pop() ?? '';
				for (const line of lines) onLine(line, stream);
			});
			source.on('end', () => {
				if (partial && onLine) onLine(partial, stream);
				partial = '';
			});
		}
	}

	/**
	 * @private
	 * @param {string} text
	 * @param {'stdout' | 'stderr'} stream
	 * @param {((line: string, stream: 'stdout' | 'stderr') => void) | undefined} onLine
	 */
	append(text, stream, onLine) {
		this.chunks.push(text);
		if (stream === 'stdout' && this.keepStdout) this.stdoutChunks.push(text);
		this.bufferedBytes += text.length;
		while (this.bufferedBytes > this.maxBufferBytes && this.chunks.length > 1) {
			const dropped = /** @type {string} */ (this.chunks.shift());
			this.bufferedBytes -= dropped.length;
			this.droppedBytes += dropped.length;
		}
		if (this.logFd !== undefined) fs.writeSync(this.logFd, text);
		if (onLine) for (const line of text.split('\n').filter(Boolean)) onLine(line, stream);
	}

	/** Everything the process printed (stdout and stderr interleaved), minus what overflowed the buffer. */
	output() {
		return (this.droppedBytes ? `[… ${this.droppedBytes} earlier characters dropped …]\n` : '') + this.chunks.join('');
	}

	/** Everything the process wrote to stdout (not bounded: use for short-lived commands). */
	stdout() {
		return this.stdoutChunks.join('');
	}

	/** The last `lines` lines of output, for error messages. */
	tail(lines = 40) {
		return this.output().split('\n').slice(-lines).join('\n');
	}

	get running() {
		return this.exitInfo === undefined;
	}

	/**
	 * Signals the whole process group; ignores a group that is already gone.
	 * @param {NodeJS.Signals} signal
	 */
	killGroup(signal) {
		if (this.pid === undefined) return;
		try {
			process.kill(-this.pid, signal);
		} catch {
			// ESRCH: nothing left in the group.
		}
	}

	/**
	 * SIGTERM (or `signal`) to the group, SIGKILL if it is still there after `graceMs`.
	 * @param {{ signal?: NodeJS.Signals, graceMs?: number }} [options]
	 * @returns {Promise<ExitInfo>}
	 */
	async stop(options = {}) {
		if (!this.running) {
			this.killGroup('SIGKILL');
			return /** @type {ExitInfo} */ (this.exitInfo);
		}
		this.killGroup(options.signal ?? 'SIGTERM');
		/** @type {NodeJS.Timeout | undefined} */
		let timer;
		const timedOut = new Promise((resolve) => {
			timer = setTimeout(() => resolve('timeout'), options.graceMs ?? 20_000);
		});
		const result = await Promise.race([this.exited, timedOut]);
		clearTimeout(timer);
		if (result === 'timeout') {
			this.killGroup('SIGKILL');
			return await this.exited;
		}
		return /** @type {ExitInfo} */ (result);
	}
}

/**
 * @param {SpawnOptions} options
 * @returns {ManagedProcess}
 */
function spawnManaged(options) {
	return new ManagedProcess(options);
}

/**
 * Runs a command to completion and returns its output.
 * @param {SpawnOptions & { timeoutMs?: number }} options
 * @returns {Promise<{ code: number | null, signal: NodeJS.Signals | null, output: string, stdout: string, durationMs: number }>}
 */
async function runToCompletion(options) {
	const started = Date.now();
	const managed = spawnManaged({ keepStdout: true, ...options });
	/** @type {NodeJS.Timeout | undefined} */
	let timer;
	if (options.timeoutMs) {
		timer = setTimeout(() => {
			managed.killGroup('SIGKILL');
		}, options.timeoutMs);
	}
	const { code, signal } = await managed.exited;
	clearTimeout(timer);
	return { code, signal, output: managed.output(), stdout: managed.stdout(), durationMs: Date.now() - started };
}

/** Processes started through this module that are still running. */
function liveProcesses() {
	return [...live];
}

module.exports = { ManagedProcess, spawnManaged, runToCompletion, liveProcesses };
