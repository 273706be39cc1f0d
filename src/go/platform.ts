/**
 * Go's `GOOS/GOARCH` naming for the Node process, so `spec.operator.platform` reads like the
 * operator's (`linux/amd64`, `darwin/arm64`). Unknown values pass through unchanged.
 */
const GOOS: Record<string, string> = { win32: 'windows', sunos: 'solaris' };
const GOARCH: Record<string, string> = {
  x64: 'amd64',
  ia32: '386',
  arm: 'arm',
  arm64: 'arm64',
  ppc64: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
  loong64: 'loong64',
  mips: 'mips',
  mipsel: 'mipsle',
};

export function goPlatform(platform: string, arch: string): string {
  return `${GOOS[platform] ?? platform}/${GOARCH[arch] ?? arch}`;
}
