import { CfnResource } from './cfn-template';
import { RequestOutcome } from './custom-resource-dispatcher';
import { ProvisionedResource } from './stand-in-resources';

/** Which part of a stack operation a request belongs to. */
export type DeploymentPhase = 'create' | 'update' | 'rollback' | 'cleanup' | 'delete';

/** A resource as the stack holds it. */
export interface DeployedResource {
  readonly logicalId: string;
  /** The template entry it was last deployed from. */
  readonly definition: CfnResource;
  /** Its resolved properties (as sent, before stringification). */
  readonly properties: Record<string, unknown>;
  readonly provisioned: ProvisionedResource;
  /** Whether its Create failed (it has a physical id, so CloudFormation deletes it on rollback). */
  readonly createFailed?: boolean;
}

/** One request CloudFormation sent to a custom resource, and its answer. */
export interface RequestRecord {
  /** The stack operation (1 for the first deploy, 2 for the next...). */
  readonly operation: number;
  readonly phase: DeploymentPhase;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly requestType: 'Create' | 'Update' | 'Delete';
  /** The physical id sent with Update and Delete. */
  readonly physicalIdSent?: string;
  readonly status: 'SUCCESS' | 'FAILED';
  readonly reason?: string;
  /** The physical id the response reported. */
  readonly physicalId?: string;
  readonly data: Record<string, unknown>;
  readonly elapsedMs: number;
  /** The event and every response (its ResponseURL is a secret: never print it). */
  readonly outcome?: RequestOutcome;
}

/** How long one resource change took (custom resources and stand-ins alike), for timing a stack operation. */
export interface ResourceTiming {
  readonly operation: number;
  readonly phase: DeploymentPhase;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly action: 'Create' | 'Update' | 'Delete';
  readonly ok: boolean;
  /** Epoch milliseconds. */
  readonly startedAt: number;
  /** Epoch milliseconds. */
  readonly endedAt: number;
  readonly elapsedMs: number;
}

/** A removal CloudFormation skipped because of the resource's DeletionPolicy or UpdateReplacePolicy. */
export interface RetainedRecord {
  readonly operation: number;
  readonly phase: DeploymentPhase;
  readonly logicalId: string;
  readonly physicalId: string;
  readonly policy: 'DeletionPolicy' | 'UpdateReplacePolicy';
}

/** A line a Lambda function logged. */
export interface FunctionLogLine {
  readonly functionLogicalId: string;
  readonly level: string;
  readonly text: string;
  /**
   * True when Lambda would not write the line to CloudWatch Logs: it is below
   * the function's ApplicationLogLevel (the Provider framework's functions
   * log at FATAL only, because their lines carry the ResponseURL).
   */
  readonly filtered: boolean;
}

/** A request about to be sent. */
export interface RequestStart {
  readonly operation: number;
  readonly phase: DeploymentPhase;
  readonly logicalId: string;
  readonly requestType: 'Create' | 'Update' | 'Delete';
  readonly physicalId?: string;
}

/** A resource other than a custom resource, created or updated (instantly, by a stand-in). */
export interface StandInRecord {
  readonly operation: number;
  readonly phase: DeploymentPhase;
  readonly logicalId: string;
  readonly resourceType: string;
  readonly physicalId: string;
}

/** Receives the deployment's progress as it happens. */
export interface DeploymentObserver {
  /** A stand-in was created or updated, e.g. a domain added to the simulator (before anything that depends on it runs). */
  resourceProvisioned?(record: StandInRecord): void;
  /** A request is about to be sent to a custom resource. */
  requestStarted?(start: RequestStart): void;
  /** CloudFormation has its answer to a custom resource request. */
  requestFinished?(record: RequestRecord): void;
  /** A Delete was not sent because of the resource's DeletionPolicy or UpdateReplacePolicy. */
  resourceRetained?(record: RetainedRecord): void;
  /** A Lambda function logged a line. */
  functionLog?(line: FunctionLogLine): void;
  /** A stack operation ended in this status, after this long (wall-clock milliseconds). */
  stackStatus?(operation: number, status: string, elapsedMs: number): void;
}
