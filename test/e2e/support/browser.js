// @ts-check
'use strict';

/**
 * The n8n editor in Debian's Chromium, driven by playwright-core (Playwright's own browser
 * download does not work on these machines). scripts/ensure-chromium.sh installs the browser.
 */

const fs = require('node:fs');
const path = require('node:path');

const { chromium } = require('playwright-core');

const { REPO_ROOT } = require('../../../scripts/n8n/paths');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
	'--no-first-run',
];
/** Screenshots the README uses (written there by `npm run test:browser`). */
const IMAGES_DIR = path.join(REPO_ROOT, 'docs', 'images');

/**
 * Where screenshots go: docs/images with E2E_SCREENSHOTS_TO_DOCS=1 (`npm run test:browser`),
 * else `screenshots/` in the run folder, so `npm run test:e2e` leaves the tracked images alone
 * (E2E_KEEP=1 keeps the run folder).
 */
function screenshotsDir() {
	if (process.env.E2E_SCREENSHOTS_TO_DOCS === '1') return IMAGES_DIR;
	return path.join(require('./e2e').setup().runDir, 'screenshots');
}

/**
 * @typedef {import('playwright-core').Page} Page
 * @typedef {import('playwright-core').Browser} Browser
 */

/** @returns {Promise<{ browser: Browser, page: Page }>} */
async function launchBrowser() {
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} is missing: run scripts/ensure-chromium.sh (installs Debian's chromium), or set CHROMIUM_PATH`);
	}
	const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1 });
	page.setDefaultTimeout(30_000);
	return { browser, page };
}

/**
 * Signs in on n8n's /signin form.
 * @param {Page} page
 * @param {string} baseUrl
 * @param {{ email: string, password: string }} owner
 */
async function signIn(page, baseUrl, owner) {
	await page.goto(`${baseUrl}/signin`);
	await page.fill('input[name="emailOrLdapLoginId"]', owner.email);
	await page.fill('input[name="password"]', owner.password);
	await page.click('[data-test-id="form-submit-button"]');
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
	await page.waitForLoadState('networkidle');
}

/**
 * Closes the "Production Checklist" n8n pops up over a published workflow on a first visit.
 * @param {Page} page
 */
async function dismissPopups(page) {
	const close = page.locator('[data-test-id="suggested-actions-close"]');
	if (await close.isVisible().catch(() => false)) {
		await close.click();
		await close.waitFor({ state: 'hidden' }).catch(() => {});
	}
}

/**
 * Opens a workflow in the editor and waits for its nodes on the canvas.
 * @param {Page} page
 * @param {string} baseUrl
 * @param {string} workflowId
 * @returns {Promise<string[]>} the node names on the canvas
 */
async function openWorkflow(page, baseUrl, workflowId) {
	await page.goto(`${baseUrl}/workflow/${workflowId}`);
	await page.waitForSelector('[data-test-id="canvas-node"]');
	await page.waitForLoadState('networkidle');
	await dismissPopups(page);
	return await page.$$eval('[data-test-id="canvas-node"]', (nodes) => nodes.map((n) => n.getAttribute('data-node-name') ?? ''));
}

/**
 * Opens a node's panel (NDV) by double-clicking it on the canvas and reads what it shows.
 * @param {Page} page
 * @param {string} nodeName
 */
async function openNodePanel(page, nodeName) {
	await page.dblclick(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.waitFor();
	await ndv.locator('[data-test-id="parameter-input-operation"]').waitFor();
	/** @param {string} selector */
	const inputValue = async (selector) => await ndv.locator(`${selector} input`).first().inputValue();
	return {
		credential: await inputValue('[data-test-id="node-credentials-select"]'),
		resource: await inputValue('[data-test-id="parameter-input-resource"]'),
		operation: await inputValue('[data-test-id="parameter-input-operation"]'),
		userMode: await inputValue('[data-test-id="resource-locator-user"]'),
		userValue: (await ndv.locator('[data-test-id="resource-locator-user"]').innerText()).trim(),
	};
}

/**
 * Opens a past execution in the editor (Executions tab) and waits until its canvas is drawn.
 * @param {Page} page
 * @param {string} baseUrl
 * @param {string} workflowId
 * @param {string} executionId
 */
async function openExecution(page, baseUrl, workflowId, executionId) {
	await page.goto(`${baseUrl}/workflow/${workflowId}/executions/${executionId}`);
	await page.locator(`[data-test-id="canvas-node"], ${PREVIEW_IFRAME}`).first().waitFor();
	await (await executionView(page)).locator('[data-test-id="canvas-node"]').first().waitFor();
	// The canvas fades in; let it finish before a screenshot.
	await page.waitForTimeout(1500);
}

/** The iframe n8n 2.0.x draws an execution's canvas in (later releases draw it on the page itself). */
const PREVIEW_IFRAME = '[data-test-id="workflow-preview-iframe"]';

/**
 * Where an execution's canvas and node panel live: the preview iframe when the page has one
 * (n8n 2.0.x), else the page.
 * @param {Page} page
 * @returns {Promise<Page | import('playwright-core').FrameLocator>}
 */
async function executionView(page) {
	return (await page.locator(PREVIEW_IFRAME).count()) > 0 ? page.frameLocator(PREVIEW_IFRAME) : page;
}

/**
 * Opens a node of the execution on screen and returns the text of its output panel.
 * @param {Page} page
 * @param {string} nodeName
 */
async function openExecutedNode(page, nodeName) {
	const view = await executionView(page);
	await view.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`).dblclick();
	const output = view.locator('[data-test-id="output-panel"]');
	await output.waitFor();
	await output.locator('table, pre, [data-test-id="run-data-schema-item"]').first().waitFor();
	await page.waitForTimeout(500);
	return await output.innerText();
}

/**
 * Closes the node panel with Escape. A drop-down or search field that still has the focus takes the
 * first Escape, so it presses again, then uses the panel's close button.
 * @param {Page} page
 */
async function closeNodePanel(page) {
	const view = await executionView(page);
	const ndv = view.locator('[data-test-id="ndv"]');
	const hidden = async (/** @type {number} */ timeout) => await ndv.waitFor({ state: 'hidden', timeout }).then(() => true, () => false);
	for (let attempt = 1; attempt <= 2; attempt++) {
		await page.keyboard.press('Escape');
		if (await hidden(3_000)) return;
	}
	// n8n 2.0.0 can keep the resource locator's search focused; its panel's own close button still works.
	await view.locator('[data-test-id="ndv-close-button"], [data-test-id="back-to-canvas"]').first().click();
	if (!(await hidden(30_000))) throw new Error('The node panel did not close');
}

/**
 * Opens the credential's edit modal (the editor's /home/credentials/:id route).
 * @param {Page} page
 * @param {string} baseUrl
 * @param {string} credentialId
 */
async function openCredential(page, baseUrl, credentialId) {
	await page.goto(`${baseUrl}/home/credentials/${credentialId}`);
	const modal = page.locator('[data-test-id="editCredential-modal"]');
	await modal.waitFor();
	await modal.locator('[data-test-id="parameter-input-baseUrl"] input').waitFor();
	await page.waitForLoadState('networkidle');
	return modal;
}

/**
 * Whether the switch of a boolean parameter is shown on.
 * @param {Page} page
 * @param {string} parameter
 */
async function switchIsOn(page, parameter) {
	const cls = (await page.getAttribute(`[data-test-id="parameter-input-${parameter}"] .el-switch`, 'class')) ?? '';
	return cls.split(/\s+/).includes('is-checked');
}

/**
 * The "Add option" control of the open node panel's Options collection: a button
 * (`collection-parameter-add`) in recent n8n, a filterable select at the end of the collection in
 * n8n 2.0.0.
 * @param {Page} page
 * @param {import('playwright-core').Locator} ndv
 */
async function addOptionControl(page, ndv) {
	const adds = ndv.locator('[data-test-id="collection-parameter-add"]');
	const fromButton = (await adds.count()) > 0;
	const candidates = fromButton ? adds : ndv.locator('[data-test-id="parameter-item"]').filter({ has: page.locator('.collection-parameter') });
	const labels = await candidates.evaluateAll((all) =>
		all.map((element) => (element.closest('[data-test-id="parameter-item"]') ?? element).textContent?.trim() ?? ''),
	);
	const index = labels.findIndex((label) => /^Options\b/.test(label));
	if (index < 0) throw new Error(`No Options collection in the node panel (collections: ${labels.join(' | ')})`);
	return fromButton ? adds.nth(index) : candidates.nth(index).locator('.collection-parameter .el-select').last();
}

/**
 * Adds an option from the "Add option" drop-down of the open node panel's Options collection (not
 * Request Options) and waits for its field.
 * @param {Page} page
 * @param {string} displayName  e.g. `Dry Run`
 * @param {string} parameter    its name, e.g. `dryRun`
 */
async function addOption(page, displayName, parameter) {
	const ndv = page.locator('[data-test-id="ndv"]');
	await (await addOptionControl(page, ndv)).click();
	await page.locator('.el-select-dropdown__item').filter({ visible: true, hasText: new RegExp(`^${displayName}$`) }).click();
	await ndv.locator(`[data-test-id="parameter-input-${parameter}"]`).waitFor();
}

/**
 * Runs the open node panel's node ("Execute step") and returns the text of its output panel.
 * @param {Page} page
 */
async function executeStep(page) {
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.locator('[data-test-id="node-execute-button"]').click();
	const output = ndv.locator('[data-test-id="output-panel"]');
	await output.locator('table, pre, [data-test-id="run-data-schema-item"]').first().waitFor({ timeout: 60_000 });
	await page.waitForTimeout(500);
	return await output.innerText();
}

/**
 * The open workflow's sticky notes as the canvas draws them: how many, and the ones whose text is cut off
 * (an element of the note with more text than room, which the note hides).
 * @param {Page} page
 * @returns {Promise<{ count: number, cutOff: string[] }>}
 */
async function stickyNotes(page) {
	const notes = page.locator('[data-test-id="sticky"]');
	await notes.first().waitFor();
	const cutOff = await notes.evaluateAll((all) =>
		all.flatMap((note) =>
			[note, ...note.querySelectorAll('*')]
				.filter((el) => el.scrollHeight > el.clientHeight + 2 && el.ownerDocument.defaultView?.getComputedStyle(el).overflowY !== 'visible')
				.map((el) => `"${(note.textContent ?? '').trim().slice(0, 40)}…": ${el.scrollHeight}px of text in ${el.clientHeight}px`),
		),
	);
	return { count: await notes.count(), cutOff };
}

/**
 * Clicks "Save" in the credential modal and waits for n8n's answer.
 * @param {Page} page
 */
async function saveCredential(page) {
	const saved = page.waitForResponse((r) => /\/rest\/credentials\/[^/?]+$/.test(new URL(r.url()).pathname) && r.request().method() === 'PATCH');
	await page.click('[data-test-id="credential-save-button"]');
	const response = await saved;
	return { status: response.status(), requestBody: JSON.parse(response.request().postData() ?? '{}') };
}

/**
 * Clicks "Save" in the credential modal; the editor then tests the credential. Returns the test's
 * answer (`{status, message}` of POST /rest/credentials/test) once the modal shows it.
 * @param {Page} page
 */
async function saveAndTestCredential(page) {
	const tested = page.waitForResponse(
		(r) => new URL(r.url()).pathname.endsWith('/rest/credentials/test') && r.request().method() === 'POST',
		{ timeout: 60_000 },
	);
	const saved = await saveCredential(page);
	const result = /** @type {{ data: { status: string, message: string } }} */ (await (await tested).json()).data;
	await page.waitForLoadState('networkidle');
	return { saved, result };
}

/**
 * Types a search into the "From List" drop-down of a resource locator in the open node panel and
 * returns the names it lists once n8n has answered that search.
 * @param {Page} page
 * @param {string} parameter  e.g. `user`
 * @param {string} text
 */
async function searchResourceList(page, parameter, text) {
	// The drop-down is a popover teleported out of the panel: its search box and items are found on the page.
	const search = page.locator('[data-test-id="rlc-search"] input, input[data-test-id="rlc-search"]').filter({ visible: true });
	if ((await search.count()) === 0) {
		await page.locator(`[data-test-id="ndv"] [data-test-id="resource-locator-${parameter}"] [data-test-id="rlc-input"]`).first().click();
	}
	await search.first().waitFor();
	/** @param {import('playwright-core').Response} r */
	const isAnswer = (r) =>
		new URL(r.url()).pathname.endsWith('/rest/dynamic-node-parameters/resource-locator-results') &&
		JSON.parse(r.request().postData() ?? '{}').filter === text;
	// n8n 2.0.0 can drop a search typed while the panel is still loading the list: type it again then.
	for (let attempt = 1; ; attempt++) {
		const answered = page.waitForResponse(isAnswer, { timeout: 10_000 });
		await search.first().fill('');
		await search.first().fill(text);
		const ok = await answered.then(() => true, () => false);
		if (ok) break;
		if (attempt === 3) throw new Error(`n8n did not search the list for "${text}"`);
	}
	// The list re-renders after the answer arrives.
	await page.waitForTimeout(500);
	return await page.locator('[data-test-id="rlc-item"]').filter({ visible: true }).allInnerTexts();
}

/**
 * Runs the open workflow with the editor's "Execute workflow" button, waits until `nodeName` has
 * failed, and opens its panel on the error n8n shows. Returns the panel.
 * @param {Page} page
 * @param {string} nodeName
 */
async function executeAndOpenFailedNode(page, nodeName) {
	await page.click('[data-test-id="execute-workflow-button"]');
	// The button spins while the run lasts; a failed node then shows its error in the panel.
	await page.locator('[data-test-id="execute-workflow-button"]').filter({ hasText: /execute/i }).waitFor({ timeout: 60_000 });
	await page.dblclick(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
	const ndv = page.locator('[data-test-id="ndv"]');
	await ndv.locator('[data-test-id="node-error-message"]').first().waitFor();
	return ndv;
}

/**
 * Opens the collapsed parts of an error panel until the one where n8n prints the error's code shows.
 * @param {import('playwright-core').Locator} panel
 */
async function revealErrorDetails(panel) {
	const label = panel.locator('.node-error-view__details-label', { hasText: 'Error code' }).first();
	const summaries = panel.locator('.node-error-view__details-summary');
	for (let i = 0; i < (await summaries.count()) && !(await label.isVisible()); i++) await summaries.nth(i).click();
	await label.waitFor();
}

/**
 * Opens a node's panel on the canvas after a run from the editor and returns the text of its output.
 * @param {Page} page
 * @param {string} nodeName
 */
async function openNodePanelOutput(page, nodeName) {
	await page.dblclick(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
	const output = page.locator('[data-test-id="ndv"] [data-test-id="output-panel"]');
	await output.locator('table, pre, [data-test-id="run-data-schema-item"]').first().waitFor();
	return await output.innerText();
}

/**
 * Saves a screenshot (see screenshotsDir) and returns its path.
 * @param {Page} page
 * @param {string} name   file name, e.g. `commvault-node.png`
 * @param {import('playwright-core').Locator} [locator]  only this element
 */
async function screenshot(page, name, locator) {
	const dir = screenshotsDir();
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, name);
	if (locator) await locator.screenshot({ path: file });
	else await page.screenshot({ path: file });
	return file;
}

module.exports = {
	addOption,
	stickyNotes,
	executeStep,
	launchBrowser,
	signIn,
	dismissPopups,
	openWorkflow,
	openNodePanel,
	closeNodePanel,
	openExecution,
	openExecutedNode,
	executionView,
	openCredential,
	switchIsOn,
	saveCredential,
	saveAndTestCredential,
	searchResourceList,
	executeAndOpenFailedNode,
	revealErrorDetails,
	openNodePanelOutput,
	screenshot,
	IMAGES_DIR,
};
