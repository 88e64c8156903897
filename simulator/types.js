// @ts-check
'use strict';

/**
 * Shared JSDoc types of the Commvault simulator. This file has no runtime content; other
 * modules reference the types with `import('./types').Name`.
 */

/**
 * @typedef {{ id: number, name: string }} CompanyRef
 */

/**
 * A failure Commvault returns for a specific user's offboard (so tests can exercise
 * `errorCode != 0` for a user that exists).
 * @typedef {{ errorCode: number, errorMessage: string }} OffboardError
 */

/**
 * A subclient spec in a seed user (only clientName is required).
 * @typedef {object} SeedSubclient
 * @property {string} clientName
 * @property {string} [subclientName]       default 'default'
 * @property {string} [appName]             default 'File System'
 * @property {string} [instanceName]        default 'DefaultInstanceName'
 * @property {string} [backupsetName]       default 'defaultBackupSet'
 * @property {boolean} [backupEnabled]      default true
 */

/**
 * A VM client spec in a seed user.
 * @typedef {object} SeedVmClient
 * @property {string} vmName
 * @property {string} [hypervisorName]      default 'vcenter01'
 * @property {boolean} [backupEnabled]      default true
 */

/**
 * An Active Directory group of a user, as cvpysdk reads `associatedExternalUserGroups[]`
 * (`security/user.py` L886-887) and prints it, `providerDomainName\\externalGroupName`
 * (`security/security_association.py` L228-234).
 * @typedef {object} ExternalGroup
 * @property {string} externalGroupName
 * @property {string} providerDomainName
 */

/**
 * A user in the `users` option (seed list). Only userName is required.
 * @typedef {object} SeedUser
 * @property {string} userName              stored name, e.g. 'jdoe', 'acme\\asmith', 'tapicompany/tapicompany'
 * @property {number} [userId]
 * @property {string} [email]
 * @property {string} [fullName]
 * @property {string} [description]
 * @property {boolean} [enabled]            default true
 * @property {boolean} [locked]             account lock shown in user lists (isAccountLocked / lockInfo)
 * @property {string} [upn]
 * @property {CompanyRef | null} [company]
 * @property {string} [domain]              AD / company domain part of the name, '' for local users
 * @property {string} [userGUID]
 * @property {number[]} [userGroupIds]
 * @property {ExternalGroup[]} [externalGroups]  AD groups the user belongs to (level 40's associatedExternalUserGroups)
 * @property {OffboardError | null} [offboardError]
 * @property {SeedSubclient[]} [subclients] subclients the user owns
 * @property {SeedVmClient[]} [vmClients]   VM clients the user owns
 * @property {string[]} [viewRoleOn]        client names (of other users' subclients) on which the user has a non-owner "View" role association
 */

/**
 * @typedef {object} SimUser
 * @property {number} userId
 * @property {string} userName
 * @property {string} userGUID
 * @property {string} email
 * @property {string} fullName
 * @property {string} description
 * @property {boolean} enabled
 * @property {boolean} locked
 * @property {string} upn
 * @property {CompanyRef | null} company
 * @property {string} domain
 * @property {number[]} userGroupIds
 * @property {ExternalGroup[]} externalGroups
 * @property {OffboardError | null} offboardError
 * @property {number} createdTime           epoch seconds
 * @property {number} lastLogIntime         epoch seconds
 */

/**
 * A security (role) association of a user or user group on an entity.
 * @typedef {object} SimRoleAssociation
 * @property {number} [userId]
 * @property {number} [userGroupId]
 * @property {number} roleId
 * @property {string} roleName
 */

/**
 * @typedef {object} SimSubclient
 * @property {'subclient'} kind
 * @property {number} subclientId
 * @property {string} subclientName
 * @property {number} clientId
 * @property {string} clientName
 * @property {string} appName
 * @property {string} instanceName
 * @property {string} backupsetName
 * @property {boolean} backupEnabled
 * @property {number[]} ownerUserIds
 * @property {number[]} ownerUserGroupIds
 * @property {SimRoleAssociation[]} securityAssociations
 */

/**
 * @typedef {object} SimVmClient
 * @property {'vmClient'} kind
 * @property {number} clientId
 * @property {string} vmName
 * @property {string} vmGUID
 * @property {string} hypervisorName
 * @property {boolean} backupEnabled
 * @property {number[]} ownerUserIds
 * @property {number[]} ownerUserGroupIds
 * @property {SimRoleAssociation[]} securityAssociations
 */

/** @typedef {SimSubclient | SimVmClient} SimEntity */

/**
 * @typedef {object} SimUserGroup
 * @property {number} userGroupId
 * @property {string} userGroupName
 * @property {string} description
 * @property {boolean} enabled
 * @property {CompanyRef | null} company
 */

/**
 * What an offboard / delete changed.
 * @typedef {object} SimChange
 * @property {number[]} subclients          subclient ids touched
 * @property {number[]} vmClients           VM client ids touched
 * @property {number} ownershipsRemoved
 * @property {number} backupsDisabled
 * @property {number} roleAssociationsRemoved
 * @property {{ newUserId?: number, newUserGroupId?: number }} [transferredTo]
 */

/**
 * @typedef {object} SimEvent
 * @property {number} seq
 * @property {'offboard' | 'disable' | 'enable' | 'delete' | 'update'} type
 * @property {number} at                    epoch ms
 * @property {number} userId
 * @property {string} userName
 * @property {number} errorCode             0 = success
 * @property {string} [errorMessage]
 * @property {string | null} by             user name of the caller (account / access-token owner)
 * @property {'userName' | 'userId' | 'path'} [matchedBy]
 * @property {SimChange} [changed]
 */

/**
 * An account that can log in with POST /Login.
 * @typedef {object} SimAccount
 * @property {string} username              without domain, e.g. 'asmith'
 * @property {string} password              plain text; the client sends it base64(utf8)
 * @property {string} [domain]              e.g. 'acme' → the login name is 'acme\\asmith'
 * @property {boolean} [locked]             login is refused with isAccountLocked: true
 * @property {number} [lockSeconds]         remainingLockTime reported for a locked account (default 1800)
 */

/**
 * An API access token accepted as `Authtoken: QSDK <token>`, `Authtoken: Bearer <token>` or
 * `Authorization: Bearer <token>`. A plain string token belongs to the first account.
 * @typedef {string | { token: string, userName?: string, refreshToken?: string }} SimAccessTokenSpec
 */

/**
 * @typedef {object} SimFaults
 * @property {number} [latencyMs]                  fixed delay before answering
 * @property {number} [latencyJitterMs]            + uniform random [0, jitter) ms
 * @property {number} [rate429]                    probability of 429 (request not processed)
 * @property {number} [retryAfterSeconds]          Retry-After of injected 429s (default 1)
 * @property {number} [rate503]                    probability of 503 (not processed)
 * @property {number} [rateHtml502]                probability of an IIS/ARR-style HTML 502 (not processed)
 * @property {number} [rateReset]                  probability of destroying the socket before processing
 * @property {number} [rateResetAfterProcessing]   probability of processing, then destroying the socket
 * @property {number} [rateHang]                   probability of never answering
 * @property {number} [hangMs]                     hung requests are destroyed after this (default 60000) or at stop()
 * @property {number} [expireTokensAfterRequests]  invalidate all session tokens every N authorized requests
 * @property {{ requestsPerSecond: number, burst?: number }} [rateLimit]  token-bucket throttling → 429
 * @property {string[]} [endpoints]                restrict faults to these endpoint keys (default: all but 'login')
 * @property {number} [seed]                       seed of the fault PRNG (default: the simulator seed)
 */

/**
 * @typedef {object} QueuedResponseSpec
 * @property {string} endpoint             endpoint key, e.g. 'user/offboard'
 * @property {string} [method]             only for this HTTP method (default: any)
 * @property {number} [status]             default 200
 * @property {unknown} [body]              JSON body (a string is sent as text/plain)
 * @property {string} [html]               HTML body (text/html)
 * @property {boolean} [echoRequest]        a text/plain body repeating the request (headers and body)
 * @property {Record<string, string>} [headers]
 * @property {number} [times]              how many responses (default 1)
 */

/**
 * @typedef {object} RequestRecord
 * @property {number} seq
 * @property {string} method
 * @property {string} path                 raw (still percent-encoded) path
 * @property {string} endpoint             normalized route key, 'unknown' when no route matched
 * @property {Record<string, string>} query
 * @property {import('http').IncomingHttpHeaders} headers
 * @property {unknown} body                parsed JSON, raw text, or undefined when empty
 * @property {number | null} status        null when no response was sent (reset / hang)
 * @property {string | null} fault         injected fault / queued response, or null
 * @property {number} latencyMs            injected latency
 * @property {number} startedAt            epoch ms
 * @property {number | null} durationMs
 * @property {number} connectionId         per-socket id (keep-alive reuse shows as repeated ids)
 * @property {'session' | 'access' | null} authKind
 * @property {string | null} account       user name of the caller when authenticated
 * @property {string | null} token         the Authtoken / bearer token presented (whatever was sent)
 * @property {boolean} processed           whether the handler ran (state may have changed)
 */

module.exports = {};
