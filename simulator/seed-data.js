// @ts-check
'use strict';

/**
 * Default (hand-written) seed data of the simulator. IDs and names are chosen to look like a
 * small real CommCell:
 * - user 1251 'tapicompany/tapicompany' is the user of Commvault's own offboard example
 *   (api.commvault.com SP38: body {"userName": "tapicompany/tapicompany"} →
 *   "Successfully offboarded user 1251");
 * - 'acme\\asmith' is a company/AD user (DOMAIN\\user naming, cvpysdk `add()`);
 * - 'mroe' is disabled, 'kfrost' is locked, 'rlee' owns nothing, 'legal.hold' fails to offboard.
 * Role ids/names and the offboard error of 'legal.hold' are invented (not documented).
 */

/** @type {import('./types').SimUserGroup[]} */
const DEFAULT_USER_GROUPS = [
	{ userGroupId: 1, userGroupName: 'master', description: 'Members have all permissions on the CommCell', enabled: true, company: null },
	{ userGroupId: 2, userGroupName: 'Laptop Users', description: 'Laptop owners', enabled: true, company: null },
	{ userGroupId: 3, userGroupName: 'View All', description: 'Read-only access to the CommCell', enabled: true, company: null },
	{ userGroupId: 4, userGroupName: 'Helpdesk', description: 'Service desk operators', enabled: true, company: null },
	{ userGroupId: 5, userGroupName: 'Tenant Admin', description: 'Company administrators', enabled: true, company: { id: 7, name: 'tapicompany' } },
	{ userGroupId: 6, userGroupName: 'acme\\Tenant Users', description: 'Acme Corp users', enabled: true, company: { id: 12, name: 'Acme Corp' } },
];

/** @type {import('./types').SeedUser[]} */
const DEFAULT_USERS = [
	{
		userId: 1,
		userName: 'admin',
		email: 'admin@example.com',
		fullName: 'Administrator',
		description: 'Built-in CommCell administrator',
		userGroupIds: [1],
		subclients: [{ clientName: 'srv-fileshare01', subclientName: 'Projects' }],
	},
	{
		userId: 1251,
		userName: 'tapicompany/tapicompany',
		email: 'tapicompany@tapicompany.example.com',
		fullName: 'Tapi Company Admin',
		company: { id: 7, name: 'tapicompany' },
		userGroupIds: [5],
		subclients: [{ clientName: 'tapi-fs01' }],
		vmClients: [{ vmName: 'tapi-vm01' }],
	},
	{
		userId: 1301,
		userName: 'jdoe',
		email: 'jdoe@example.com',
		fullName: 'John Doe',
		description: 'Finance',
		userGroupIds: [2],
		subclients: [
			{ clientName: 'LT-JDOE-01' },
			{ clientName: 'LT-JDOE-01', subclientName: 'Documents' },
		],
		vmClients: [{ vmName: 'vm-jdoe-dev01' }, { vmName: 'vm-jdoe-test02', hypervisorName: 'hyperv01' }],
		viewRoleOn: ['srv-fileshare01'],
	},
	{
		userId: 1302,
		userName: 'acme\\asmith',
		domain: 'acme',
		email: 'asmith@acme.example.com',
		upn: 'asmith@acme.example.com',
		fullName: 'Alice Smith',
		company: { id: 12, name: 'Acme Corp' },
		userGroupIds: [6],
		// An AD group (level 40's associatedExternalUserGroups; no source for the group itself).
		externalGroups: [{ externalGroupName: 'Finance Admins', providerDomainName: 'acme' }],
		subclients: [{ clientName: 'acme-ws-017' }],
		vmClients: [{ vmName: 'acme-vm-sql01' }],
	},
	{
		userId: 1303,
		userName: 'mroe',
		email: 'mroe@example.com',
		fullName: 'Mary Roe',
		description: 'Left the company',
		enabled: false,
		userGroupIds: [2],
		subclients: [{ clientName: 'LT-MROE-02' }],
	},
	{
		userId: 1304,
		userName: 'rlee',
		email: 'rlee@example.com',
		fullName: 'Robert Lee',
		description: 'New hire, owns nothing yet',
		userGroupIds: [2],
	},
	{
		userId: 1305,
		userName: 'legal.hold',
		email: 'legal.hold@example.com',
		fullName: 'Lena Hold',
		description: 'Custodian under legal hold; offboard fails',
		userGroupIds: [2],
		subclients: [{ clientName: 'LT-LHOLD-01' }],
		offboardError: {
			errorCode: 3,
			errorMessage: 'Failed to offboard user [legal.hold]: one or more clients owned by the user are under legal hold.',
		},
	},
	{
		userId: 1306,
		userName: 'kfrost',
		email: 'kfrost@example.com',
		fullName: 'Karen Frost',
		locked: true,
		userGroupIds: [4],
		subclients: [{ clientName: 'LT-KFROST-01' }],
	},
	// A domain user and a local user of the same bare name (no source: our choice). Domain users are named
	// `domain\\user` (PSv2 OpenAPI3.yaml CreateUser.name L17772; cvpysdk `add()`), and the Login reply's
	// userName says which one a login acts as (api.commvault.com SP32 AuthenticationOperations/login).
	{
		userId: 1307,
		userName: 'erin',
		email: 'erin@example.com',
		fullName: 'Erin Local',
		description: 'Local user who shares a name with the domain user acme\\erin',
		userGroupIds: [4],
		subclients: [{ clientName: 'srv-erin01' }],
	},
	{
		userId: 1308,
		userName: 'acme\\erin',
		domain: 'acme',
		email: 'erin@acme.example.com',
		upn: 'erin@acme.example.com',
		fullName: 'Erin Integration',
		description: 'Domain account of an integration (logs in as erin, domain acme)',
		company: { id: 12, name: 'Acme Corp' },
		userGroupIds: [6],
		subclients: [{ clientName: 'acme-ws-021' }],
	},
];

/** @type {import('./types').SimAccount[]} */
const DEFAULT_ACCOUNTS = [
	{ username: 'admin', password: 'admin-password', domain: '' },
	{ username: 'jdoe', password: 'jdoe-password', domain: '' },
	{ username: 'asmith', password: 'asmith-password', domain: 'acme' },
	{ username: 'mroe', password: 'mroe-password', domain: '' },
	{ username: 'kfrost', password: 'kfrost-password', domain: '', locked: true, lockSeconds: 1800 },
	{ username: 'erin', password: 'erin-password', domain: 'acme' },
];

/** @type {import('./types').SimAccessTokenSpec[]} */
const DEFAULT_ACCESS_TOKENS = ['sim-access-token'];

const FIRST_NAMES = [
	'Aaron', 'Beatriz', 'Chen', 'Dana', 'Elif', 'Farid', 'Greta', 'Hiro', 'Ines', 'Jonas', 'Kemal', 'Lara',
	'Mateo', 'Nadia', 'Oskar', 'Priya', 'Quinn', 'Rosa', 'Samir', 'Tara', 'Umar', 'Vera', 'Wen', 'Yusuf', 'Zoe',
];
const LAST_NAMES = [
	'Andersen', 'Becker', 'Costa', 'Dubois', 'Eriksen', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jansen', 'Kowalski',
	'Lopez', 'Moreau', 'Novak', 'Okafor', 'Petrov', 'Rossi', 'Silva', 'Tanaka', 'Usman', 'Virtanen', 'Weber', 'Yilmaz',
];
const HYPERVISORS = ['vcenter01', 'vcenter02', 'hyperv01', 'nutanix-ahv01'];
const EXTRA_SUBCLIENT_NAMES = ['Documents', 'Desktop', 'Mail'];

/**
 * The name of generated user number `n` (option generatedUsers): user00001, user00002, …
 * The one place this format is written; the benchmark and the tests name generated users with it.
 * @param {number} n  from 1
 */
function generatedUserName(n) {
	return `user${String(n).padStart(5, '0')}`;
}

module.exports = {
	DEFAULT_USER_GROUPS,
	DEFAULT_USERS,
	DEFAULT_ACCOUNTS,
	DEFAULT_ACCESS_TOKENS,
	FIRST_NAMES,
	LAST_NAMES,
	HYPERVISORS,
	EXTRA_SUBCLIENT_NAMES,
	generatedUserName,
};
