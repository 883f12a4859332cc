export interface DeployTools {
  helm: string;
  kubeconform: string;
  composeConfig: string;
  dockerfileLint: string;
  /** Absent when hadolint is not on PATH. */
  hadolint?: string;
  kubernetesVersion: string;
  schemaLocation: string;
}

export interface ToolResult {
  ok: boolean;
  status: number | null;
  stdout: string;
  stderr: string;
  output: string;
}

export interface ChartValidation extends ToolResult {
  resources: number;
  manifests: string;
}

export const DEPLOY_FILES: { dockerfile: string; compose: string; composeTest: string; chart: string };
/** Helm arguments of each value set the chart is validated with, by description. */
export const CHART_VARIANTS: Record<string, string[]>;

export interface CheckOutcome {
  name: string;
  ok: boolean;
  /** Why the check did not run (an optional tool is missing). */
  skipped?: string;
  output: string;
}

export function ensureDeployTools(options?: { log?: (message: string) => void }): DeployTools;
export function composeConfig(tools: DeployTools, files: string[], options?: { profiles?: string[] }): ToolResult;
export function lintDockerfile(tools: DeployTools, dockerfile: string): ToolResult;
export function helmLint(tools: DeployTools, chartDir: string, helmArgs?: string[]): ToolResult;
export function helmTemplate(tools: DeployTools, chartDir: string, helmArgs?: string[]): ToolResult;
export function kubeconform(tools: DeployTools, manifests: string): ToolResult & { resources: number };
export function validateChart(tools: DeployTools, chartDir: string, helmArgs?: string[]): ChartValidation;
export function checkAll(tools: DeployTools): CheckOutcome[];
export function run(command: string, args: string[], options?: { input?: string; cwd?: string }): ToolResult;
export const PINNED: Record<'helm' | 'kubeconform', { pkg: string; version: string }>;
