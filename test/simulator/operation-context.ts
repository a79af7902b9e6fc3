import { FaultPlan } from './faults';
import { ResolvedOptions } from './options';
import { Caller } from './signing';
import { SimulatorState } from './state';

/** A request once routed: path parameters, query string and parsed JSON body (undefined when empty). */
export interface OperationRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** What operations read and change. */
export interface OperationContext {
  /** The state of the Region the request was signed for. */
  readonly state: SimulatorState;
  readonly faults: FaultPlan;
  readonly options: ResolvedOptions;
  readonly caller: Caller;
  /** Throws AccessDeniedException unless the caller may perform the action on the resource. */
  readonly authorize: (action: string, resource: string) => void;
  /** Whether the AWS service principal may perform the action on the resource (a KMS key's policy decides, for instance). */
  readonly serviceMay: (service: string, action: string, resource: string) => boolean;
}

/** Runs one operation; returns the response body or throws a ServiceError. */
export type OperationHandler = (request: OperationRequest, context: OperationContext) => unknown;
