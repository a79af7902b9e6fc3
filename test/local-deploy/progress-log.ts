import { DeploymentObserver, FunctionLogLine, RequestRecord, RequestStart, RetainedRecord, StandInRecord } from './deployment-records';

/** Options of a {@link ProgressLog}. */
export interface ProgressLogOptions {
  /** Prints one line. */
  readonly write: (line: string) => void;
  /** Print every function log line instead of a summary. */
  readonly verbose: boolean;
  /** What the simulator shows now for the custom resource (an association's entry on its domain, a package's status). */
  readonly statusOf: (resource: ResourceView) => string;
  /** The name to print for a logical id; default the logical id. */
  readonly nameOf?: (logicalId: string) => string;
}

/** A custom resource as the progress log asks the simulator about it. */
export interface ResourceView {
  readonly resourceType: string;
  /** Its properties, as last sent. */
  readonly properties: Record<string, unknown>;
  readonly physicalId?: string;
}

/** The width of the resource-name column. */
const NAME_WIDTH = 24;

const PRESIGNED_RESPONSE_URL = /https:\/\/cloudformation-custom-resource-response-[^\s"'\\]*/g;
const SIGNATURE = /X-Amz-(Signature|Credential)=[^&\s"'\\]*/g;

/** Removes anything that looks like a ResponseURL (or its signature) from a line. */
export function redactResponseUrls(line: string): string {
  return line.replace(PRESIGNED_RESPONSE_URL, '<ResponseURL redacted>').replace(SIGNATURE, 'X-Amz-$1=<redacted>');
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
}

/** `[phase]`, padded so that the columns after it line up (`[rollback]` is the longest). */
function phaseTag(phase: string): string {
  return pad(`[${phase}]`, 10);
}

/**
 * The CLI's readable progress log: one line per custom resource request
 * (resource, request type, outcome, the status the simulator shows, elapsed
 * time), the stand-ins worth knowing about, the stack status, and a summary of
 * what the handler saw (status changes, retried errors). Every line passes
 * through {@link redactResponseUrls}.
 */
export class ProgressLog implements DeploymentObserver {
  private readonly lastStatus = new Map<string, string>();
  private readonly lastSeen = new Map<string, ResourceView>();

  public constructor(private readonly options: ProgressLogOptions) {}

  private name(logicalId: string): string {
    return pad(this.options.nameOf?.(logicalId) ?? logicalId, NAME_WIDTH);
  }

  /** Prints a line, redacted. */
  public print(line: string): void {
    this.options.write(redactResponseUrls(line));
  }

  public resourceProvisioned(record: StandInRecord): void {
    const interesting = record.resourceType === 'AWS::OpenSearchService::Domain';
    if (interesting || this.options.verbose) {
      this.print(`  ${phaseTag(record.phase)} ${this.name(record.logicalId)} ${record.resourceType} ready: ${record.physicalId}${interesting ? ' (added to the simulator)' : ''}`);
    }
  }

  public requestStarted(start: RequestStart): void {
    const target = start.physicalId ? ` ${start.physicalId}` : '';
    this.print(`  ${phaseTag(start.phase)} ${this.name(start.logicalId)} ${pad(start.requestType, 6)} sent${target}`);
  }

  public requestFinished(record: RequestRecord): void {
    const view: ResourceView = {
      resourceType: record.resourceType,
      properties: record.outcome?.event.ResourceProperties ?? {},
      physicalId: record.physicalId ?? record.physicalIdSent,
    };
    this.lastSeen.set(record.logicalId, view);
    const replaced = record.requestType === 'Update' && record.status === 'SUCCESS' && record.physicalId !== record.physicalIdSent
      ? ` (replacement: was ${record.physicalIdSent})`
      : '';
    const outcome = `${pad(record.status, 7)} simulator: ${pad(this.options.statusOf(view), 16)} ${String(record.elapsedMs).padStart(6)} ms`;
    this.print(`  ${phaseTag(record.phase)} ${this.name(record.logicalId)} ${pad(record.requestType, 6)} ${outcome}  ${record.physicalId ?? ''}${replaced}`);
    if (record.status === 'FAILED') this.print(`      reason: ${(record.reason ?? '').split('\n')[0]}`);
  }

  public resourceRetained(record: RetainedRecord): void {
    const view = this.lastSeen.get(record.logicalId);
    const status = view ? `  simulator: ${this.options.statusOf(view)}` : '';
    this.print(`  ${phaseTag(record.phase)} ${this.name(record.logicalId)} retained (${record.policy} Retain: no Delete sent) ${record.physicalId}${status}`);
  }

  public stackStatus(operation: number, status: string, elapsedMs?: number): void {
    const took = elapsedMs === undefined ? '' : ` in ${(elapsedMs / 1000).toFixed(2)} s`;
    this.print(`  stack: ${status} (operation ${operation}${took})`);
  }

  public functionLog(line: FunctionLogLine): void {
    if (this.options.verbose) {
      const filtered = line.filtered ? ' (below the ApplicationLogLevel: not in CloudWatch)' : '';
      this.print(`      ${line.functionLogicalId.slice(-28)} ${line.level}${filtered} ${line.text}`);
      return;
    }
    if (line.filtered) return;
    const summary = this.summarise(line.text);
    if (summary) this.print(`      ${summary}`);
  }

  /** One short line for the handler's JSON log lines that matter; undefined for the rest. */
  private summarise(text: string): string | undefined {
    let entry: Record<string, unknown>;
    try {
      entry = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    if (typeof entry !== 'object' || entry === null) return undefined;
    const message = String(entry.message ?? '');
    if (typeof entry.error === 'string') return `handler: ${message}: ${entry.error.split('\n')[0]}`;
    if (/^(Associate|Dissociate|Create|Update|Delete)Package$/.test(message)) {
      return `handler calls ${message} ${String(entry.packageId ?? entry.packageName ?? '')}`;
    }
    if (typeof entry.status === 'string' && typeof entry.packageId === 'string') {
      // Package observations carry no domain and may carry the version the package has.
      const onDomain = typeof entry.domainName === 'string';
      const key = onDomain ? `${entry.domainName}/${entry.packageId}` : `package ${entry.packageId}`;
      const version = typeof entry.version === 'string' ? entry.version : undefined;
      const processing = entry.status === 'COPYING' || entry.status === 'VALIDATING';
      const seen = !version ? entry.status : entry.status === 'AVAILABLE' ? `AVAILABLE ${version}` : processing ? `${entry.status} (${version} still available)` : entry.status;
      if (this.lastStatus.get(key) === seen) return undefined;
      this.lastStatus.set(key, seen);
      return onDomain ? `handler sees ${entry.packageId} on the domain: ${seen}` : `handler sees package ${entry.packageId}: ${seen}`;
    }
    return undefined;
  }
}
