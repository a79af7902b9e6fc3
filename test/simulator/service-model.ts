import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';

/**
 * The OpenSearch Service API model (2021-01-01) as botocore ships it, committed under `model/` (Apache-2.0, see
 * `model/NOTICE`; `scripts/update-opensearch-model.sh` refreshes it). Only the parts the simulator reads are typed.
 */
export interface ServiceModel {
  readonly metadata: { readonly apiVersion: string; readonly protocol: string };
  readonly operations: Readonly<Record<string, ModelOperation>>;
  readonly shapes: Readonly<Record<string, ModelShape>>;
}

/** An operation: its REST binding and its input shape. */
export interface ModelOperation {
  readonly name: string;
  readonly http: { readonly method: string; readonly requestUri: string };
  readonly input?: { readonly shape: string };
}

/** Where a REST request carries a member: the path, the query string, a header; the JSON body when absent. */
export type MemberLocation = 'uri' | 'querystring' | 'header' | 'headers' | 'statusCode';

/** A member of a structure. */
export interface ModelMember {
  readonly shape: string;
  readonly location?: MemberLocation;
  /** The path label, query parameter or header name, when `location` is set. */
  readonly locationName?: string;
  readonly idempotencyToken?: boolean;
}

/**
 * A shape with its constraints, as botocore writes them: `min`/`max` are lengths for strings and lists, values for
 * numbers; `pattern` is a Java regular expression the whole value must match.
 */
export interface ModelShape {
  readonly type: 'structure' | 'list' | 'map' | 'string' | 'integer' | 'long' | 'double' | 'float' | 'boolean' | 'timestamp' | 'blob';
  readonly members?: Readonly<Record<string, ModelMember>>;
  readonly required?: readonly string[];
  readonly member?: ModelMember;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
  readonly sensitive?: boolean;
  readonly union?: boolean;
  readonly document?: boolean;
}

const MODEL_FILE = join(__dirname, 'model', 'opensearch-2021-01-01.json.gz');

/** The committed model, read once. */
export const OPENSEARCH_MODEL: ServiceModel = JSON.parse(gunzipSync(readFileSync(MODEL_FILE)).toString('utf8')) as ServiceModel;

/** The model's operation of that name; throws for a name the model does not have. */
export function modelOperation(name: string): ModelOperation {
  const operation = OPENSEARCH_MODEL.operations[name];
  if (!operation) throw new Error(`The OpenSearch API model has no operation ${name}`);
  return operation;
}

/** The model's shape of that name; throws for a name the model does not have. */
export function modelShape(name: string): ModelShape {
  const shape = OPENSEARCH_MODEL.shapes[name];
  if (!shape) throw new Error(`The OpenSearch API model has no shape ${name}`);
  return shape;
}
