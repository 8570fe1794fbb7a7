// The inventory's public surface, for commands and the executor.
export type { Inventory, InventoryGroup, InventoryHost, InventoryWarning } from './types.js';
export { loadInventory, inventoryFormat } from './load.js';
export { selectHosts, unmatchedTerms, splitPattern, readLimitFile, expandLimit } from './pattern.js';
export { renderGraph, listInventory, renderList, type GraphOptions, type ListOptions } from './graph.js';
export { hostVar } from './host-var.js';
