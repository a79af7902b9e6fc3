import { ServiceError, validationError } from './errors';
import { javaPatternToRegExp } from './java-regex';
import { OperationRequest } from './operation-context';
import { ModelMember, ModelShape, modelOperation, modelShape } from './service-model';

/** Throws SerializationException or ValidationException unless the request conforms to its operation's input shape. */
export type InputValidator = (request: OperationRequest) => void;

/** Checks a value at a member path, adding Coral's text for each violation. */
type Check = (value: unknown, path: string, violations: string[]) => void;

const INT_RANGE = { min: -(2 ** 31), max: 2 ** 31 - 1 };
const LONG_RANGE = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER };

/** How Coral prints a value in a violation: Java's `toString`, quoted; `null` unquoted. */
function shown(value: unknown): string {
  return value === undefined || value === null ? 'null' : `'${javaString(value)}'`;
}

function javaString(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(javaString).join(', ')}]` : String(value);
}

function violation(value: unknown, path: string, constraint: string): string {
  return `Value ${shown(value)} at '${path}' failed to satisfy constraint: ${constraint}`;
}

function unreadable(path: string, expected: string): ServiceError {
  return new ServiceError('SerializationException', `Cannot read '${path}': expected ${expected}`);
}

/** A JSON object read as a structure at `path`; any other JSON value is SerializationException. */
export function readObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw unreadable(path, 'an object');
  return value as Record<string, unknown>;
}

/** A member's name in Coral's paths: the model's name with its first letter in lower case. */
function pathSegment(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function childPath(parent: string, segment: string): string {
  return parent === '' ? segment : `${parent}.${segment}`;
}

/** A string's length in code points (Smithy's definition), without copying it. */
function codePoints(value: string): number {
  let length = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) { length--; i++; }
    }
  }
  return length;
}

function lengthChecks<T>(shape: ModelShape, length: (value: T) => number): (value: T, path: string, violations: string[]) => void {
  const { min, max } = shape;
  return (value, path, violations) => {
    const size = length(value);
    if (min !== undefined && size < min) violations.push(violation(value, path, `Member must have length greater than or equal to ${min}`));
    if (max !== undefined && size > max) violations.push(violation(value, path, `Member must have length less than or equal to ${max}`));
  };
}

function structureCheck(name: string, shape: ModelShape): Check {
  const required = new Set(shape.required ?? []);
  const members = Object.entries(shape.members ?? {}).map(([member, ref]) => ({
    member, segment: pathSegment(member), required: required.has(member), check: checkFor(ref.shape),
  }));
  return (value, path, violations) => {
    const fields = readObject(value, path || name);
    for (const { member, segment, required: isRequired, check } of members) {
      const child = childPath(path, segment);
      const memberValue = fields[member];
      if (memberValue === undefined || memberValue === null) {
        if (isRequired) violations.push(violation(null, child, 'Member must not be null'));
      } else {
        check(memberValue, child, violations);
      }
    }
  };
}

function listCheck(shape: ModelShape): Check {
  const length = lengthChecks(shape, (value: unknown[]) => value.length);
  const member = checkFor(shape.member!.shape);
  return (value, path, violations) => {
    if (!Array.isArray(value)) throw unreadable(path, 'a list');
    length(value, path, violations);
    value.forEach((item: unknown, index) => {
      const child = `${path}.${index + 1}.member`;
      if (item === null) violations.push(violation(null, child, 'Member must not be null'));
      else member(item, child, violations);
    });
  };
}

function stringCheck(shape: ModelShape): Check {
  const length = lengthChecks(shape, codePoints);
  const pattern = shape.pattern === undefined ? undefined : { source: shape.pattern, regExp: javaPatternToRegExp(shape.pattern) };
  const allowed = shape.enum;
  return (value, path, violations) => {
    if (typeof value !== 'string') throw unreadable(path, 'a string');
    length(value, path, violations);
    if (pattern && !pattern.regExp.test(value)) {
      violations.push(violation(value, path, `Member must satisfy regular expression pattern: ${pattern.source}`));
    }
    if (allowed && !allowed.includes(value)) {
      violations.push(violation(value, path, `Member must satisfy enum value set: [${allowed.join(', ')}]`));
    }
  };
}

function integerCheck(shape: ModelShape, range: { min: number; max: number }): Check {
  const { min, max } = shape;
  return (value, path, violations) => {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < range.min || value > range.max) {
      throw unreadable(path, `an integer from ${range.min} to ${range.max}`);
    }
    if (min !== undefined && value < min) violations.push(violation(value, path, `Member must have value greater than or equal to ${min}`));
    if (max !== undefined && value > max) violations.push(violation(value, path, `Member must have value less than or equal to ${max}`));
  };
}

const booleanCheck: Check = (value, path) => {
  if (typeof value !== 'boolean') throw unreadable(path, 'a boolean');
};

function compile(name: string): Check {
  const shape = modelShape(name);
  for (const trait of ['sensitive', 'union', 'document'] as const) {
    // Coral hides sensitive values and treats unions and documents its own way: teach the validator before using them.
    if (shape[trait]) throw new Error(`Shape ${name} is ${trait}: the request validator does not handle that yet`);
  }
  switch (shape.type) {
    case 'structure': return structureCheck(name, shape);
    case 'list': return listCheck(shape);
    case 'string': return stringCheck(shape);
    case 'integer': return integerCheck(shape, INT_RANGE);
    case 'long': return integerCheck(shape, LONG_RANGE);
    case 'boolean': return booleanCheck;
    default: throw new Error(`Shape ${name} is a ${shape.type}: the request validator does not handle that type yet`);
  }
}

const compiled = new Map<string, Check>();

/** The check of a shape, compiled once. A recursive shape meets itself while compiling, and gets a forwarder. */
function checkFor(name: string): Check {
  const known = compiled.get(name);
  if (known) return known;
  const forward: { to?: Check } = {};
  compiled.set(name, (value, path, violations) => forward.to!(value, path, violations));
  forward.to = compile(name);
  compiled.set(name, forward.to);
  return forward.to;
}

function refuseViolations(violations: readonly string[]): void {
  if (violations.length === 0) return;
  const count = violations.length === 1 ? '1 validation error' : `${violations.length} validation errors`;
  throw validationError(`${count} detected: ${violations.join('; ')}`);
}

/** How a member bound to the path or the query string is read from its text. */
function fromText(member: string, ref: ModelMember): (text: string) => unknown {
  const type = modelShape(ref.shape).type;
  if (type === 'string') return (text) => text;
  if (type === 'integer' || type === 'long') {
    return (text) => {
      if (!/^[+-]?\d+$/.test(text)) throw unreadable(pathSegment(member), 'an integer');
      return Number(text);
    };
  }
  throw new Error(`Member ${member} is a ${type} in the ${ref.location}: the request validator does not read that yet`);
}

/** One input member and where the request carries it. */
interface BoundMember {
  readonly member: string;
  readonly read: (request: OperationRequest) => unknown;
}

function binding(member: string, ref: ModelMember): BoundMember {
  switch (ref.location) {
    case undefined:
      return { member, read: (request) => (request.body as Record<string, unknown> | undefined)?.[member] };
    case 'uri':
    case 'querystring': {
      const parse = fromText(member, ref);
      const name = ref.locationName ?? member;
      const source = ref.location === 'uri' ? 'params' : 'query';
      return { member, read: (request) => { const text = request[source][name]; return text === undefined ? undefined : parse(text); } };
    }
    default:
      throw new Error(`Member ${member} is bound to the ${ref.location}: the request validator does not read that yet`);
  }
}

/**
 * The validator of an operation's requests: the request against the operation's input shape in the OpenSearch API
 * model, as the service's front door (Coral) checks it before the operation runs. Compiled from the model now, so
 * that a shape or pattern it cannot check fails when the simulator loads, not when a request arrives.
 * - a value of the wrong JSON type cannot be read at all: SerializationException, before any constraint is checked
 *   (the type is the service's, the text a guess: the SDK never sends such a request);
 * - every constraint of the model is checked (required members, string and list lengths, patterns, enums, number
 *   ranges, in nested structures and list members), and all violations are reported in one ValidationException
 *   (400) in Coral's wording: `2 validation errors detected: Value 'x' at 'packageName' failed to satisfy
 *   constraint: Member must ...; Value null at ...`, members named in camelCase, list members as `list.1.member`;
 * - members the model does not have are ignored, as the service ignores them; JSON `null` is an absent member.
 * Violations are listed in the model's member order, a value's length before its pattern (as CloudFront's two-error
 * refusal of a name shows). String lengths count code points (Smithy's definition).
 */
export function inputValidator(operationName: string): InputValidator {
  const input = modelOperation(operationName).input;
  if (!input) return () => undefined;
  const members = Object.entries(modelShape(input.shape).members ?? {}).map(([member, ref]) => binding(member, ref));
  const check = checkFor(input.shape);
  return (request) => {
    if (request.body !== undefined) readObject(request.body, 'body');
    const value: Record<string, unknown> = {};
    for (const { member, read } of members) value[member] = read(request);
    const violations: string[] = [];
    check(value, '', violations);
    refuseViolations(violations);
  };
}

/**
 * Checks one value against a shape of the model, as a member at `path` (absent counts as null and is refused),
 * and returns it with the type the caller knows the shape to have.
 */
export function conformingTo<T>(shapeName: string, value: unknown, path: string): T {
  const violations: string[] = [];
  if (value === undefined || value === null) violations.push(violation(null, path, 'Member must not be null'));
  else checkFor(shapeName)(value, path, violations);
  refuseViolations(violations);
  return value as T;
}
