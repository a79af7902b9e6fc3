import { DeploymentObserver, FunctionLogLine, RequestRecord, RequestStart, RetainedRecord, StandInRecord } from './deployment-records';

/** Options of a {@link ProgressLog}. */
export interface ProgressLogOptions {
  /** Prints one line. */
  readonly write: (line: string) => void;
  /** Print every function log line instead of a summary. */
  readonly verbose: boolean;
  /** The status the simulator shows now for the association these (custom resource) properties describe. */
  readonly statusOf: (properties: Record<string, unknown>) => string;
}

const PRESIGNED_RESPONSE_URL = /https:\/\/cloudformation-custom-resource-response-[^\s"'\\]*/g;
const SIGNATURE = /X-Amz-(Signature|Credential)=[^&\s"'\\]*/g;

/** Removes anything that looks like a ResponseURL (or its signature) from a line. */
export function redactResponseUrls(line: string): string {
  return line.replace(PRESIGNED_RESPONSE_URL, '<ResponseURL redacted>').replace(SIGNATURE, 'X-Amz-$1=<redacted>');
}

function pad(text: string, width: number): string {
  return text.length >= width ? text : text + ' '.repeat(width - text.length);
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
  private readonly lastProperties = new Map<string, Record<string, unknown>>();

  public constructor(private readonly options: ProgressLogOptions) {}

  /** Prints a line, redacted. */
  public print(line: string): void {
    this.options.write(redactResponseUrls(line));
  }

  public resourceProvisioned(record: StandInRecord): void {
    const interesting = record.resourceType === 'AWS::OpenSearchService::Domain';
    if (interesting || this.options.verbose) {
      this.print(`  [${record.phase}] ${pad(record.logicalId, 20)} ${record.resourceType} ready: ${record.physicalId}${interesting ? ' (added to the simulator)' : ''}`);
    }
  }

  public requestStarted(start: RequestStart): void {
    const target = start.physicalId ? ` ${start.physicalId}` : '';
    this.print(`  [${start.phase}] ${pad(start.logicalId, 20)} ${pad(start.requestType, 6)} sent${target}`);
  }

  public requestFinished(record: RequestRecord): void {
    const properties = record.outcome?.event.ResourceProperties ?? {};
    this.lastProperties.set(record.logicalId, properties);
    const replaced = record.requestType === 'Update' && record.status === 'SUCCESS' && record.physicalId !== record.physicalIdSent
      ? ` (replacement: was ${record.physicalIdSent})`
      : '';
    const outcome = `${pad(record.status, 7)} simulator: ${pad(this.options.statusOf(properties), 16)} ${String(record.elapsedMs).padStart(6)} ms`;
    this.print(`  [${record.phase}] ${pad(record.logicalId, 20)} ${pad(record.requestType, 6)} ${outcome}  ${record.physicalId ?? ''}${replaced}`);
    if (record.status === 'FAILED') this.print(`      reason: ${(record.reason ?? '').split('\n')[0]}`);
  }

  public resourceRetained(record: RetainedRecord): void {
    const properties = this.lastProperties.get(record.logicalId);
    const status = properties ? `  simulator: ${this.options.statusOf(properties)}` : '';
    this.print(`  [${record.phase}] ${pad(record.logicalId, 20)} retained (${record.policy} Retain: no Delete sent) ${record.physicalId}${status}`);
  }

  public stackStatus(operation: number, status: string): void {
    this.print(`  stack: ${status} (operation ${operation})`);
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
    if (/^(AssociatePackage|DissociatePackage)$/.test(message)) return `handler calls ${message} ${String(entry.packageId ?? '')}`;
    if (typeof entry.status === 'string' && typeof entry.packageId === 'string') {
      const key = `${String(entry.domainName)}/${entry.packageId}`;
      if (this.lastStatus.get(key) === entry.status) return undefined;
      this.lastStatus.set(key, entry.status);
      return `handler sees ${entry.packageId}: ${entry.status}`;
    }
    return undefined;
  }
}
