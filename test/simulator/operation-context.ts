import { FaultPlan } from './faults';
import { ResolvedOptions } from './options';
import { SimulatorState } from './state';

/** A request once routed: path parameters, query string and parsed JSON body (undefined when empty). */
export interface OperationRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
}

/** What operations read and change. */
export interface OperationContext {
  readonly state: SimulatorState;
  readonly faults: FaultPlan;
  readonly options: ResolvedOptions;
}

/** Runs one operation; returns the response body or throws a ServiceError. */
export type OperationHandler = (request: OperationRequest, context: OperationContext) => unknown;
