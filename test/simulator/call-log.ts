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
  /** The Region and access key of the signature, when the request was signed. */
  readonly region?: string;
  readonly accessKeyId?: string;
  /** The HTTP status of the answer, and the error type when it was an error (set once answered). */
  status?: number;
  errorType?: string;
}

/** Every routed request, in arrival order. */
export class CallLog {
  private readonly entries: RecordedCall[] = [];

  /** Appends a call; the caller fills in its answer later. */
  record(call: RecordedCall): RecordedCall {
    this.entries.push(call);
    return call;
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
