import { OperationName } from './wire-shapes';

/** One request as it reached the simulator, recorded before any fault or rule applied. */
export interface RecordedCall {
  readonly operation: OperationName;
  readonly method: string;
  /** Raw path, still percent-encoded. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Parsed JSON body; undefined when empty, the raw text when it is not JSON. */
  readonly body: unknown;
  /** Epoch milliseconds. */
  readonly at: number;
}

/** Every routed request, in arrival order. */
export class CallLog {
  private readonly entries: RecordedCall[] = [];

  /** Appends a call. */
  record(call: RecordedCall): void {
    this.entries.push(call);
  }

  /** The calls so far (a live, read-only view). */
  get calls(): ReadonlyArray<RecordedCall> {
    return this.entries;
  }

  /** How many calls of the operation arrived, failed ones included. */
  count(operation: OperationName): number {
    return this.entries.filter((call) => call.operation === operation).length;
  }
}
