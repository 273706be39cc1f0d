/**
 * The Inventory and the questions every later stage asks of it the same way: which Ready condition
 * counts, when a state began, which kinds the CRDs define, whether a controller Deployment is ready.
 * report/, metrics/ and wait/ read these here so that none of them has to borrow from another.
 */
export * from './inventory.js';
export { firstReady, parseTime, sinceOf } from './objects.js';
export { discoverKinds, groupOf, gvkFor, type CrdDiscovery, type Gvk } from './crds.js';
export { deploymentStatus, type KstatusResult, type KstatusStatus } from './kstatus.js';
