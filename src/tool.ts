/** This tool as the FluxReport's `operator` names it: name, version, and the Go-style platform it runs on. */
import { goPlatform } from './go/platform.js';
import type { ToolInfo } from './report/types.js';
import { TOOL_NAME, VERSION } from './version.js';

export function toolInfo(): ToolInfo {
  return { name: TOOL_NAME, version: VERSION, platform: goPlatform(process.platform, process.arch) };
}
