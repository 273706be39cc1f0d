import { defineConfig } from 'vitest/config';

// Three projects: unit tests are pure and fast; integration tests share one real control plane
// (etcd + kube-apiserver) started once by the global setup, where tests write Flux status by
// hand; flux tests run against a second control plane where the real Flux controllers and Flux
// Operator write it.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: ['test/integration/**', 'test/flux/**', 'node_modules/**'],
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/control-plane.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
          // One control plane, shared: run files one at a time in one process so state stays predictable.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
      {
        test: {
          name: 'flux',
          include: ['test/flux/**/*.test.ts'],
          globalSetup: ['test/setup/flux.ts'],
          testTimeout: 180_000,
          hookTimeout: 300_000,
          // The real controllers act on everything in their cluster: one file at a time.
          pool: 'forks',
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
