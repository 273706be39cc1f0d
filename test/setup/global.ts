// Placeholder replaced by the control-plane setup (test/envtest); kept so vitest.config resolves.
export default function setup(): void {}
