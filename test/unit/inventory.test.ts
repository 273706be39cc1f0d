import { describe, expect, it } from 'vitest';
import { fluxInstalled, type Inventory } from '../../src/inventory/index.js';

describe('fluxInstalled', () => {
  it('is false without labelled CRDs', () => {
    const inv = { crds: [] } as unknown as Inventory;
    expect(fluxInstalled(inv)).toBe(false);
  });
});
