/** This tool's name and version, reported as the FluxReport's `operator` and in logs. Kept equal to package.json by a test. */
export const TOOL_NAME = 'flux-health';
export const VERSION = '0.1.0';
